export { CONFIG_KEYS, type Config, type ConfigKey, type ConfigKeySpec } from './keys.js';
export { ConfigError, loadConfig, parseConfigValue, resolveConfigKey, type ConfigSources } from './load.js';
export { formatConfig } from './format.js';
export { ensureStateDir, resolveStateDir, type StateDirEnvironment } from './state-dir.js';
export { CONFIG_KEY_NAMES, READ_ONLY_KEYS } from './resolve-key.js';
export type { RawConfigValue } from './parse-value.js';
export type { JsonStructure, JsonValue } from './json-value.js';
