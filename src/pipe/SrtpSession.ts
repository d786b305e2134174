import { createCipheriv, createDecipheriv } from 'node:crypto';
import { loadNativeAddon, type PipeGcmHandle } from '../engine/nativeAddon.js';
import { ReplayWindow } from './ReplayWindow.js';

/** Key material per direction: a 16-byte AES key, a 12-byte salt and the 4-byte SSRC (RFC 7714 §12). */
export const SRTP_KEY_BYTES = 16;
export const SRTP_SALT_BYTES = 12;
export const SRTP_MATERIAL_BYTES = SRTP_KEY_BYTES + SRTP_SALT_BYTES + 4;
/** RTP fixed header (RFC 3550 §5.1): the pipe sends no CSRCs and no extension. */
export const RTP_HEADER_BYTES = 12;
/** AEAD_AES_128_GCM's authentication tag (RFC 7714 §5.2: 16 octets). */
export const SRTP_TAG_BYTES = 16;

export interface Unprotected {
  payloadType: number;
  payload: Buffer;
}

/** Why a packet was refused. */
export type SrtpReject = 'short' | 'ssrc' | 'replay' | 'auth';

/**
 * One pipe's SRTP with AEAD_AES_128_GCM (RFC 7714): protects what this side sends with its
 * direction's key and authenticates and decrypts what the peer sends with the other.
 *
 * Each direction is one crypto context: one SSRC, one 16-bit sequence number with its rollover
 * counter (RFC 3711 §3.3.1), so a retransmission is a new packet index and passes the replay
 * list (RFC 3711 §3.3.2) like any other. The IV is (0x0000 || SSRC || ROC || SEQ) XOR salt
 * (RFC 7714 §8.1); the RTP header is the associated data (§8.2): it is authenticated, not
 * encrypted. Session keys come straight from the link's HKDF (src/link/auth.ts), in place of
 * the SRTP KDF of RFC 3711 §4.3: every pipe attempt derives fresh ones, so no master key is
 * ever used twice and no key-derivation rate applies.
 *
 * Where the native addon built, each direction is one OpenSSL context keyed once (native/src/aead.h)
 * and a packet is decrypted in place in the datagram that carried it: node:crypto made a
 * Decipheriv, an IV buffer and two output buffers per packet, 45% of what a relay with 20 streams
 * allocated (a heap profile of the memory soak, docs/scale.md), and their garbage drove V8's
 * collections. `native: false` keeps node:crypto (the test of both against each other).
 */
export class SrtpSession {
  private readonly txKey: Buffer;
  private readonly txSalt: Buffer;
  readonly txSsrc: number;
  private readonly rxKey: Buffer;
  private readonly rxSalt: Buffer;
  readonly rxSsrc: number;
  private txSeq: number;
  private txRoc = 0;
  private readonly replay = new ReplayWindow();
  private readonly txGcm: PipeGcmHandle | null = null;
  private readonly rxGcm: PipeGcmHandle | null = null;
  /** The IV of the packet at hand (the native path reuses it). */
  private readonly ivBuf = Buffer.alloc(12);

  constructor(tx: Buffer, rx: Buffer, opts: { native?: boolean } = {}) {
    this.txKey = tx.subarray(0, SRTP_KEY_BYTES);
    this.txSalt = tx.subarray(SRTP_KEY_BYTES, SRTP_KEY_BYTES + SRTP_SALT_BYTES);
    this.txSsrc = tx.readUInt32BE(SRTP_KEY_BYTES + SRTP_SALT_BYTES);
    this.rxKey = rx.subarray(0, SRTP_KEY_BYTES);
    this.rxSalt = rx.subarray(SRTP_KEY_BYTES, SRTP_KEY_BYTES + SRTP_SALT_BYTES);
    this.rxSsrc = rx.readUInt32BE(SRTP_KEY_BYTES + SRTP_SALT_BYTES);
    // The first sequence number is not guessable from the keys' public parts (RFC 3550 §5.1).
    this.txSeq = tx.readUInt16BE(SRTP_KEY_BYTES);
    const Gcm = opts.native === false ? undefined : loadNativeAddon().addon?.PipeGcm;
    if (Gcm) {
      this.txGcm = new Gcm(this.txKey);
      this.rxGcm = new Gcm(this.rxKey);
    }
  }

  /** Whether packets go through the native addon's AES-GCM (else node:crypto). */
  get native(): boolean {
    return this.txGcm !== null;
  }

  /** One SRTP packet carrying `payload` (encrypted) under a fresh packet index. */
  protect(payloadType: number, payload: Uint8Array, timestamp: number): Buffer {
    const out = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length + SRTP_TAG_BYTES);
    const seq = this.txSeq;
    out[0] = 0x80; // V=2, no padding, no extension, no CSRC
    out[1] = payloadType & 0x7f;
    out.writeUInt16BE(seq, 2);
    out.writeUInt32BE(timestamp >>> 0, 4);
    out.writeUInt32BE(this.txSsrc, 8);
    if (this.txGcm) {
      out.set(payload, RTP_HEADER_BYTES);
      if (!this.txGcm.seal(iv(this.txSalt, this.txSsrc, this.txRoc, seq, this.ivBuf), out, RTP_HEADER_BYTES, payload.length))
        throw new Error('pipe SRTP: AES-GCM seal failed');
      this.advance(seq);
      return out;
    }
    const cipher = createCipheriv('aes-128-gcm', this.txKey, iv(this.txSalt, this.txSsrc, this.txRoc, seq));
    cipher.setAAD(out.subarray(0, RTP_HEADER_BYTES));
    const n = cipher.update(payload).copy(out, RTP_HEADER_BYTES);
    cipher.final();
    cipher.getAuthTag().copy(out, RTP_HEADER_BYTES + n);
    this.advance(seq);
    return out;
  }

  private advance(seq: number): void {
    this.txSeq = (seq + 1) & 0xffff;
    if (this.txSeq === 0) this.txRoc = (this.txRoc + 1) >>> 0;
  }

  /**
   * The payload of an authentic, fresh packet from the peer, or why not. On the native path the
   * payload is a view of `packet`, decrypted in place (the caller hands over the datagram).
   */
  unprotect(packet: Buffer): Unprotected | SrtpReject {
    if (packet.length < RTP_HEADER_BYTES + SRTP_TAG_BYTES || packet[0]! >> 6 !== 2) return 'short';
    if ((packet[0]! & 0x3f) !== 0) return 'short'; // the pipe never sends padding, extensions or CSRCs
    if (packet.readUInt32BE(8) !== this.rxSsrc) return 'ssrc';
    const seq = packet.readUInt16BE(2);
    const index = this.replay.estimate(seq);
    if (!this.replay.check(index)) return 'replay';
    const roc = Math.floor(index / 0x10000) >>> 0;
    if (this.rxGcm) {
      if (!this.rxGcm.open(iv(this.rxSalt, this.rxSsrc, roc, seq, this.ivBuf), packet, RTP_HEADER_BYTES)) return 'auth';
      this.replay.commit(index);
      return { payloadType: packet[1]! & 0x7f, payload: packet.subarray(RTP_HEADER_BYTES, packet.length - SRTP_TAG_BYTES) };
    }
    const decipher = createDecipheriv('aes-128-gcm', this.rxKey, iv(this.rxSalt, this.rxSsrc, roc, seq));
    decipher.setAAD(packet.subarray(0, RTP_HEADER_BYTES));
    decipher.setAuthTag(packet.subarray(packet.length - SRTP_TAG_BYTES));
    let payload: Buffer;
    try {
      payload = Buffer.concat([decipher.update(packet.subarray(RTP_HEADER_BYTES, packet.length - SRTP_TAG_BYTES)), decipher.final()]);
    } catch {
      return 'auth';
    }
    this.replay.commit(index);
    return { payloadType: packet[1]! & 0x7f, payload };
  }
}

/** RFC 7714 §8.1: 2 zero octets, SSRC, ROC, SEQ (12 octets), XOR the 96-bit salt. */
function iv(salt: Buffer, ssrc: number, roc: number, seq: number, into?: Buffer): Buffer {
  const b = into ?? Buffer.alloc(12);
  b.writeUInt16BE(0, 0);
  b.writeUInt32BE(ssrc, 2);
  b.writeUInt32BE(roc, 6);
  b.writeUInt16BE(seq, 10);
  for (let i = 0; i < 12; i++) b[i] = b[i]! ^ salt[i]!;
  return b;
}
