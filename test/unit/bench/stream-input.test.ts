/**
 * The load generator's stdin loop (bench/support/winrs-driver.ts streamInput): every piece goes
 * out once, in order, End on the last only, and each Send is prepared while the one before is
 * still unanswered.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { BasicTransport, soapReply, type PreparedRequest, type SoapReply, type SoapTransport } from '../../../bench/support/soap-transports.js';
import { streamInput } from '../../../bench/support/winrs-driver.js';

class RecordingTransport implements SoapTransport {
  readonly events: string[] = [];
  readonly sentBodies: string[] = [];
  #prepared = 0;
  #answer: (() => void) | undefined;

  exchange(xml: string | Buffer): Promise<SoapReply> {
    return this.send(this.prepare(xml));
  }

  prepare(xml: string | Buffer): PreparedRequest {
    this.#prepared += 1;
    this.events.push(`prepare ${this.#prepared}`);
    return { body: Buffer.from(xml), headers: { 'X-Order': String(this.#prepared) } };
  }

  send(request: PreparedRequest): Promise<SoapReply> {
    this.events.push(`send ${request.headers['X-Order'] ?? '?'}`);
    this.sentBodies.push(request.body.toString('utf8'));
    return new Promise((resolve) => {
      this.#answer = () => {
        this.events.push(`answered ${request.headers['X-Order'] ?? '?'}`);
        resolve(soapReply(200, Buffer.from('<s:Envelope/>')));
      };
      // The server answers later, after the client has had its turn.
      setImmediate(() => this.#answer?.());
    });
  }

  close(): void {}
}

describe('streamInput', () => {
  it('sends every piece once, in order, with End on the last, preparing each while the one before is in flight', async () => {
    const transport = new RecordingTransport();
    const pieces = [Buffer.from('first'), Buffer.from('second'), Buffer.from('third')];
    await streamInput(transport, 'SHELL', 'COMMAND', pieces);

    expect(transport.events).toEqual(['prepare 1', 'send 1', 'prepare 2', 'answered 1', 'send 2', 'prepare 3', 'answered 2', 'send 3', 'answered 3']);
    const streams = transport.sentBodies.map((body) => /<shell:Stream ([^>]*)>([^<]*)</.exec(body));
    expect(streams.map((match) => Buffer.from(match?.[2] ?? '', 'base64').toString())).toEqual(['first', 'second', 'third']);
    expect(streams.map((match) => match?.[1]?.includes('End="true"'))).toEqual([false, false, true]);
  });

  it('sends a single piece with End', async () => {
    const transport = new RecordingTransport();
    await streamInput(transport, 'SHELL', 'COMMAND', [Buffer.from('only')]);
    expect(transport.events).toEqual(['prepare 1', 'send 1', 'answered 1']);
    expect(transport.sentBodies[0]).toContain('End="true"');
  });

  it('sends one empty Send with End for no input, so that stdin still closes', async () => {
    const transport = new RecordingTransport();
    await streamInput(transport, 'SHELL', 'COMMAND', []);
    expect(transport.events).toEqual(['prepare 1', 'send 1', 'answered 1']);
    expect(transport.sentBodies[0]).toMatch(/End="true"><\/shell:Stream>/);
  });

  it('writes each Send on a real connection before it prepares the next', async () => {
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'Content-Type': 'application/soap+xml;charset=UTF-8' }).end('<s:Envelope/>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const transport = new BasicTransport(port, 'user', 'password');
    const events: string[] = [];
    const prepare = transport.prepare.bind(transport);
    transport.prepare = (xml) => {
      events.push('prepare');
      return prepare(xml);
    };
    // Every request's head goes through Socket#write: recorded beside the prepares, in order.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with its socket as `this`
    const originalWrite = net.Socket.prototype.write;
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]): boolean {
      if (typeof args[0] === 'string' && args[0].startsWith('POST ')) events.push('write');
      return Reflect.apply(originalWrite, this, args) as boolean;
    };
    try {
      await transport.exchange('<s:Envelope/>'); // the connection is up from here on
      events.length = 0;
      await streamInput(transport, 'SHELL', 'COMMAND', [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
      expect(events).toEqual(['prepare', 'write', 'prepare', 'write', 'prepare', 'write']);
    } finally {
      net.Socket.prototype.write = originalWrite;
      transport.close();
      server.close();
    }
  });
});
