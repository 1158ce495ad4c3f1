import type { Config } from '../../config/index.js';
import type { WsmanRequest } from '../../protocol/wsman/request.js';
import type { EnumerationRegistry } from '../enumeration-registry.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../principal.js';
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
}

export interface ServiceState {
  readonly config: Config;
  readonly shells: ShellRegistry;
  readonly enumerations: EnumerationRegistry;
  /** Environment every command starts from, before the shell's own variables. */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  readonly defaultWorkingDirectory: string;
}

/** A handler returns the response body's XML; the dispatcher wraps it in the envelope. */
export type Handler = (ctx: HandlerContext) => Promise<string>;
