import type { Config } from '../../config/index.js';
import type { ListenerDescription } from '../../protocol/config/listener-xml.js';
import type { ServiceObserver } from '../../events/signals.js';
import type { WsmanRequest } from '../../protocol/wsman/request.js';
import type { CutOutData } from '../../protocol/xml/cut-out-text.js';
import type { EnvelopeText } from '../../protocol/xml/reply-text.js';
import type { EnumerationRegistry } from '../enumeration-registry.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../principal.js';
import type { RuntimeConfig } from '../runtime-config.js';
import type { ShellAccounts } from '../shell-accounts.js';
import type { ShellHosts } from '../shell-hosts.js';
import type { ShellRegistry } from '../shell-registry.js';

/** What a handler is given: the request, who sent it, and the service's state. */
export interface HandlerContext {
  readonly request: WsmanRequest;
  readonly principal: Principal;
  readonly clientIp: string;
  /** This listener's URL, e.g. https://host:5986/wsman: the Address of created resources. */
  readonly endpointAddress: string;
  /** Fires when the client goes away, so that a long poll stops waiting for nobody. */
  readonly abort: AbortSignal;
  readonly log: Logger;
  readonly service: ServiceState;
  /** The connection the request came on, for correlating events; undefined in unit tests. */
  readonly connectionId?: string | undefined;
  /** A Send's stream content, cut out of the request's text and decoded (protocol/xml/cut-out-text.ts). */
  readonly cutOut?: CutOutData | undefined;
}

export interface ServiceState {
  /** The running configuration, live: read a key when it is needed, never copy it (runtime-config.ts). */
  readonly config: Config;
  /** Changes `config` (Put on the configuration resource). */
  readonly runtime: RuntimeConfig;
  /** The listeners as the listener resource reports them; start-endpoint adds each once it is bound. */
  readonly listeners: ListenerDescription[];
  readonly shells: ShellRegistry;
  /** The per-user shell host processes that own the shells' commands (server/shell-hosts.ts). */
  readonly hosts: ShellHosts;
  readonly enumerations: EnumerationRegistry;
  /** Environment every command starts from, before the shell's own variables. */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  readonly defaultWorkingDirectory: string;
  /** Which Linux account each user's shells run as (server/shell-accounts.ts). */
  readonly accounts: ShellAccounts;
  /** Where handlers report what they did (security events, metrics). */
  readonly observer: ServiceObserver;
}

/** A handler returns the response body's XML; the dispatcher wraps it in the envelope. */
/** A handler's reply body; a Receive's keeps its base64 as bytes (reply-text.ts). */
export type Handler = (ctx: HandlerContext) => Promise<EnvelopeText>;
