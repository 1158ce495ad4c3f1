/**
 * A Receive reply as full as pywinrm lets it be: the largest stdout chunk the Receive handler packs
 * into a 153 600-byte MaxEnvelopeSize (its own arithmetic, copied from server/handlers/receive-output.ts),
 * in the envelope the dispatcher writes around it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { receiveResponseOverhead, writeReceiveResponse } from '../../protocol/winrs/receive.js';
import { COMMAND_STATE } from '../../protocol/winrs/uris.js';
import { ACTION, responseAction } from '../../protocol/wsman/actions.js';
import { writeEnvelope } from '../../protocol/wsman/response.js';

/** pywinrm's MaxEnvelopeSize (150 KiB). */
export const PYWINRM_MAX_ENVELOPE_BYTES = 153_600;
/** The handler's allowance for the envelope around the ReceiveResponse. */
const ENVELOPE_HEADER_BYTES = 2048;

export interface ReceiveReply {
  readonly xml: string;
  /** Raw stdout bytes carried (base64 in the XML). */
  readonly stdoutBytes: number;
}

export function fullReceiveReply(): ReceiveReply {
  const commandId = randomUUID().toUpperCase();
  const available = PYWINRM_MAX_ENVELOPE_BYTES - ENVELOPE_HEADER_BYTES - receiveResponseOverhead(commandId, 2);
  const stdoutBytes = Math.floor(available / 4) * 3;
  // Random bytes: RC4 and base64 cost the same for any data, and nothing can shortcut on zeros.
  const body = writeReceiveResponse(commandId, [{ name: 'stdout', data: randomBytes(stdoutBytes), end: false }], {
    state: COMMAND_STATE.running,
    exitCode: undefined,
  });
  const xml = writeEnvelope(
    { action: responseAction(ACTION.receive), messageId: `uuid:${randomUUID().toUpperCase()}`, relatesTo: `uuid:${randomUUID().toUpperCase()}`, lang: 'en-US' },
    body,
  );
  return { xml, stdoutBytes };
}
