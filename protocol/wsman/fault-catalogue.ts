/**
 * The faults winrmd sends, each as Windows sends it for the same case: SOAP code, WS-Management
 * subcode, the Win32/WinRM error number in WSManFault@Code, and the message text (Windows' texts
 * end with a space; clients show them verbatim). Codes are the ERROR_WSMAN_* values of wsmerror.h.
 * Every fault winrmd sends is built from an entry here.
 */
export interface FaultSpec {
  readonly code: 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch';
  /** Subcode as prefix:local; the prefix names one of the namespaces of PREFIX_DECLARATIONS. */
  readonly subcode?: `${'w' | 'a' | 'n'}:${string}`;
  readonly wsmanCode: number;
  readonly message: string;
  /** A DSP0226 faultDetail URI, when Windows sends one. */
  readonly faultDetail?: string;
}

const DETAIL = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/';

export const FAULTS = {
  /** ERROR_WSMAN_INVALID_XML 0x80338043: not well-formed, or a DTD. */
  invalidXml: {
    code: 'Sender',
    subcode: 'w:SchemaValidationError',
    wsmanCode: 2150858819,
    message: 'The WS-Management service cannot process the request because the XML is invalid. ',
  },
  /** ERROR_WSMAN_SCHEMA_VALIDATION_ERROR 0x80338041: well-formed, but not the shape the action needs. */
  schemaValidation: {
    code: 'Sender',
    subcode: 'w:SchemaValidationError',
    wsmanCode: 2150858817,
    message: 'The SOAP XML in the message does not match the corresponding XML schema definition. Change the XML and retry. ',
  },
  /** ERROR_WSMAN_SOAP_VERSION_MISMATCH 0x8033800D: not a SOAP 1.2 envelope. */
  versionMismatch: {
    code: 'VersionMismatch',
    wsmanCode: 2150858765,
    message: 'The WS-Management service does not support the SOAP version specified in the request. ',
  },
  /** ERROR_WSMAN_UNSUPPORTED_ENCODING 0x8033802C */
  unsupportedEncoding: {
    code: 'Sender',
    subcode: 'w:UnsupportedEncoding',
    wsmanCode: 2150858796,
    message:
      'The request contains character encoding that is unsupported. WS-Management only supports requests that are encoded in UTF-8 or UTF-16. Change the character encoding in the request and try the request again. ',
  },
  /** ERROR_WSMAN_MESSAGE_INFORMATION_HEADER_REQUIRED 0x80338011 */
  missingHeader: {
    code: 'Sender',
    subcode: 'a:MessageInformationHeaderRequired',
    wsmanCode: 2150858769,
    message: 'The WS-Management service cannot process the request. The request does not have all the expected SOAP headers. ',
  },
  /** ERROR_WSMAN_INVALID_MESSAGE_INFORMATION_HEADER 0x8033800F */
  invalidHeader: {
    code: 'Sender',
    subcode: 'a:InvalidMessageInformationHeader',
    wsmanCode: 2150858767,
    message: 'The WS-Management service cannot process the request. The request contains one or more invalid SOAP headers. ',
  },
  /** ERROR_WSMAN_SOAP_FAULT_MUST_UNDERSTAND 0x80338010 */
  mustUnderstand: {
    code: 'MustUnderstand',
    wsmanCode: 2150858768,
    message:
      'The WS-Management service cannot process a SOAP header in the request that is marked as mustUnderstand by the client. This could be caused by the use of a version of the protocol which is not supported, or may be an incompatibility between the client and server implementations. ',
  },
  /** ERROR_WSMAN_ACTION_NOT_SUPPORTED 0x80338013 */
  actionNotSupported: {
    code: 'Sender',
    subcode: 'a:ActionNotSupported',
    wsmanCode: 2150858771,
    message: 'The WS-Management service does not support the action specified in the request. ',
  },
  /** ERROR_WSMAN_DESTINATION_UNREACHABLE 0x80338012: a resource URI this service has no plugin for. */
  unknownResource: {
    code: 'Sender',
    subcode: 'w:DestinationUnreachable',
    wsmanCode: 2150858770,
    message:
      'The WS-Management service cannot process the request. The resource URI was not found in the WS-Management catalog. The catalog contains the metadata that describes resources, or logical endpoints. ',
    faultDetail: `${DETAIL}InvalidResourceURI`,
  },
  /**
   * ERROR_WSMAN_RESOURCE_NOT_FOUND 0x80338000: the selectors name no instance (a listener that does
   * not exist; cloudbase-init checks for this code). The subcode pairing is unverified.
   */
  resourceNotFound: {
    code: 'Sender',
    subcode: 'w:DestinationUnreachable',
    wsmanCode: 2150858752,
    message: 'The WS-Management service cannot process the request. The service cannot find the resource identified by the resource URI and selectors. ',
  },
  /** ERROR_WSMAN_INSUFFCIENT_SELECTORS 0x8033805A (Windows' spelling) */
  missingSelector: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858842,
    message: 'The WS-Management service cannot process the request because the request did not contain all required selectors. ',
    faultDetail: `${DETAIL}InsufficientSelectors`,
  },
  /** ERROR_WSMAN_INVALID_SELECTOR_VALUE 0x8033805D */
  invalidSelectorValue: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858845,
    message: 'The WS-Management service cannot process the request because a value for the selector is invalid. ',
    faultDetail: `${DETAIL}InvalidValue`,
  },
  /**
   * ERROR_WSMAN_UNEXPECTED_SELECTORS 0x8033805B with WinRS' text. Also the answer for another
   * user's shell, so that a shell's existence is not revealed to someone who does not own it.
   */
  unknownShell: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858843,
    message:
      'The request for the Windows Remote Shell with ShellId {0} failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation. ',
    faultDetail: `${DETAIL}UnexpectedSelectors`,
  },
  /** ERROR_WSMAN_UNEXPECTED_SELECTORS 0x8033805B, WinRS' text for a CommandId. */
  unknownCommand: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858843,
    message:
      'The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. Either the command has completed execution or the client specified an invalid command identifier. ',
    faultDetail: `${DETAIL}UnexpectedSelectors`,
  },
  /** Win32 ERROR_ACCESS_DENIED, as the shell plugin reports it. */
  accessDenied: {
    code: 'Sender',
    subcode: 'w:AccessDenied',
    wsmanCode: 5,
    message: 'Access is denied. ',
  },
  /** ERROR_WSMAN_OPERATION_TIMEDOUT 0x80338029: clients retry a Receive on exactly this code. */
  timedOut: {
    code: 'Receiver',
    subcode: 'w:TimedOut',
    wsmanCode: 2150858793,
    message: 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout. ',
  },
  /** ERROR_WSMAN_ENCODING_LIMIT 0x80338035: the request is larger than MaxEnvelopeSizekb. */
  requestTooLarge: {
    code: 'Sender',
    subcode: 'w:EncodingLimit',
    wsmanCode: 2150858805,
    message:
      'The WS-Management service cannot process the request because the encoding of the request exceeds an internal encoding limit. Reconfigure the client to send messages which fit the encoding limits of the service. ',
  },
  /** ERROR_WSMAN_ENCODING_LIMIT: [MS-WSMV] 3.1.4.1.7 requires this fault for MaxEnvelopeSize below 8192. */
  maxEnvelopeSizeTooSmall: {
    code: 'Sender',
    subcode: 'w:EncodingLimit',
    wsmanCode: 2150858805,
    message: 'The WS-Management service cannot process the request because the MaxEnvelopeSize is smaller than the minimum allowed value of 8192. ',
    faultDetail: `${DETAIL}MaxEnvelopeSize`,
  },
  /** ERROR_WSMAN_MAX_ENVELOPE_SIZE_EXCEEDED 0x80338048 */
  responseTooLarge: {
    code: 'Sender',
    subcode: 'w:EncodingLimit',
    wsmanCode: 2150858824,
    message: 'The response that the WS-Management service computed exceeds the maximum envelope size in the request. ',
    faultDetail: `${DETAIL}MaxEnvelopeSize`,
  },
  /** ERROR_WSMAN_QUOTA_MAX_SHELLS: Winrs.MaxShellsPerUser reached. */
  shellQuota: {
    code: 'Sender',
    subcode: 'w:QuotaLimit',
    wsmanCode: 2150859173,
    message:
      'The WS-Management service cannot process the request. The maximum number of concurrent shells for this user has been exceeded. Close existing shells or raise the quota for this user. ',
  },
  /**
   * ERROR_WSMAN_QUOTA_MAX_SHELLUSERS 0x803381AB: Winrs.MaxConcurrentUsers reached (a new user's
   * first shell). The code is wsmerror.h's; the text is our rendering of Windows' (unverified).
   */
  userQuota: {
    code: 'Sender',
    subcode: 'w:QuotaLimit',
    wsmanCode: 2150859179,
    message:
      'The WS-Management service cannot process the request. The maximum number of users executing remote operations has been exceeded for this system. Retry the request later or raise the quota. ',
  },
  /**
   * ERROR_WSMAN_QUOTA_MAX_OPERATIONS 0x803381A6, for Service.MaxConcurrentOperationsPerUser: the
   * text names exactly that quota. Windows gives the same code when a shell's command quota runs
   * out (commandQuota, below).
   */
  operationQuota: {
    code: 'Sender',
    subcode: 'w:QuotaLimit',
    wsmanCode: 2150859174,
    message:
      'The WS-Management service cannot process the request. The maximum number of concurrent operations for this user has been exceeded. Close existing operations for this user, or raise the quota for this user. ',
  },
  /**
   * ERROR_WSMAN_QUOTA_MAX_OPERATIONS: Winrs.MaxProcessesPerShell reached. Ansible's winrm
   * connection plugin recreates the shell on exactly this code (0x803381A6) when a shell has run
   * too many commands; WinRb and others retry on it.
   */
  commandQuota: {
    code: 'Sender',
    subcode: 'w:QuotaLimit',
    wsmanCode: 2150859174,
    message:
      'The WS-Management service cannot process the request. The maximum number of concurrent operations for this user has been exceeded. Close existing operations for this user, or raise the quota for this user. ',
  },
  /** Win32 ERROR_BUSY (170): a second Receive while one is still waiting on the same command. */
  resourceBusy: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 170,
    message: 'The requested resource is in use. ',
  },
  /** ERROR_WSMAN_INVALID_PARAMETER 0x8033803A semantics with Win32 ERROR_INVALID_PARAMETER (87), as recorded. */
  invalidParameter: {
    code: 'Sender',
    subcode: 'w:InvalidParameter',
    wsmanCode: 87,
    message: 'The parameter is incorrect. ',
    faultDetail: `${DETAIL}InvalidValue`,
  },
  /** Win32 ERROR_DIRECTORY (267): WorkingDirectory does not exist. */
  invalidDirectory: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 267,
    message: 'The directory name is invalid. ',
  },
  /** HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): the command could not be started. */
  launchFailed: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 2147942402,
    message: 'The system cannot find the file specified. ',
  },
  /** ERROR_WSMAN_ENUMERATE_INVALID_ENUMERATION_CONTEXT 0x8033801B */
  invalidEnumerationContext: {
    code: 'Receiver',
    subcode: 'n:InvalidEnumerationContext',
    wsmanCode: 2150858779,
    message:
      'The WS-Enumeration context in the enumeration is not valid. Enumeration may have been completed or canceled. You cannot use this enumeration context anymore. Start a new enumeration. ',
  },
  /** ERROR_WSMAN_ENUMERATE_FILTERING_NOT_SUPPORTED 0x80338018 */
  filteringNotSupported: {
    code: 'Sender',
    subcode: 'n:FilteringNotSupported',
    wsmanCode: 2150858776,
    message: 'The data source does not support filtering. Remove the filter from the request and try the request again. ',
  },
  /**
   * The user's shell host (winrmd's wsmprovhost) died or stopped answering. Windows answers a
   * request whose wsmprovhost crashed with WSManFault Code 1726 (Win32 RPC_S_CALL_FAILED) and this
   * text, as the Ruby winrm gem prints it (evil-winrm sessions in public write-ups; PowerShell shows
   * the same text when MaxMemoryPerShellMB kills the host). The SOAP code and subcode are not in
   * those captures: Receiver / w:InternalError is our choice (unverified).
   */
  hostFailed: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 1726,
    message: 'The WSMan provider host process did not return a proper response.  A provider in the host process may have behaved improperly. ',
  },
  /** ERROR_WSMAN_PROVIDER_FAILURE 0x80338003: anything unexpected; the detail stays in our log. */
  internalError: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 2150858755,
    message: 'An error was encountered inside the plugin. ',
  },
} as const satisfies Record<string, FaultSpec>;

export type FaultName = keyof typeof FAULTS;
