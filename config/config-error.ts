/**
 * A mistake in the configuration the user gave (file, --set or a flag). The CLI prints its message
 * as-is after `winrmd: `, so it must name the setting and the bad value and read well on its own.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
