/** Namespace URIs of WS-Management and WinRS ([MS-WSMV] 2.2.1), with the prefixes Windows writes. */
export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  wsmv: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  transfer: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  enumeration: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration',
  shell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  config: 'http://schemas.microsoft.com/wbem/wsman/1/config',
  wsmanFault: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  identity: 'http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** The prefixes used in our responses, matching Windows' choice so that recorded replies diff cleanly. */
export const PREFIX_DECLARATIONS: Readonly<Record<string, string>> = {
  s: NS.soap,
  a: NS.addressing,
  x: NS.transfer,
  w: NS.wsman,
  n: NS.enumeration,
  rsp: NS.shell,
  p: NS.wsmv,
};

export const ANONYMOUS_ADDRESS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
