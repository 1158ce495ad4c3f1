import { ConfigError, parseConfigValue, type Config, type ConfigKey } from '../../config/index.js';
import { parseConfigPut, writeConfigResource, type ConfigAssignment } from '../../protocol/config/config-xml.js';
import { CONFIG_URI, configNamespace } from '../../protocol/config/uris.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { findEntry, isGroup, leafValue, renderGroup, type TreeGroup } from '../config-tree.js';
import { RUNTIME_KEYS, RUNTIME_MINIMUMS } from '../runtime-config.js';
import { requireAdministrator } from './config-access.js';
import type { HandlerContext } from './context.js';
import { requireConfigGroup } from './get-config.js';

/**
 * Put on `.../config` or a sub-resource ([MS-WSMV] 3.1.4.1.29): the properties sent are checked,
 * all of them, and then applied together to the running configuration; the answer is the
 * resource as it is now. A property sent with its current value is no change, so clients that
 * Put back the whole resource they got (winrm.vbs, cloudbase-init) work.
 */
export function putConfig(ctx: HandlerContext): Promise<string> {
  requireAdministrator(ctx);
  const { path, group } = requireConfigGroup(ctx);
  const assignments = parseConfigPut(ctx.request.body, group.name, [configNamespace(path), CONFIG_URI]);
  const changes = new Map<ConfigKey, Config[ConfigKey]>();
  for (const assignment of assignments) {
    const change = checkAssignment(group, assignment, ctx.service.config);
    if (change !== undefined) changes.set(change.key, change.value);
  }
  if (changes.size > 0) {
    ctx.service.runtime.apply(changes);
    ctx.log.info(
      { event: 'config-changed', user: ctx.principal.name, changes: Object.fromEntries(changes) },
      'configuration changed',
    );
  }
  return Promise.resolve(writeConfigResource(renderGroup(group, ctx.service.config), configNamespace(path)));
}

interface Change {
  readonly key: ConfigKey;
  readonly value: Config[ConfigKey];
}

/** The change one property makes, undefined for none; a fault when it may not be made. */
function checkAssignment(group: TreeGroup, assignment: ConfigAssignment, config: Config): Change | undefined {
  const name = assignment.path.join('/');
  const leaf = findEntry(group, assignment.path);
  // Windows' answer for a property its schema does not have ([MS-WSMV] 3.1.4.1.29).
  if (leaf === undefined || isGroup(leaf)) throw new WsmanFault('schemaValidation', [], `no property ${name}`);
  if (!('key' in leaf)) {
    if (assignment.value.toLowerCase() === leafValue(leaf, config).toLowerCase()) return undefined;
    throw new WsmanFault('invalidParameter', [], `${name} is fixed at '${leafValue(leaf, config)}' in winrmd`);
  }
  const value = parseValue(leaf.key, assignment.value);
  if (value === config[leaf.key]) return undefined;
  if (!RUNTIME_KEYS.has(leaf.key)) throw new WsmanFault('invalidParameter', [], `${leaf.key} changes only when winrmd starts`);
  const minimum = RUNTIME_MINIMUMS[leaf.key];
  if (minimum !== undefined && typeof value === 'number' && value < minimum) {
    throw new WsmanFault('invalidParameter', [], `${leaf.key} must be at least ${minimum}`);
  }
  return { key: leaf.key, value };
}

/** A value of the wrong type does not match the schema's xs:boolean or xs:unsignedInt. */
function parseValue(key: ConfigKey, text: string): Config[ConfigKey] {
  try {
    return parseConfigValue(key, text);
  } catch (error) {
    if (error instanceof ConfigError) throw new WsmanFault('schemaValidation', [], error.message);
    throw error;
  }
}
