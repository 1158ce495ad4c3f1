/**
 * The messages between the listener and a shell host (host/main.ts), over Node's IPC channel with
 * the 'advanced' serialization (structured clone): Buffers and Maps cross as they are.
 *
 * Every request carries an id; the host answers each with exactly one reply of the same id. A
 * `cancel` names a waiting Receive to answer at once with what it has; a `hurry` names a patient
 * one (asked ahead of the client) to answer as a client's Receive would. Nothing else flows.
 */
import type { CommandLaunch, CommandOutput, OutputStreamName, ShellSettings, ShellSignal } from '../shell/types.js';

export type HostOperation =
  | { readonly op: 'openShell'; readonly shellId: string; readonly settings: ShellSettings }
  | { readonly op: 'closeShell'; readonly shellId: string }
  | { readonly op: 'startCommand'; readonly shellId: string; readonly commandId: string; readonly launch: CommandLaunch }
  | { readonly op: 'removeCommand'; readonly shellId: string; readonly commandId: string }
  | { readonly op: 'write'; readonly shellId: string; readonly commandId: string; readonly data: Buffer }
  | { readonly op: 'endInput'; readonly shellId: string; readonly commandId: string }
  | { readonly op: 'signal'; readonly shellId: string; readonly commandId: string; readonly signal: ShellSignal }
  | {
      readonly op: 'receive';
      readonly shellId: string;
      readonly commandId: string;
      readonly streams: readonly OutputStreamName[];
      readonly maxBytes: number;
      readonly runOverheadBytes: number;
      /** Asked ahead of the client: wait for the process's whole end or a full envelope, until a `hurry`. */
      readonly patient?: boolean;
    }
  /** Output a Receive took that the client never got: the host queues it again in front. */
  | { readonly op: 'unreceive'; readonly shellId: string; readonly commandId: string; readonly output: CommandOutput };

export type HostRequest = HostOperation & { readonly id: number };

export interface CancelMessage {
  readonly op: 'cancel';
  /** The id of the Receive to end. */
  readonly id: number;
}

export interface HurryMessage {
  readonly op: 'hurry';
  /** The id of the patient Receive that a client now waits for. */
  readonly id: number;
}

export type ToHost = HostRequest | CancelMessage | HurryMessage;

/** What each operation resolves to. */
export interface HostResults {
  openShell: undefined;
  closeShell: undefined;
  startCommand: { readonly pid: number };
  removeCommand: undefined;
  write: undefined;
  endInput: undefined;
  signal: undefined;
  receive: CommandOutput;
  unreceive: undefined;
}

/** A failure as it crosses the channel: the error's class name, errno code and client-safe message. */
export interface WireError {
  readonly name: string;
  /** The errno name of a CommandLaunchError; 'shell' or 'command' for an UnknownTargetError. */
  readonly code?: string | undefined;
  /** The id of the shell or command the error is about, where the client's fault names it. */
  readonly target?: string | undefined;
  readonly message: string;
}

export type FromHost =
  | { readonly id: number; readonly ok: true; readonly value: HostResults[keyof HostResults] }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/** The first thing a host sends: it is ready for requests. */
export interface HostReady {
  readonly ready: true;
  readonly pid: number;
}

export function isReply(message: unknown): message is FromHost {
  return typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'number' && 'ok' in message;
}

export function isReady(message: unknown): message is HostReady {
  return typeof message === 'object' && message !== null && 'ready' in message && message.ready === true;
}

/** Structured clone may hand back a Buffer as a plain Uint8Array; the code on both sides needs Buffers. */
export function asBuffers(output: CommandOutput): CommandOutput {
  if (output.chunks.every((chunk) => Buffer.isBuffer(chunk.data))) return output;
  return {
    ...output,
    chunks: output.chunks.map((chunk) => ({ stream: chunk.stream, data: Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength) })),
  };
}
