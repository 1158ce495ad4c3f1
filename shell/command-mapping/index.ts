/** The Windows command-line mapping (Winrmd.CommandMapping); see rules.ts for the table. */
export { COMMAND_MAPPING_RULES, mapCommandLine, parseRuleNames, RULE_NAMES, type MappedCommand, type RuleName } from './rules.js';
export { planLaunch, type MappingSettings, type PlannedLaunch } from './plan-launch.js';
export { NOT_RECOGNIZED_EXIT_CODE, notRecognizedMessage } from './not-recognized.js';
export { CLIXML_HEADER, clixmlErrorStream } from './clixml.js';
export { decodeEncodedCommand, encodeCommand, translatePowerShellArgs } from './powershell-args.js';
export { splitWindowsCommandLine } from './windows-argv.js';
