import { createHmac } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { crc32 } from 'node:zlib';
import type { Logger } from '../log.js';

/** What a finished WebRTC session leaves behind: the UDP port and ICE credentials it used. */
export interface IceGhost {
  address: string;
  port: number;
  /** Our (the answerer's) ICE username fragment and password (RFC 8445 §5.3). */
  ufrag: string;
  pwd: string;
}

const MAGIC = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_ERROR = 0x0111;
const ATTR_USERNAME = 0x0006;
const ATTR_MESSAGE_INTEGRITY = 0x0008;
const ATTR_ERROR_CODE = 0x0009;
const ATTR_FINGERPRINT = 0x8028;
/** Larger datagrams are not STUN checks: ignored. */
const MAX_STUN_BYTES = 1500;

/**
 * Tells the client of a session this node has ended, or forgotten, that it is gone: it holds
 * the session's UDP port for a while and answers every ICE connectivity check (a STUN Binding
 * request for our ufrag) with a 403 error response (RFC 8489 §6.3.4, integrity-protected with
 * our ICE password, RFC 8445 §7.2.5.2.4). A browser fails that candidate pair at once and, with
 * no other, goes to ICE "failed", instead of waiting out consent freshness (RFC 7675, ~30 s)
 * while it keeps sending into the void.
 *
 * Events: 'answered' (remote address), 'close'.
 */
export interface IceTombstoneEvents {
  /** A remote's ICE check was answered with a failure (address:port). */
  answered: [remote: string];
  close: [];
}

export class IceTombstone extends EventEmitter<IceTombstoneEvents> {
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  answered = 0;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }

  constructor(
    readonly ghost: IceGhost,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Binds the session's port for `holdMs`; resolves false when the port is taken (nothing to do). */
  async open(holdMs: number): Promise<boolean> {
    const s = createSocket({ type: this.ghost.address.includes(':') ? 'udp6' : 'udp4' });
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.bind(this.ghost.port, this.ghost.address, () => resolve(true));
    });
    if (!ok || this.closed) {
      s.close();
      return false;
    }
    s.on('error', () => this.close());
    s.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo.address, rinfo.port));
    this.socket = s;
    this.timer = setTimeout(() => this.close(), holdMs);
    return true;
  }

  private onDatagram(msg: Buffer, address: string, port: number): void {
    if (msg.length < 20 || msg.length > MAX_STUN_BYTES) return;
    if (msg.readUInt16BE(0) !== BINDING_REQUEST || msg.readUInt32BE(4) !== MAGIC) return;
    const username = readUsername(msg);
    // USERNAME is "<our ufrag>:<their ufrag>" on checks sent to us (RFC 8445 §7.2.2).
    if (!username || username.split(':')[0] !== this.ghost.ufrag) return;
    const txid = msg.subarray(8, 20);
    this.socket?.send(errorResponse(txid, 403, 'Forbidden: session ended', this.ghost.pwd), port, address);
    this.answered++;
    this.emit('answered', `${address}:${port}`);
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    this.log.debug({ port: this.ghost.port, answered: this.answered }, 'closed: ICE tombstone expired');
    this.emit('close');
  }
}

function readUsername(msg: Buffer): string | null {
  const end = Math.min(msg.length, 20 + msg.readUInt16BE(2));
  let off = 20;
  while (off + 4 <= end) {
    const type = msg.readUInt16BE(off);
    const len = msg.readUInt16BE(off + 2);
    if (off + 4 + len > end) return null;
    if (type === ATTR_USERNAME) return msg.subarray(off + 4, off + 4 + len).toString('utf8');
    off += 4 + ((len + 3) & ~3);
  }
  return null;
}

/** A Binding error response with ERROR-CODE, MESSAGE-INTEGRITY and FINGERPRINT (RFC 8489 §14). */
export function errorResponse(txid: Uint8Array, code: number, reason: string, pwd: string): Buffer {
  const phrase = Buffer.from(reason, 'utf8');
  const errLen = 4 + phrase.length;
  const errPadded = (errLen + 3) & ~3;
  const size = 20 + 4 + errPadded + 24 + 8;
  const b = Buffer.alloc(size);
  b.writeUInt16BE(BINDING_ERROR, 0);
  b.writeUInt32BE(MAGIC, 4);
  b.set(txid, 8);
  let off = 20;
  b.writeUInt16BE(ATTR_ERROR_CODE, off);
  b.writeUInt16BE(errLen, off + 2);
  b[off + 6] = Math.floor(code / 100) & 0x7;
  b[off + 7] = code % 100;
  phrase.copy(b, off + 8);
  off += 4 + errPadded;
  // MESSAGE-INTEGRITY covers the message up to itself, with the length counting it (§14.5).
  b.writeUInt16BE(off + 24 - 20, 2);
  const mi = createHmac('sha1', pwd).update(b.subarray(0, off)).digest();
  b.writeUInt16BE(ATTR_MESSAGE_INTEGRITY, off);
  b.writeUInt16BE(20, off + 2);
  mi.copy(b, off + 4);
  off += 24;
  // FINGERPRINT: CRC-32 of the message up to itself, XOR 0x5354554e (§14.7).
  b.writeUInt16BE(size - 20, 2);
  b.writeUInt16BE(ATTR_FINGERPRINT, off);
  b.writeUInt16BE(4, off + 2);
  b.writeUInt32BE((crc32(b.subarray(0, off)) ^ 0x5354554e) >>> 0, off + 4);
  return b;
}
