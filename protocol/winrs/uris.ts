/** WinRS resource URIs, command states and signal codes ([MS-WSMV] 2.2.4). */
export const RESOURCE_URI = {
  cmdShell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd',
  anyShell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
} as const;

const COMMAND_STATE_BASE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/';

export const COMMAND_STATE = {
  pending: `${COMMAND_STATE_BASE}Pending`,
  running: `${COMMAND_STATE_BASE}Running`,
  done: `${COMMAND_STATE_BASE}Done`,
} as const;

const SIGNAL_BASE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/';

/**
 * Signal code URIs by their last segment. pypsrp writes `Terminate` with a capital, so codes are
 * compared without regard to case.
 */
export const SIGNAL_CODE = {
  terminate: `${SIGNAL_BASE}terminate`,
  ctrl_c: `${SIGNAL_BASE}ctrl_c`,
  ctrl_break: `${SIGNAL_BASE}ctrl_break`,
} as const;

export type SignalName = keyof typeof SIGNAL_CODE;

export function signalNameOf(codeUri: string): SignalName | undefined {
  const lower = codeUri.trim().toLowerCase();
  for (const [name, uri] of Object.entries(SIGNAL_CODE)) {
    if (uri === lower) return name as SignalName;
  }
  return undefined;
}
