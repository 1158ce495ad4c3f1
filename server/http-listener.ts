import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { WsmanFault } from '../protocol/wsman/fault.js';
import type { AuthDecision, AuthGate } from './auth-gate.js';
import type { ServiceState } from './handlers/index.js';
import type { Logger } from './logger.js';
import { decodeSoapBody, encodeSoapReply } from './request-text.js';
import { dispatchEnvelope, faultEnvelope, type DispatcherSettings, type DispatchResult } from './wsman-dispatch.js';

export interface ListenerOptions {
  readonly transport: 'http' | 'https';
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly maxEnvelopeBytes: number;
  readonly maxConnections: number;
  /** Service.MaxPacketRetrievalTimeSeconds: how long a request may take to arrive whole. */
  readonly requestTimeoutMs: number;
  readonly gate: AuthGate;
  readonly service: ServiceState;
  readonly dispatcher: DispatcherSettings;
  readonly log: Logger;
  readonly logBodies: boolean;
}

/** Windows' HTTP.sys names itself so on every reply; some clients log it, tests diff it. */
const SERVER_HEADER = 'Microsoft-HTTPAPI/2.0';
const WSMAN_PATH = '/wsman';
/** Long enough for a Receive that waits the full Service.MaxTimeoutms between two requests. */
const KEEP_ALIVE_TIMEOUT_MS = 120_000;

interface RequestNotes {
  auth?: AuthDecision;
  result?: DispatchResult;
}

/** One WinRM listener: POST /wsman over HTTP or HTTPS; anything else is 404 or 405. */
export function buildListener(options: ListenerOptions): FastifyInstance {
  const notes = new WeakMap<FastifyRequest, RequestNotes>();
  const app = fastify({
    logger: false,
    bodyLimit: options.maxEnvelopeBytes,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs,
    forceCloseConnections: true,
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } }),
  });
  app.server.maxConnections = options.maxConnections;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('Server', SERVER_HEADER);
  });
  app.addHook('onResponse', async (request, reply) => {
    const note = notes.get(request);
    const auth = note?.auth;
    options.log.info(
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
      });
      notes.set(request, { auth });
      if (auth.kind === 'deny') {
        options.log.debug({ remoteAddress: request.ip, reason: auth.reason }, 'unauthenticated');
        return sendUnauthorized(reply, auth.wwwAuthenticate);
      }
      return undefined;
    },
    handler: async (request, reply) => {
      const note = notes.get(request) ?? {};
      const auth = note.auth;
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (body.length === 0) return reply.code(411).send();
      const contentType = request.headers['content-type'] ?? '';
      if (!/^application\/soap\+xml\b/i.test(contentType)) return reply.code(415).send();
      let decoded;
      try {
        decoded = decodeSoapBody(body, contentType);
      } catch (error) {
        if (error instanceof WsmanFault) return sendFaultOutsideDispatch(reply, error, options);
        throw error;
      }
      if (options.logBodies) options.log.debug({ body: decoded.text }, 'request envelope');
      const abort = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const result = await dispatchEnvelope(
        {
          xml: decoded.text,
          principal: auth?.kind === 'allow' ? auth.principal : undefined,
          clientIp: request.ip,
          endpointAddress: `${options.transport}://${request.headers.host ?? request.hostname}${WSMAN_PATH}`,
          abort: abort.signal,
          log: options.log,
        },
        options.service,
        options.dispatcher,
      );
      note.result = result;
      notes.set(request, note);
      if (result.status === 401) return sendUnauthorized(reply, options.gate.challenges());
      if (options.logBodies) options.log.debug({ body: result.xml }, 'response envelope');
      const encoded = encodeSoapReply(result.xml, decoded.charset);
      return reply.code(result.status).header('Content-Type', encoded.contentType).send(encoded.body);
    },
  });
  return app;
}

function sendUnauthorized(reply: FastifyReply, challenges: readonly string[]): FastifyReply {
  if (challenges.length > 0) void reply.header('WWW-Authenticate', [...challenges]);
  return reply.code(401).send();
}

/** Faults found before a request could be dispatched (its size, its charset) use the same shape. */
function sendFaultOutsideDispatch(reply: FastifyReply, fault: WsmanFault, options: ListenerOptions): FastifyReply {
  const xml = faultEnvelope(fault, options.dispatcher.machineName);
  const encoded = encodeSoapReply(xml, 'utf-8');
  return reply.code(500).header('Content-Type', encoded.contentType).send(encoded.body);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
