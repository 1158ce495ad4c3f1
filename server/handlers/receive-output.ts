import { WsmanFault } from '../../protocol/wsman/fault.js';
import { parseReceive, writeReceiveResponseText, type ReceivedStream } from '../../protocol/winrs/receive.js';
import type { ReplyText } from '../../protocol/xml/reply-text.js';
import { COMMAND_STATE } from '../../protocol/winrs/uris.js';
import { ReceiveBusyError, type CommandOutput, type OutputStreamName } from '../../shell/index.js';
import { encodeOutput } from '../stream-compression.js';
import type { HandlerContext } from './context.js';
import { effectiveTimeoutMs, receiveBudget } from './limits.js';
import { requireCmdShellResource, requireCommand, requireShell, withShellActivity } from './shell-lookup.js';

/**
 * [MS-WSMV] 3.1.4.14 Receive: waits up to OperationTimeout for output, then returns what there is
 * within the client's MaxEnvelopeSize. Nothing to report in time is the w:TimedOut fault, on which
 * every client simply asks again.
 */
export async function receiveOutput(ctx: HandlerContext): Promise<ReplyText> {
  requireCmdShellResource(ctx);
  const record = requireShell(ctx);
  const request = parseReceive(ctx.request.body);
  const command = requireCommand(record, request.commandId);
  const streams = new Set(request.streams.filter(isOutputStream));

  const { maxBytes, chunkOverheadBytes } = receiveBudget(ctx, command.id);
  const until = timeoutOrClientGone(ctx.abort, effectiveTimeoutMs(ctx));

  let output: CommandOutput;
  try {
    output = await withShellActivity(record, () => command.receive(streams, maxBytes, until.signal, chunkOverheadBytes));
  } catch (error) {
    if (error instanceof ReceiveBusyError) throw new WsmanFault('resourceBusy', [], `second Receive on ${command.id}`);
    throw error;
  } finally {
    until.release();
  }
  if (output.chunks.length === 0 && output.endedStreams.length === 0 && output.exitCode === undefined) {
    throw new WsmanFault('timedOut');
  }
  if (output.exitCode !== undefined) {
    ctx.log.info({ event: 'command-ended', shellId: record.id, commandId: command.id, exitCode: output.exitCode }, 'command ended');
  }
  const elements: ReceivedStream[] = [
    ...coalesce(output).map((s) => ({ ...s, data: encodeOutput(record, s.data) })),
    ...output.endedStreams.map((name) => ({ name, data: Buffer.alloc(0), end: true })),
  ];
  return writeReceiveResponseText(command.id, elements, {
    state: output.exitCode === undefined ? COMMAND_STATE.running : COMMAND_STATE.done,
    exitCode: output.exitCode,
  });
}

/**
 * Aborts at the OperationTimeout or when the client goes. Not AbortSignal.any with
 * AbortSignal.timeout: together they cost about 30 µs (a Receive's whole handler costs a few
 * times that), and the timeout's timer stays for the whole OperationTimeout, a minute, after a
 * Receive that is answered in a millisecond.
 */
function timeoutOrClientGone(client: AbortSignal, timeoutMs: number): { readonly signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = (): void => {
    controller.abort();
  };
  const timer = setTimeout(abort, timeoutMs);
  timer.unref();
  if (client.aborted) abort();
  else client.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      client.removeEventListener('abort', abort);
    },
  };
}

function isOutputStream(name: string): name is OutputStreamName {
  return name === 'stdout' || name === 'stderr';
}

/** Adjacent chunks of one stream become one Stream element: fewer tags, same bytes, same order. */
function coalesce(output: CommandOutput): ReceivedStream[] {
  const result: { name: OutputStreamName; parts: Buffer[] }[] = [];
  for (const chunk of output.chunks) {
    const last = result.at(-1);
    if (last?.name === chunk.stream) last.parts.push(chunk.data);
    else result.push({ name: chunk.stream, parts: [chunk.data] });
  }
  // The host joins runs already: usually one part, which needs no copy.
  return result.map((r) => ({ name: r.name, data: r.parts.length === 1 && r.parts[0] !== undefined ? r.parts[0] : Buffer.concat(r.parts), end: false }));
}
