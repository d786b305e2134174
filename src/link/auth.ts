import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { CanopyError, ErrorCode } from '../errors.js';

// The relay-link handshake (proto/link.proto, docs/security.md): challenge and response over
// a fresh nonce from the accepting side, mutual, bound to the connection by both nonces.

/** Bytes of each side's nonce. */
export const LINK_NONCE_BYTES = 32;
const LABEL = 'canopy-link/2';

/** What both sides of one connection agree on before any proof. */
export interface LinkTranscript {
  /** Ns: the accepting side's nonce, from Challenge. */
  serverNonce: Uint8Array;
  /** Nc: the connecting side's nonce, from Hello. */
  clientNonce: Uint8Array;
  /** S: the accepting node's id. */
  serverId: string;
  /** C: the connecting node's id. */
  clientId: string;
  /** The connecting node's role (Hello.Role). */
  role: number;
}

export function newLinkNonce(): Buffer {
  return randomBytes(LINK_NONCE_BYTES);
}

/** Length-prefixed parts: no two different transcripts encode alike. */
function lp(...parts: Array<Uint8Array | string>): Buffer {
  const bufs: Buffer[] = [];
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    bufs.push(len, b);
  }
  return Buffer.concat(bufs);
}

function transcript(side: 'client' | 'server' | 'key', t: LinkTranscript): Buffer {
  return lp(`${LABEL} ${side}`, t.serverNonce, t.clientNonce, t.serverId, t.clientId, String(t.role));
}

/** A side's proof that it holds the cluster secret, for this connection only. */
export function linkProof(secret: Uint8Array, side: 'client' | 'server', t: LinkTranscript): Buffer {
  return createHmac('sha256', secret).update(transcript(side, t)).digest();
}

export function checkLinkProof(secret: Uint8Array, side: 'client' | 'server', t: LinkTranscript, proof: Uint8Array | null | undefined): boolean {
  if (!proof || proof.length === 0) return false;
  const want = linkProof(secret, side, t);
  const got = Buffer.from(proof);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Key material of one authenticated link: HKDF-SHA256 (RFC 5869) from the cluster secret,
 * salted with both nonces, so every connection has its own keys and neither side alone
 * chose them. Keys are derived on both sides and never sent.
 */
export class LinkKeys {
  private readonly salt: Buffer;
  private readonly info: Buffer;

  constructor(
    private readonly secret: Uint8Array,
    t: LinkTranscript,
  ) {
    this.salt = Buffer.concat([Buffer.from(t.serverNonce), Buffer.from(t.clientNonce)]);
    this.info = transcript('key', t);
  }

  /** `bytes` of key material for `label` (e.g. "srtp child->parent"); the same on both sides of the link. */
  derive(label: string, bytes: number): Buffer {
    if (!label) throw new CanopyError(ErrorCode.INTERNAL, 'a key label is required');
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 255 * 32) throw new CanopyError(ErrorCode.INTERNAL, `cannot derive ${bytes} bytes`);
    return Buffer.from(hkdfSync('sha256', this.secret, this.salt, Buffer.concat([this.info, lp(label)]), bytes));
  }
}

/** The cluster secret as key bytes; null when links run without one (--insecure-no-cluster-secret). */
export function secretKey(secret: string | undefined): Buffer | null {
  return secret ? Buffer.from(secret, 'utf8') : null;
}
