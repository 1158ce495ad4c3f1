/**
 * Reads a request body within a limit that is looked up per request. Fastify's own reader takes
 * its limit once, when the listener is built; MaxEnvelopeSizekb can change while winrmd runs
 * (Put on the configuration resource), so the listener reads bodies with this instead. It fails
 * the way Fastify's does (FST_ERR_CTP_BODY_TOO_LARGE), which the listener turns into the
 * envelope-size fault. A body of several chunks is joined in memory from `allocate` (the
 * listener's BodyBuffers, given back once the request has been handled).
 */
import type { IncomingMessage } from 'node:http';
import { errorCodes } from 'fastify';

export function readBodyWithin(
  payload: IncomingMessage,
  limit: number,
  allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
): Promise<Buffer> {
  const declared = Number(payload.headers['content-length']);
  if (declared > limit) return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        // Stop collecting; Fastify answers and closes the connection, as for its own limit.
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      if (!Number.isNaN(declared) && received !== declared) reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      // A body that came in one chunk (most requests) is used as it came, not copied.
      else resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : joined(chunks, allocate(received)));
    };
    const onError = (error: Error): void => {
      stop();
      reject(Object.assign(error, { statusCode: 400 }));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

function joined(chunks: readonly Buffer[], out: Buffer): Buffer {
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(out, offset);
  return out;
}
