/**
 * Runs test/interop/ntlm_raw_client.py (ntlm-auth 1.4.0 + http.client under /usr/bin/python3), which
 * performs NTLM / SPNEGO handshakes and sealed WinRM messages leg by leg, and reads what it saw.
 * The step and leg formats are the script's docstring.
 */
import { fileURLToPath } from 'node:url';
import { asArray, asBoolean, asNumber, asRecord, asString, optional, runPythonJson } from './client-env.js';

const SCRIPT = fileURLToPath(new URL('../interop/ntlm_raw_client.py', import.meta.url));

export type RawStep =
  | { op: 'anonymous'; conn?: string }
  | { op: 'negotiate'; conn?: string; ctx?: string; spnego?: boolean; scheme?: 'Negotiate' | 'NTLM' }
  | { op: 'authenticate'; conn?: string; ctx?: string; mech_list_mic?: 'always' | 'never' | 'if-requested' | 'corrupt' }
  | {
      op: 'send';
      conn?: string;
      ctx?: string;
      envelope: string;
      tamper?: 'flip-data' | 'flip-signature';
      length_delta?: number;
      plaintext?: boolean;
    }
  | { op: 'replay'; conn?: string }
  | { op: 'close'; conn?: string };

export interface RawSpec {
  port: number;
  user: string;
  password: string;
  domain?: string;
  steps: RawStep[];
}

export interface ServerToken {
  scheme: string;
  kind: 'ntlm' | 'spnego' | 'other';
  /** For a raw NTLM token: its MessageType (2 = CHALLENGE). */
  ntlmType: number | undefined;
  /** For SPNEGO: the NegTokenResp fields. */
  negState: number | undefined;
  supportedMech: string | undefined;
  responseNtlmType: number | undefined;
  mechListMic: boolean;
  /** Whether the server's mechListMIC verified with the client's session keys. */
  mechListMicValid: boolean | undefined;
}

export interface SealedReply {
  protocol: string;
  originalContent: string;
  originalLength: number;
  text: string;
}

export interface Leg {
  op: string;
  conn: string;
  /** The client's local port: equal ports mean the same TCP connection. */
  localPort: number | undefined;
  status: number;
  wwwAuthenticate: string[];
  contentType: string | undefined;
  bodyLen: number;
  keepAlive: boolean;
  serverToken: ServerToken | undefined;
  /** For a sealed request: the NTLM sequence number the client signed it with. */
  sentSeq: number | undefined;
  reply: SealedReply | undefined;
  replyError: string | undefined;
}

export interface RawOutput {
  ok: boolean;
  legs: Leg[];
  error: { step: number | undefined; class: string; message: string } | undefined;
}

const num = (what: string) => (v: unknown): number => asNumber(v, what);
const str = (what: string) => (v: unknown): string => asString(v, what);

function parseServerToken(value: unknown): ServerToken {
  const t = asRecord(value, 'server_token');
  const kind = asString(t['kind'], 'server_token.kind');
  if (kind !== 'ntlm' && kind !== 'spnego' && kind !== 'other') throw new Error(`server_token.kind ${kind}`);
  return {
    scheme: asString(t['scheme'], 'server_token.scheme'),
    kind,
    ntlmType: optional(t['ntlm_type'], num('ntlm_type')),
    negState: optional(t['neg_state'], num('neg_state')),
    supportedMech: optional(t['supported_mech'], str('supported_mech')),
    responseNtlmType: optional(t['response_ntlm_type'], num('response_ntlm_type')),
    mechListMic: asBoolean(t['mech_list_mic'], 'mech_list_mic'),
    mechListMicValid: optional(t['mech_list_mic_valid'], (v) => asBoolean(v, 'mech_list_mic_valid')),
  };
}

function parseReply(value: unknown): SealedReply {
  const r = asRecord(value, 'reply');
  return {
    protocol: asString(r['protocol'], 'reply.protocol'),
    originalContent: asString(r['original_content'], 'reply.original_content'),
    originalLength: asNumber(r['original_length'], 'reply.original_length'),
    text: asString(r['text'], 'reply.text'),
  };
}

function parseLeg(value: unknown, i: number): Leg {
  const l = asRecord(value, `legs[${i}]`);
  return {
    op: asString(l['op'], 'op'),
    conn: asString(l['conn'], 'conn'),
    localPort: optional(l['local_port'], num('local_port')),
    status: asNumber(l['status'], 'status'),
    wwwAuthenticate: asArray(l['www_authenticate'], 'www_authenticate').map((v) => asString(v, 'www_authenticate[]')),
    contentType: optional(l['content_type'], str('content_type')),
    bodyLen: asNumber(l['body_len'], 'body_len'),
    keepAlive: asBoolean(l['keep_alive'], 'keep_alive'),
    serverToken: optional(l['server_token'], parseServerToken),
    sentSeq: optional(l['sent'], (v) => asNumber(asRecord(v, 'sent')['seq'], 'sent.seq')),
    reply: optional(l['reply'], parseReply),
    replyError: optional(l['reply_error'], str('reply_error')),
  };
}

export function parseRawOutput(value: unknown): RawOutput {
  const top = asRecord(value, 'output');
  const error = optional(top['error'], (v) => {
    const e = asRecord(v, 'error');
    return {
      step: optional(e['step'], num('error.step')),
      class: asString(e['class'], 'error.class'),
      message: asString(e['message'], 'error.message'),
    };
  });
  return { ok: top['ok'] === true, legs: asArray(top['legs'], 'legs').map(parseLeg), error };
}

export async function runRawNtlm(spec: RawSpec): Promise<RawOutput> {
  return parseRawOutput(await runPythonJson(SCRIPT, { host: '127.0.0.1', path: '/wsman', timeout: 30, ...spec }));
}

/** The legs of a run that completed every step; a failed step throws with the script's reason. */
export async function runLegs(spec: RawSpec): Promise<Leg[]> {
  const output = await runRawNtlm(spec);
  if (!output.ok || output.error !== undefined) {
    const e = output.error;
    throw new Error(`ntlm_raw_client.py stopped at step ${String(e?.step)}: ${String(e?.class)}: ${String(e?.message)}`);
  }
  if (output.legs.length !== spec.steps.filter((s) => s.op !== 'close').length) throw new Error('a leg is missing');
  return output.legs;
}
