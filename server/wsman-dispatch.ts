import { randomUUID } from 'node:crypto';
import { recordedOperation } from '../events/operation-names.js';
import { ACTION, responseAction } from '../protocol/wsman/actions.js';
import { pluginFor } from '../protocol/winrs/plugin.js';
import { restoreCutOut, type CutOutData, type CutOutText } from '../protocol/xml/cut-out-text.js';
import { decodeWholeBase64Bytes } from '../protocol/whole-base64.js';
import { sendHoldsCutOut } from '../protocol/winrs/send.js';
import { faultAction, faultTexts, WsmanFault, writeFaultBody } from '../protocol/wsman/fault.js';
import { DEFAULT_FAULT_LANGUAGE } from '../protocol/wsman/fault-language.js';
import { writeIdentifyResponse, type IdentifyFacts } from '../protocol/wsman/identify.js';
import { parseRequest, type WsmanRequest } from '../protocol/wsman/request.js';
import { writeEnvelope, writeEnvelopeText } from '../protocol/wsman/response.js';
import { utf8Length, type EnvelopeText } from '../protocol/xml/reply-text.js';
import { HANDLERS, type ServiceState } from './handlers/index.js';
import { maxEnvelopeBytes } from './handlers/limits.js';
import type { Logger } from './logger.js';
import type { Principal } from './principal.js';
import { HostDiedError, HostTimeoutError, UnknownTargetError } from '../host/errors.js';

export interface DispatchInput {
  readonly xml: string;
  /** The request's bytes showed that every character of `xml` is one XML allows (request-text.ts). */
  readonly charactersChecked?: boolean | undefined;
  /** A Send's stream content, kept as bytes where `xml` has a marker (protocol/xml/cut-out-text.ts). */
  readonly cutOut?: CutOutText | undefined;
  /** Undefined for an Identify let through by `WSMANIDENTIFY: unauthenticated`. */
  readonly principal: Principal | undefined;
  readonly clientIp: string;
  readonly endpointAddress: string;
  readonly abort: AbortSignal;
  readonly log: Logger;
  /** The connection the request came on, for correlating security events. */
  readonly connectionId?: string | undefined;
}

export interface DispatchResult {
  /** 200, 500 for faults, or 401 when an unauthenticated request turned out not to be an Identify. */
  readonly status: 200 | 401 | 500;
  /** The reply envelope, its base64 possibly still bytes (reply-text.ts): what the listener sends. */
  readonly envelope: EnvelopeText;
  /** The same as one string, made when asked for (tests, transcripts, debug logs). */
  readonly xml: string;
  /** What was asked, for the request log line. */
  readonly action: string | undefined;
  readonly resourceUri: string | undefined;
  readonly fault: string | undefined;
  /** An Identify answered (for the listener's log level). */
  readonly identify?: boolean;
}

export interface DispatcherSettings {
  readonly machineName: string;
  readonly identify: Omit<IdentifyFacts, 'authenticated' | 'transport'>;
}

const DEFAULT_LANG = DEFAULT_FAULT_LANGUAGE;
const LANG_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/**
 * The request, parsed with a Send's stream content cut out of its text where that reads as the
 * whole text would (protocol/xml/cut-out-text.ts): the marker is all the text of the Send's one
 * rsp:Stream, and the content whole base64 (which proves it held no reference, ']]>' or line break
 * that the parse would have read). Parsed whole otherwise, faults included.
 */
function parseWithCutOut(input: DispatchInput): { request: WsmanRequest; cutOut: CutOutData | undefined } {
  const options = { charactersChecked: input.charactersChecked };
  const { cutOut } = input;
  if (cutOut === undefined) return { request: parseRequest(input.xml, options), cutOut: undefined };
  try {
    const request = parseRequest(input.xml, options);
    if (request.action === ACTION.send && sendHoldsCutOut(request.body, cutOut)) {
      const data = decodeWholeBase64Bytes(cutOut.bytes);
      if (data !== undefined) return { request, cutOut: { marker: cutOut.marker, data } };
    }
  } catch {
    // The whole text's parse below gives the fault, with its own words and line.
  }
  return { request: parseRequest(restoreCutOut(input.xml, cutOut), options), cutOut: undefined };
}

/** Decodes one envelope, runs its handler and encodes the reply; every failure becomes a fault. */
export async function dispatchEnvelope(
  input: DispatchInput,
  service: ServiceState,
  settings: DispatcherSettings,
): Promise<DispatchResult> {
  let request: WsmanRequest | undefined;
  try {
    const parsed = parseWithCutOut(input);
    request = parsed.request;
    const { cutOut } = parsed;
    if (request.isIdentify) {
      const transport = input.endpointAddress.startsWith('https:') ? 'https' : 'http';
      return ok(request, identifyReply(settings, input.principal !== undefined, transport, langOf(request)), true);
    }
    if (input.principal === undefined) {
      return { status: 401, envelope: '', xml: '', action: request.action, resourceUri: request.resourceUri, fault: undefined };
    }
    const action = request.action ?? '';
    const handler = HANDLERS.get(action);
    if (handler === undefined) throw new WsmanFault('actionNotSupported', [], `action ${action}`);
    const operation = recordedOperation(action);
    if (operation !== undefined) {
      const shellId = request.selectors.get('shellid');
      service.observer.notify({ kind: 'operation', connectionId: input.connectionId, user: input.principal.name, operation, resourceUri: request.resourceUri, shellId });
    }
    // Service.MaxConcurrentOperationsPerUser: a waiting Receive counts until it returns.
    const endOperation = service.shells.beginOperation(input.principal.name);
    let body: EnvelopeText;
    try {
      body = await handler({
        request,
        principal: input.principal,
        clientIp: input.clientIp,
        endpointAddress: input.endpointAddress,
        // Read through, not copied: the listener makes the signal only when a handler asks for it.
        get abort() {
          return input.abort;
        },
        log: input.log,
        service,
        connectionId: input.connectionId,
        cutOut,
      });
    } finally {
      endOperation();
    }
    const envelope = writeEnvelopeText(
      { action: responseAction(action), messageId: newMessageId(), relatesTo: request.messageId, lang: langOf(request) },
      body,
    );
    const limit = maxEnvelopeBytes(request, service.config);
    // UTF-8 takes at most three bytes per UTF-16 unit: most replies need no byte count at all.
    if (envelope.length * 3 > limit) {
      const bytes = utf8Length(envelope);
      if (bytes > limit) throw new WsmanFault('responseTooLarge', [], `${bytes} > ${limit}`);
    }
    return ok(request, envelope);
  } catch (error) {
    const fault = error instanceof WsmanFault ? error : unexpected(error, input.log);
    if (fault.logDetail !== undefined) input.log.debug({ fault: fault.fault, detail: fault.logDetail }, 'fault');
    // The Reason in the language the request asked for, when we have it (fault-language.ts).
    const texts = faultTexts(fault, request?.locale);
    const xml = writeEnvelope(
      { action: faultAction(fault.spec), messageId: newMessageId(), relatesTo: request?.messageId ?? fault.relatesTo, lang: texts.lang },
      writeFaultBody(fault, { machine: settings.machineName, texts, provider: pluginFor(request?.resourceUri) }),
    );
    return { status: 500, envelope: xml, xml, action: request?.action, resourceUri: request?.resourceUri, fault: fault.fault };
  }
}

/**
 * The anonymous Identify reply, made once per settings object and transport: it tells only the
 * vendor and protocol, and it is the request monitoring tools repeat. An authenticated reply lists
 * the auth profiles, which a Put can change, and its language comes from the client, so it is
 * written each time and nothing a client sends can grow the cache.
 */
const anonymousIdentifyReplies = new WeakMap<DispatcherSettings, Map<IdentifyTransport, string>>();

type IdentifyTransport = 'http' | 'https';

function identifyReply(settings: DispatcherSettings, authenticated: boolean, transport: IdentifyTransport, lang: string): string {
  // Windows writes xml:lang on an authenticated Identify's envelope but none on an anonymous one
  // (a reply quoted in Greenbone's WinRM detection script).
  if (authenticated) return writeEnvelope({ lang }, writeIdentifyResponse({ ...settings.identify, authenticated, transport }));
  let replies = anonymousIdentifyReplies.get(settings);
  if (replies === undefined) {
    replies = new Map();
    anonymousIdentifyReplies.set(settings, replies);
  }
  let reply = replies.get(transport);
  if (reply === undefined) {
    reply = writeEnvelope({ lang: undefined }, writeIdentifyResponse({ ...settings.identify, authenticated, transport }));
    replies.set(transport, reply);
  }
  return reply;
}

function ok(request: WsmanRequest, envelope: EnvelopeText, identify = false): DispatchResult {
  return {
    identify,
    status: 200,
    envelope,
    get xml() {
      return envelope.toString();
    },
    action: request.action,
    resourceUri: request.resourceUri,
    fault: undefined,
  };
}

/** Anything that is not a WS-Management fault is our bug: log it whole, tell the client nothing of it. */
function unexpected(error: unknown, log: Logger): WsmanFault {
  // A shell host that died or hangs is not our bug: Windows' answer for a failed wsmprovhost.
  if (error instanceof HostDiedError || error instanceof HostTimeoutError) {
    log.warn({ event: 'shell-host-failed', reason: error.message }, 'a request failed because its shell host ended or hung');
    return new WsmanFault('hostFailed', [], error.message);
  }
  // The shell or command went away in the host while the request was on its way: to the client
  // it is gone, exactly as one the listener already knew to be gone (shell-lookup.ts).
  if (error instanceof UnknownTargetError) {
    return error.target === 'shell'
      ? new WsmanFault('unknownShell', [error.targetId], error.message)
      : new WsmanFault('unknownCommand', [], error.message);
  }
  log.error({ err: error }, 'unexpected error while handling a request');
  return new WsmanFault('internalError');
}

function langOf(request: WsmanRequest): string {
  return request.locale !== undefined && LANG_TAG.test(request.locale) ? request.locale : DEFAULT_LANG;
}

function newMessageId(): string {
  return `uuid:${randomUUID().toUpperCase()}`;
}

/** A fault envelope for a request that never reached parsing (too large, undecodable). */
export function faultEnvelope(fault: WsmanFault, machineName: string): string {
  return writeEnvelope(
    { action: faultAction(fault.spec), messageId: newMessageId(), lang: DEFAULT_LANG },
    writeFaultBody(fault, { machine: machineName, texts: faultTexts(fault, undefined) }),
  );
}
