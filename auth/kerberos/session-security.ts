import { MessageSecurityError, type WrappedMessage } from '../security-context.js';
import { bufferOfPieces, piecesLength } from './crypto/byte-pieces.js';
import { isPiecewise, type PiecewiseEncryptionType } from './crypto/enctype.js';
import { type EncryptionType, ETYPE } from './crypto/index.js';
import { buildMicToken, verifyMicToken } from './mic-token.js';
import { KeyUsage, TOKEN_HEADER_LENGTH, TokenFlags, parseWrapHeaderOf, sealWrapToken, unsealWrapToken } from './wrap-token.js';

export interface KerberosSessionKeys {
  readonly enctype: EncryptionType;
  /**
   * The per-message key [RFC 4121 §2]: the acceptor subkey when the AP-REP carried one, else the
   * initiator's authenticator subkey, else the ticket session key. One key serves both directions.
   */
  readonly key: Buffer;
  /** True when `key` is the acceptor subkey: tokens in both directions then carry AcceptorSubkey. */
  readonly isAcceptorSubkey: boolean;
  /** The acceptor's first SND_SEQ: the AP-REP seq-number, or the initiator's when there was no AP-REP. */
  readonly sendSeq: number;
  /** The initiator's first SND_SEQ: its authenticator seq-number [RFC 4121 §4.2.6]. */
  readonly receiveSeq: number;
}

/** The AES enctypes, whose Wrap tokens are RFC 4121 tokens; RC4 has the different RFC 4757 §7 format. */
const RFC4121_ETYPES: ReadonlySet<number> = new Set([
  ETYPE.aes128CtsHmacSha1_96,
  ETYPE.aes256CtsHmacSha1_96,
  ETYPE.aes128CtsHmacSha256_128,
  ETYPE.aes256CtsHmacSha384_192,
]);

/** AES confounder: one cipher block [RFC 3962 §6, RFC 8009 §5]. */
const CONFOUNDER_LENGTH = 16;

/**
 * GSS_Wrap / GSS_Unwrap / GSS_GetMIC / GSS_VerifyMIC for an established Kerberos context, with
 * the sequence numbers of both directions (MIC and Wrap tokens share them, as in MIT and SSPI).
 */
export class KerberosSessionSecurity {
  readonly #keys: KerberosSessionKeys;
  readonly #flags: number;
  #sendSeq: bigint;
  #receiveSeq: bigint;

  constructor(keys: KerberosSessionKeys) {
    this.#keys = keys;
    this.#flags = TokenFlags.sentByAcceptor | (keys.isAcceptorSubkey ? TokenFlags.acceptorSubkey : 0);
    this.#sendSeq = BigInt(keys.sendSeq);
    this.#receiveSeq = BigInt(keys.receiveSeq);
  }

  /**
   * Seals a message for WinRM [MS-WSMV 2.2.9.1.1, MS-KILE 3.4.5.4.1]: EC = 0 and RRC = 16 + the
   * checksum length (28 for AES-SHA1). E = AES-CTS(confounder ‖ data ‖ header copy) ‖ HMAC is
   * 16 + N + 16 + 12 bytes; rotating it right by 28 brings the "trailer" (the last CTS block,
   * i.e. the encrypted header copy, and the HMAC) to the front, so the token reads
   * `header(16) ‖ trailer(28) ‖ E(confounder)(16) ‖ E(data)(N)`. The first 60 bytes are the MIME
   * security header, the last N (CTS keeps the length) the data part: what SSPI's [TOKEN, DATA]
   * and MIT's header-only IOV produce, and what they require (MIT insists on RRC = 28 there).
   */
  wrap(plaintext: Buffer): WrappedMessage {
    const enctype = this.#rfc4121Enctype();
    const token = sealWrapToken({
      enctype,
      key: this.#keys.key,
      usage: KeyUsage.acceptorSeal,
      flags: this.#flags,
      sndSeq: this.#nextSendSeq(),
      rrc: TOKEN_HEADER_LENGTH + enctype.checksumLength,
      plaintext,
    });
    const headerLength = TOKEN_HEADER_LENGTH + TOKEN_HEADER_LENGTH + enctype.checksumLength + CONFOUNDER_LENGTH;
    // The data part lies within the ciphertext: a view of it, not a copy.
    return { header: bufferOfPieces(token, 0, headerLength), data: bufferOfPieces(token, headerLength, piecesLength(token)) };
  }

  /**
   * Unseals a client message: the token is `header ‖ data` whatever the split (the MIME length
   * field only says where the client cut), and any RRC is undone. SND_SEQ must not go backwards.
   */
  unwrap(message: WrappedMessage): Buffer {
    const enctype = this.#rfc4121Enctype();
    const token = [message.header, message.data];
    // Direction and key flags first (as MIT does): a reflected token fails for what it is.
    this.#checkFlags(parseWrapHeaderOf(token).flags);
    const { header, plaintext } = unsealWrapToken({ enctype, key: this.#keys.key, usage: KeyUsage.initiatorSeal, token });
    this.#checkSequence(header.sndSeq);
    return plaintext;
  }

  /** GSS_GetMIC with the acceptor-sign usage; consumes one send sequence number. */
  signMic(data: Buffer): Buffer {
    const enctype = this.#rfc4121Enctype();
    return buildMicToken(enctype, this.#keys.key, KeyUsage.acceptorSign, { flags: this.#flags, sndSeq: this.#nextSendSeq() }, data);
  }

  /** GSS_VerifyMIC with the initiator-sign usage; throws MessageSecurityError. */
  verifyMic(data: Buffer, mic: Buffer): void {
    const enctype = this.#rfc4121Enctype();
    const header = verifyMicToken(enctype, this.#keys.key, KeyUsage.initiatorSign, data, mic);
    this.#checkFlags(header.flags);
    this.#checkSequence(header.sndSeq);
  }

  /**
   * SentByAcceptor must be clear (a reflected token of ours would otherwise verify) and
   * AcceptorSubkey must name the key we hold [RFC 4121 §4.2.2: once the acceptor asserts a
   * subkey, both sides use it].
   */
  #checkFlags(flags: number): void {
    if (flags & TokenFlags.sentByAcceptor) throw new MessageSecurityError('token claims to come from the acceptor');
    if (Boolean(flags & TokenFlags.acceptorSubkey) !== this.#keys.isAcceptorSubkey) {
      throw new MessageSecurityError('token AcceptorSubkey flag does not match the negotiated key');
    }
  }

  /**
   * SND_SEQ, read only after the token verified, must be at least the next expected number:
   * replays and reordering fail; a gap (a token the client made but never sent, such as an unused
   * mechListMIC) is tolerated, as MIT reports it only as the supplementary GSS_S_GAP_TOKEN.
   */
  #checkSequence(sndSeq: bigint): void {
    if (sndSeq < this.#receiveSeq) throw new MessageSecurityError(`sequence number ${sndSeq} replayed or out of order`);
    this.#receiveSeq = sndSeq + 1n;
  }

  #nextSendSeq(): bigint {
    const seq = this.#sendSeq;
    this.#sendSeq += 1n;
    return seq;
  }

  #rfc4121Enctype(): PiecewiseEncryptionType {
    const enctype = this.#keys.enctype;
    if (!RFC4121_ETYPES.has(enctype.etype) || !isPiecewise(enctype)) {
      throw new MessageSecurityError(`message protection with ${enctype.name} (RFC 4757 tokens) is not supported`);
    }
    return enctype;
  }
}
