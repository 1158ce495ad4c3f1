/** WS-Addressing action URIs a WinRM service answers ([MS-WSMV] 3.1.4; DSP0226). */
export const ACTION = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  get: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Get',
  put: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Put',
  enumerate: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate',
  pull: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull',
  release: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release',
  command: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command',
  send: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send',
  receive: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive',
  signal: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal',
} as const;

/** Every response action is its request action with `Response` appended. */
export function responseAction(requestAction: string): string {
  return `${requestAction}Response`;
}

/** Fault actions differ by the namespace of the fault's subcode. */
export const FAULT_ACTION = {
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/fault',
  enumeration: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault',
} as const;
