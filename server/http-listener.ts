import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ACTION } from '../protocol/wsman/actions.js';
import { WsmanFault } from '../protocol/wsman/fault.js';
import type { AuthDecision, AuthGate } from './auth-gate.js';
import type { ServiceState } from './handlers/index.js';
import { releaseGatheredLines, type Logger } from './logger.js';
import { MessageSecurityError, type SecurityContext } from '../auth/security-context.js';
import { connectionSecurityOf } from './connection-security.js';
import { decryptRequest, encryptReply, isEncryptedBody } from './message-encryption.js';
import { BodyBuffers } from './body-buffers.js';
import { decodeSoapBody, encodeSoapReply, wholeText, type BodyCharset } from './request-text.js';
import { dispatchEnvelope, faultEnvelope, type DispatcherSettings, type DispatchResult } from './wsman-dispatch.js';
import type { ConnectionFirewall } from '../firewall/index.js';
import { actionLabel } from '../events/operation-names.js';
import { NO_OBSERVER, type ServiceObserver } from '../events/signals.js';
import { connectionOf, trackConnections } from './connection-tracking.js';
import { readBodyWithin } from './body-reader.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TranscriptWriter } from './transcript.js';
import type { EnvelopeText } from '../protocol/xml/reply-text.js';

export interface ListenerOptions {
  readonly transport: 'http' | 'https';
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly maxConnections: number;
  /** Service.MaxPacketRetrievalTimeSeconds: how long a request may take to arrive whole. */
  readonly requestTimeoutMs: number;
  readonly gate: AuthGate;
  readonly service: ServiceState;
  readonly dispatcher: DispatcherSettings;
  readonly log: Logger;
  readonly logBodies: boolean;
  /** Firewall and Service.IPv4Filter/IPv6Filter: refuses connections before any byte is read. */
  readonly firewall?: ConnectionFirewall;
  /** Security events and metrics: connections, requests, and (through the gate) logons. */
  readonly observer?: ServiceObserver;
  /** `serve --transcript DIR`: every exchange, as plaintext, one file per connection. */
  readonly transcript?: TranscriptWriter | undefined;
}

/** Windows' HTTP.sys names itself so on every reply; some clients log it, tests diff it. */
const SERVER_HEADER = 'Microsoft-HTTPAPI/2.0';
const WSMAN_PATH = '/wsman';
/** Long enough for a Receive that waits the full Service.MaxTimeoutms between two requests. */
const KEEP_ALIVE_TIMEOUT_MS = 120_000;
const ENCRYPTION_OVERHEAD_BYTES = 4096;

interface RequestNotes {
  auth?: AuthDecision;
  result?: DispatchResult;
  /** When the request arrived and, once decrypted and decoded, its envelope: for the transcript. */
  receivedAt?: string;
  requestEnvelope?: string;
}

/** The plaintext envelope each reply carried (before encryption), for the transcript. */
const sentEnvelopes = new WeakMap<FastifyReply, EnvelopeText>();

/** One WinRM listener: POST /wsman over HTTP or HTTPS; anything else is 404 or 405. */
export function buildListener(options: ListenerOptions): FastifyInstance {
  const notes = new WeakMap<FastifyRequest, RequestNotes>();
  const app = fastify({
    logger: false,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs,
    forceCloseConnections: true,
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } }),
  });
  app.server.maxConnections = options.maxConnections;
  const observer = options.observer ?? NO_OBSERVER;
  // Before the firewall's gate, which then passes it admitted connections only.
  trackConnections(app.server, options.transport, observer);
  options.firewall?.guard(app.server, options.transport);

  app.removeAllContentTypeParsers();
  // Room for the multipart framing and signatures around an envelope of the largest allowed size;
  // the envelope itself is checked against the limit once unsealed. Read per request, since a Put
  // may change MaxEnvelopeSizekb (runtime-config.ts).
  app.addContentTypeParser('*', (_request: FastifyRequest, payload: IncomingMessage) =>
    readBodyWithin(payload, maxEnvelopeBytes(options) + ENCRYPTION_OVERHEAD_BYTES, (size) => bodyBuffers.take(size)),
  );
  // Hooks take callbacks rather than being async: an async hook costs each request a promise and
  // a trip through the microtask queue, which for Identify was a measurable share of its time.
  app.addHook('onRequest', (request, reply, done) => {
    // Set before anything else, so that every reply carries it, 404s and faults included.
    void reply.header('Server', SERVER_HEADER);
    if (options.transcript !== undefined) notes.set(request, { receivedAt: new Date().toISOString() });
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const note = notes.get(request);
    // Written after the reply went out, both halves at once: the client never waits on the disk.
    if (options.transcript !== undefined) recordExchange(options.transcript, request, reply, note, options.transport, observer);
    const auth = note?.auth;
    const level = isRoutineRequest(note, reply.statusCode) ? 'debug' : 'info';
    // The line's fields are gathered only when it will be written.
    if (options.log.isLevelEnabled(level)) {
      options.log[level](
        {
          event: 'request',
          transport: options.transport,
          method: request.method,
          url: request.url,
          remoteAddress: request.ip,
          action: note?.result?.action,
          resource: note?.result?.resourceUri,
          fault: note?.result?.fault,
          user: auth?.kind === 'allow' ? auth.principal.name : undefined,
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime),
        },
        'request',
      );
    }
    observer.notify({
      kind: 'request-completed',
      transport: options.transport,
      action: actionLabel(note?.result?.action),
      status: reply.statusCode,
      durationMs: reply.elapsedTime,
      bytesIn: Number(request.headers['content-length'] ?? 0) || 0,
      bytesOut: Number(reply.getHeader('content-length') ?? 0) || 0,
    });
    releaseGatheredLines(options.log);
    done();
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send());
  app.setErrorHandler((error: { code?: string; statusCode?: number }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendFaultOutsideDispatch(reply, new WsmanFault('requestTooLarge'), options);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send();
    options.log.error({ err: error, url: request.url }, 'unexpected error in the HTTP pipeline');
    return sendFaultOutsideDispatch(reply, new WsmanFault('internalError'), options);
  });

  app.route({
    method: ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: WSMAN_PATH,
    handler: (_request, reply) => reply.code(405).header('Allow', 'POST').send(),
  });

  app.post(WSMAN_PATH, {
    // Authentication runs before the body is read: an unauthenticated client cannot make us buffer it.
    onRequest: async (request, reply) => {
      const auth = await options.gate.authenticate({
        authorization: request.headers.authorization,
        identifyHeader: headerValue(request.headers['wsmanidentify']),
        isTls: options.transport === 'https',
        remoteAddress: request.ip,
        connection: connectionSecurityOf(request.raw.socket),
        remotePort: request.raw.socket.remotePort,
        connectionId: connectionOf(request.raw.socket, options.transport, observer).connectionId,
      });
      notes.set(request, { ...notes.get(request), auth });
      if (auth.kind === 'deny') {
        options.log.debug({ remoteAddress: request.ip, reason: auth.reason }, 'unauthenticated');
        return sendUnauthorized(reply, auth.wwwAuthenticate);
      }
      return undefined;
    },
    handler: async (request, reply) => {
      // Pooled memory the request's handling takes (an unsealed envelope), given back with its body.
      const taken: Buffer[] = [];
      try {
        return await handlePost(request, reply, (size) => {
          const memory = bodyBuffers.take(size);
          taken.push(memory);
          return memory;
        });
      } finally {
        // Nothing reads the body or its plaintext once the request has been handled: a Send's input
        // was decoded into memory of its own, the text and the transcript are strings. Dropped from
        // the request too, so that nothing later can read memory that is no longer its own.
        if (Buffer.isBuffer(request.body) && bodyBuffers.owns(request.body)) {
          taken.push(request.body);
          request.body = undefined;
        }
        for (const memory of taken) bodyBuffers.give(memory);
      }
    },
  });

  async function handlePost(request: FastifyRequest, reply: FastifyReply, allocate: (size: number) => Buffer): Promise<FastifyReply> {
    const note = notes.get(request) ?? {};
    const allowed = note.auth?.kind === 'allow' ? note.auth : undefined;
    if (allowed?.replyAuthenticate !== undefined) void reply.header('WWW-Authenticate', allowed.replyAuthenticate);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    // Encrypting clients finish the handshake with empty bodies and expect a 200 (notes 1.4).
    if (body.length === 0) return reply.code(allowed?.isHandshakeLeg === true ? 200 : 411).send();

    const contentType = request.headers['content-type'] ?? '';
    let soap = body;
    let soapContentType = contentType;
    let sealing: Sealing | undefined;
    if (isEncryptedBody(contentType)) {
      const context = allowed?.security;
      if (context === undefined) return sendUnauthorized(reply, options.gate.challenges());
      try {
        const decrypted = decryptRequest(body, contentType, context, allocate);
        ({ soap, soapContentType } = decrypted);
        sealing = { protocol: decrypted.protocol, context };
      } catch (error) {
        if (!(error instanceof MessageSecurityError)) throw error;
        // The keys may be out of step now; the client must authenticate again.
        connectionSecurityOf(request.raw.socket).reset();
        options.log.warn({ event: 'message-refused', remoteAddress: request.ip, reason: error.message }, 'encrypted message refused');
        return reply.code(400).send();
      }
    } else {
      if (!/^application\/soap\+xml\b/i.test(contentType)) return reply.code(415).send();
      // Windows refuses plaintext from a client that could encrypt, on HTTP, unless AllowUnencrypted.
      if (options.transport === 'http' && !options.service.config['Service.AllowUnencrypted'] && allowed?.security !== undefined) {
        options.log.warn({ event: 'unencrypted-refused', remoteAddress: request.ip }, 'unencrypted message refused');
        return sendUnauthorized(reply, options.gate.challenges());
      }
    }
    if (soap.length > maxEnvelopeBytes(options)) {
      return sendSoap(reply, 500, faultEnvelope(new WsmanFault('requestTooLarge'), options.dispatcher.machineName), 'utf-8', sealing);
    }

    let decoded;
    try {
      decoded = decodeSoapBody(soap, soapContentType);
    } catch (error) {
      if (!(error instanceof WsmanFault)) throw error;
      return sendSoap(reply, 500, faultEnvelope(error, options.dispatcher.machineName), 'utf-8', sealing);
    }
    if (options.logBodies) options.log.debug({ body: wholeText(decoded) }, 'request envelope');
    if (options.transcript !== undefined) note.requestEnvelope = wholeText(decoded);
    notes.set(request, note);
    const clientGone = abortWhenClientGoes(reply.raw);
    const result = await dispatchEnvelope(
      {
        xml: decoded.text,
        charactersChecked: decoded.charactersChecked,
        cutOut: decoded.cutOut,
        principal: allowed?.principal,
        clientIp: request.ip,
        endpointAddress: `${options.transport}://${request.headers.host ?? request.hostname}${WSMAN_PATH}`,
        get abort() {
          return clientGone.signal;
        },
        log: options.log,
        connectionId: connectionOf(request.raw.socket, options.transport, observer).connectionId,
      },
      options.service,
      options.dispatcher,
    );
    note.result = result;
    notes.set(request, note);
    if (result.status === 401) return sendUnauthorized(reply, options.gate.challenges());
    if (options.logBodies) options.log.debug({ body: result.xml }, 'response envelope');
    return sendSoap(reply, result.status, result.envelope, decoded.charset, sealing);
  }
  return app;
}

/**
 * Requests whose line goes out at debug: an anonymous Identify, which monitoring repeats every few
 * seconds (`winrmd health`, Test-WSMan, load balancers' probes), and a Receive or Send that
 * succeeded, which a client repeats for every 500 KB of a command's output or input (hundreds a
 * second when it streams). At info their lines would bury everything else, and writing them cost a
 * streaming listener about 4 % of its time. Their faults, and the command's start, signal and end
 * (own lines and events), stay at info.
 */
function isRoutineRequest(note: RequestNotes | undefined, status: number): boolean {
  if (status !== 200) return false;
  if (note?.result?.identify === true) return note.auth?.kind === 'anonymous-identify';
  const action = note?.result?.action;
  return action === ACTION.receive || action === ACTION.send;
}

interface Sealing {
  readonly protocol: string;
  readonly context: SecurityContext;
}

/** Every SOAP reply, faults included, goes back sealed when its request came sealed (notes 1.7). */
function sendSoap(reply: FastifyReply, status: number, xml: EnvelopeText, charset: BodyCharset, sealing: Sealing | undefined): FastifyReply {
  sentEnvelopes.set(reply, xml);
  const encoded = encodeSoapReply(xml, charset, (size) => bodyBuffers.take(size));
  if (sealing === undefined) {
    bodyBuffers.giveBackWhenFinished(reply.raw, encoded.body);
    return reply.code(status).header('Content-Type', encoded.contentType).send(encoded.body);
  }
  const framed = encryptReply(encoded.body, encoded.contentType, sealing.protocol, sealing.context, (size) => bodyBuffers.take(size));
  // Sealing wrote the ciphertext into new memory and the framing copied it: the plaintext is free now.
  bodyBuffers.give(encoded.body);
  bodyBuffers.giveBackWhenFinished(reply.raw, framed.body);
  prepareWhenSent(reply.raw, sealing.context);
  return reply.code(status).header('Content-Type', framed.contentType).send(framed.body);
}

/**
 * Once a sealed reply has gone to the socket, the context may use the time until the client's
 * next request to get ready for it (SecurityContext.prepare: NTLM makes its RC4 key stream ahead).
 * In the next turn of the event loop, so that the reply's own writes go first.
 */
function prepareWhenSent(response: ServerResponse, context: SecurityContext): void {
  if (context.prepare === undefined) return;
  response.once('finish', () => {
    setImmediate(() => {
      // A client that has gone will send nothing more on this connection.
      if (response.socket?.destroyed === true) return;
      try {
        context.prepare?.();
      } catch {
        // Only an optimisation: the next message does the work itself.
      }
    });
  });
}

/** Large reply bodies, shared by the listeners of this process. */
const bodyBuffers = new BodyBuffers();

function recordExchange(
  transcript: TranscriptWriter,
  request: FastifyRequest,
  reply: FastifyReply,
  note: RequestNotes | undefined,
  transport: 'http' | 'https',
  observer: ServiceObserver,
): void {
  const socket = request.raw.socket;
  const { connectionId } = connectionOf(socket, transport, observer);
  const common = { connectionId, remoteAddress: request.ip, transport };
  transcript.record(socket, {
    ...common,
    time: note?.receivedAt ?? new Date().toISOString(),
    direction: 'request',
    method: request.method,
    url: request.url,
    headers: request.headers,
    envelope: note?.requestEnvelope,
  });
  transcript.record(socket, {
    ...common,
    time: new Date().toISOString(),
    direction: 'response',
    status: reply.statusCode,
    headers: reply.getHeaders(),
    envelope: sentEnvelopes.get(reply)?.toString(),
  });
}

function sendUnauthorized(reply: FastifyReply, challenges: readonly string[]): FastifyReply {
  if (challenges.length > 0) void reply.header('WWW-Authenticate', [...challenges]);
  return reply.code(401).send();
}

/** Faults found before a request could be dispatched (its size) use the same shape. */
function sendFaultOutsideDispatch(reply: FastifyReply, fault: WsmanFault, options: ListenerOptions): FastifyReply {
  return sendSoap(reply, 500, faultEnvelope(fault, options.dispatcher.machineName), 'utf-8', undefined);
}

/**
 * "The client went away before its reply": an AbortSignal made only when a handler asks for one.
 * Most requests never do, and making an AbortController costs more than the rest of an Identify.
 */
function abortWhenClientGoes(response: ServerResponse): { readonly signal: AbortSignal } {
  let controller: AbortController | undefined;
  let gone = false;
  // 'close' comes once; `on` spares the wrapper `once` would make per request.
  response.on('close', () => {
    if (response.writableFinished) return;
    gone = true;
    controller?.abort();
  });
  return {
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (gone) controller.abort();
      }
      return controller.signal;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Service.MaxEnvelopeSizekb in bytes, as the running configuration has it now. */
function maxEnvelopeBytes(options: ListenerOptions): number {
  return options.service.config['Service.MaxEnvelopeSizekb'] * 1024;
}
