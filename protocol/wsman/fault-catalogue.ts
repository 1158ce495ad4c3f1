/**
 * The faults winrmd sends, each as Windows sends it for the same case: SOAP code, WS-Management
 * subcode, the Win32/WinRM error number in WSManFault@Code, and the message text (Windows' texts
 * end with a space, some with two; clients show them verbatim). Codes are the ERROR_WSMAN_* values
 * of wsmerror.h. Every fault winrmd sends is built from an entry here. The texts are en-US; other
 * languages live in fault-language.ts.
 *
 * "Recorded" means the entry was checked against a Windows reply recorded by a peer client's tests
 * (the repository and file are named); "unverified" marks what no recording confirms yet.
 */
export interface FaultSpec {
  readonly code: 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch';
  /** Subcode as prefix:local; the prefix names one of the namespaces of PREFIX_DECLARATIONS. */
  readonly subcode?: `${'w' | 'a' | 'n'}:${string}`;
  readonly wsmanCode: number;
  /** f:WSManFault/f:Message: the specific text. */
  readonly message: string;
  /**
   * s:Reason/s:Text when Windows writes a different, generic text there (the subcode's own
   * message) and the specific one only in f:Message; absent: the Reason is the message.
   */
  readonly reason?: string;
  /** A DSP0226 faultDetail URI, when Windows sends one (written before f:WSManFault, as Windows does). */
  readonly faultDetail?: string;
  /**
   * Raised by the resource's plugin (a Win32 error of the shell plugin) rather than the service:
   * Windows then wraps f:Message's text in f:ProviderFault naming the plugin.
   */
  readonly fromPlugin?: boolean;
}

const DETAIL = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/';

/** s:Reason of every w:InvalidSelectors fault Windows sends (the recordings named below). */
const INVALID_SELECTORS_REASON =
  'The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ';

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
  /**
   * ERROR_WSMAN_INVALID_MESSAGE_INFORMATION_HEADER 0x8033800F. Recorded (Reason generic, Message
   * naming the header): jborean93/pypsrp tests/tests_pypsrp/responses/test_psrp_is_alive_other_wsman_error.yml.
   */
  invalidHeader: {
    code: 'Sender',
    subcode: 'a:InvalidMessageInformationHeader',
    wsmanCode: 2150858767,
    message: 'The WS-Management service cannot process the request. The request contains one or more invalid SOAP headers. ',
  },
  /**
   * The same fault for an OperationTimeout that is not an xs:duration ({0} is the value). Recorded:
   * jborean93/pypsrp tests/tests_pypsrp/responses/test_psrp_is_alive_other_wsman_error.yml.
   */
  invalidTimeoutHeader: {
    code: 'Sender',
    subcode: 'a:InvalidMessageInformationHeader',
    wsmanCode: 2150858767,
    reason: 'The WS-Management service cannot process the request. The request contains one or more invalid SOAP headers. ',
    message: 'The WS-Management service cannot process the request. The XML contains an invalid timeout field in the SOAP header: {0}. ',
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
  /**
   * ERROR_WSMAN_INVALID_RESOURCE_URI 0x8033803B: a resource URI this service has no plugin for; {0}
   * is the URI. Code and text recorded: a Windows reply quoted in jborean93/pypsrp issue #192 (an
   * Enumerate of `winrm/config/listener`). The subcode is WS-Addressing's DestinationUnreachable, as
   * DSP0226 (Table "wsa:DestinationUnreachable", detail InvalidResourceURI) prescribes and as Windows
   * writes it for a missing instance (microsoft/omi issue #254, a recorded reply): not the wsman
   * namespace, and 2150858770 is the client-side "cannot connect" error, not this one.
   */
  unknownResource: {
    code: 'Sender',
    subcode: 'a:DestinationUnreachable',
    wsmanCode: 2150858811,
    message:
      'The WS-Management service cannot process the request. The resource URI ({0}) was not found in the WS-Management catalog. The catalog contains the metadata that describes resources, or logical endpoints. ',
    faultDetail: `${DETAIL}InvalidResourceURI`,
  },
  /**
   * ERROR_WSMAN_RESOURCE_NOT_FOUND 0x80338000: the selectors name no instance (a listener that does
   * not exist; cloudbase-init checks for this code). Subcode a:DestinationUnreachable, addressing
   * fault action and the text's start recorded in microsoft/omi issue #254 (a Windows reply to a
   * Get of a missing Win32_Process); the code is unverified.
   */
  resourceNotFound: {
    code: 'Sender',
    subcode: 'a:DestinationUnreachable',
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
   * Recorded: diyan/pywinrm winrm/tests/winrm_responses/shells.py (CLOSE_SHELL_RESPONSE_ALREADY_CLOSED):
   * the generic selector text in s:Reason, WinRS' text in f:Message, FaultDetail first.
   */
  unknownShell: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858843,
    reason: INVALID_SELECTORS_REASON,
    message:
      'The request for the Windows Remote Shell with ShellId {0} failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation. ',
    faultDetail: `${DETAIL}UnexpectedSelectors`,
  },
  /**
   * ERROR_WSMAN_UNEXPECTED_SELECTORS 0x8033805B, WinRS' text for a CommandId. Recorded:
   * jborean93/pypsrp tests/tests_pypsrp/responses/test_winrs_bad_cmd_id.yml and
   * test_psrp_receive_failure.yml (Reason generic, Message WinRS').
   */
  unknownCommand: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858843,
    reason: INVALID_SELECTORS_REASON,
    message:
      'The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. Either the command has completed execution or the client specified an invalid command identifier. ',
    faultDetail: `${DETAIL}UnexpectedSelectors`,
  },
  /**
   * Win32 ERROR_ACCESS_DENIED (5): a configuration resource for a non-administrator, a shell the
   * user's account cannot run. Code 5 is what WinRb/WinRM lib/winrm/shells/power_shell.rb expects
   * of a non-administrator's config Get; the text is Win32's. The subcode is unverified (DSP0226's
   * w:AccessDenied).
   */
  accessDenied: {
    code: 'Sender',
    subcode: 'w:AccessDenied',
    wsmanCode: 5,
    message: 'Access is denied. ',
  },
  /**
   * ERROR_WSMAN_OPERATION_TIMEDOUT 0x80338029: clients retry a Receive on exactly this code.
   * Recorded, two trailing spaces included: jborean93/pypsrp
   * tests/tests_pypsrp/responses/test_winrs_operation_timeout.yml, test_psrp_long_running_cmdlet.yml.
   */
  timedOut: {
    code: 'Receiver',
    subcode: 'w:TimedOut',
    wsmanCode: 2150858793,
    message: 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ',
  },
  /**
   * ERROR_WSMAN_ENCODING_LIMIT 0x80338035: the request is larger than MaxEnvelopeSizekb. No
   * recording shows Windows' reply to an oversized request: the pairing stays unverified.
   */
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
  /** ERROR_WSMAN_MAX_ENVELOPE_SIZE_EXCEEDED 0x80338048 (pairing unverified). */
  responseTooLarge: {
    code: 'Sender',
    subcode: 'w:EncodingLimit',
    wsmanCode: 2150858824,
    message: 'The response that the WS-Management service computed exceeds the maximum envelope size in the request. ',
    faultDetail: `${DETAIL}MaxEnvelopeSize`,
  },
  /** ERROR_WSMAN_QUOTA_MAX_SHELLS: Winrs.MaxShellsPerUser reached (subcode and text from [MS-WSMV] 3.1.4.5.2.1; unverified). */
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
  /**
   * Win32 ERROR_BUSY (170): a second Receive while one is still waiting on the same command. The
   * text is Win32's; that the shell plugin reports it (subcode, provider) follows the recorded
   * plugin faults below and is unverified.
   */
  resourceBusy: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 170,
    message: 'The requested resource is in use. ',
    fromPlugin: true,
  },
  /**
   * Win32 ERROR_INVALID_PARAMETER (87) with faultDetail InvalidValue. Recorded from the shell
   * plugin (in f:ProviderFault): jborean93/pypsrp tests/tests_pypsrp/responses/test_winrs_fail_poll_process.yml.
   */
  invalidParameter: {
    code: 'Sender',
    subcode: 'w:InvalidParameter',
    wsmanCode: 87,
    message: 'The parameter is incorrect. ',
    faultDetail: `${DETAIL}InvalidValue`,
    fromPlugin: true,
  },
  /** Win32 ERROR_DIRECTORY (267): WorkingDirectory does not exist (shaped as the recorded plugin faults; unverified). */
  invalidDirectory: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 267,
    message: 'The directory name is invalid. ',
    fromPlugin: true,
  },
  /**
   * HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): the command could not be started. Recorded:
   * jborean93/pypsrp tests/tests_pypsrp/responses/test_winrs_no_cmd_shell.yml.
   */
  launchFailed: {
    code: 'Receiver',
    subcode: 'w:InternalError',
    wsmanCode: 2147942402,
    message: 'The system cannot find the file specified. ',
    fromPlugin: true,
  },
  /** ERROR_WSMAN_ENUMERATE_INVALID_ENUMERATION_CONTEXT 0x8033801B */
  invalidEnumerationContext: {
    code: 'Receiver',
    subcode: 'n:InvalidEnumerationContext',
    wsmanCode: 2150858779,
    message:
      'The WS-Enumeration context in the enumeration is not valid. Enumeration may have been completed or canceled. You cannot use this enumeration context anymore. Start a new enumeration. ',
  },
  /**
   * ERROR_WSMAN_MUSTUNDERSTAND_ON_LOCALE_UNSUPPORTED 0x80338087: [MS-WSMV] 3.1.4.1.8 requires
   * wsman:UnsupportedFeature with the Locale detail when w:Locale is marked mustUnderstand="true".
   * The text is unverified.
   */
  localeMustUnderstand: {
    code: 'Sender',
    subcode: 'w:UnsupportedFeature',
    wsmanCode: 2150858887,
    message: 'The WS-Management service does not support the mustUnderstand attribute set to true on the Locale header. ',
    faultDetail: `${DETAIL}Locale`,
  },
  /** The same for p:DataLocale ([MS-WSMV] 3.1.4.1.9, detail DataLocale); the text is unverified. */
  dataLocaleMustUnderstand: {
    code: 'Sender',
    subcode: 'w:UnsupportedFeature',
    wsmanCode: 2150858887,
    message: 'The WS-Management service does not support the mustUnderstand attribute set to true on the DataLocale header. ',
    faultDetail: `${DETAIL}DataLocale`,
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
