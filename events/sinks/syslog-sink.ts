/**
 * Sends events to a syslog collector (Winrmd.Events.Syslog): `udp://host:514` (one datagram per
 * message), `tcp://host:601` (octet-counted frames, RFC 6587) or `unix:///path` (a stream socket,
 * one message per line, as syslog-ng's unix-stream() reads). Node cannot open datagram unix sockets,
 * so /dev/log itself is not a target; point the setting at a collector's UDP port instead.
 *
 * Delivery is best effort: while a stream connection is down, messages wait in a bounded queue and
 * the connection is retried at most every few seconds; a queue that fills drops the oldest.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import type { EventRecord } from '../record.js';
import type { EventSink } from './event-sink.js';
import { formatSyslog } from './syslog-format.js';

export type SyslogTarget =
  | { readonly kind: 'udp' | 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

/** Parses the setting; throws Error with a readable message for anything else. */
export function parseSyslogTarget(text: string): SyslogTarget {
  const match = /^(udp|tcp):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/i.exec(text.trim());
  if (match !== null) {
    const [, scheme = '', rawHost = '', port = ''] = match;
    const host = rawHost.replace(/^\[|\]$/g, '');
    if (Number(port) < 1 || Number(port) > 65535) throw new Error(`port ${port} is out of range`);
    return { kind: scheme.toLowerCase() === 'udp' ? 'udp' : 'tcp', host, port: Number(port) };
  }
  const unix = /^unix:\/\/(\/.+)$/i.exec(text.trim());
  if (unix?.[1] !== undefined) return { kind: 'unix', path: unix[1] };
  throw new Error(`'${text}' is not udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH`);
}

const MAX_QUEUED = 1000;
const RETRY_MS = 5000;

export class SyslogSink implements EventSink {
  readonly #target: SyslogTarget;
  readonly #onError: (error: unknown) => void;
  #udp: UdpSocket | undefined;
  #stream: Socket | undefined;
  #connected = false;
  #nextAttemptMs = 0;
  readonly #queue: string[] = [];
  #reported = false;

  constructor(target: SyslogTarget, onError: (error: unknown) => void) {
    this.#target = target;
    this.#onError = onError;
  }

  write(record: EventRecord): void {
    const message = formatSyslog(record);
    if (this.#target.kind === 'udp') this.#sendUdp(this.#target.host, this.#target.port, message);
    else this.#sendStream(message);
  }

  close(): Promise<void> {
    this.#udp?.close();
    this.#udp = undefined;
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream === undefined) return Promise.resolve();
    return new Promise((resolve) => stream.end(resolve));
  }

  #sendUdp(host: string, port: number, message: string): void {
    if (this.#udp === undefined) {
      const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
      socket.on('error', (error) => {
        this.#report(error);
      });
      socket.unref();
      this.#udp = socket;
    }
    this.#udp.send(Buffer.from(message), port, host, (error) => {
      if (error !== null) this.#report(error);
      else this.#reported = false;
    });
  }

  #sendStream(message: string): void {
    // TCP frames by octet count (RFC 6587 3.4.1); a unix stream by newline, as its readers expect.
    const frame = this.#target.kind === 'tcp' ? `${Buffer.byteLength(message)} ${message}` : `${message}\n`;
    if (this.#connected && this.#stream !== undefined) {
      this.#stream.write(frame);
      return;
    }
    if (this.#queue.length >= MAX_QUEUED) this.#queue.shift();
    this.#queue.push(frame);
    this.#connect();
  }

  #connect(): void {
    if (this.#stream !== undefined || Date.now() < this.#nextAttemptMs) return;
    this.#nextAttemptMs = Date.now() + RETRY_MS;
    const target = this.#target;
    const stream = target.kind === 'unix' ? connect({ path: target.path }) : target.kind === 'tcp' ? connect({ host: target.host, port: target.port }) : undefined;
    if (stream === undefined) return;
    stream.unref();
    this.#stream = stream;
    stream.on('connect', () => {
      this.#connected = true;
      this.#reported = false;
      for (const frame of this.#queue.splice(0)) stream.write(frame);
    });
    stream.on('error', (error) => {
      this.#report(error);
    });
    stream.on('close', () => {
      if (this.#stream === stream) this.#stream = undefined;
      this.#connected = false;
    });
  }

  /** One report per outage, not one per message. */
  #report(error: unknown): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#onError(error);
  }
}
