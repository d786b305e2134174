import type { canopy } from '../gen/link.js';

/**
 * What a media pipe needs of the relay link it belongs to (src/link/Link.ts is one): who is at
 * the far end, the addresses to try, keys from the link's handshake, its round-trip time, and a
 * way to send the pipe's control frames (PipeOffer, PipeAnswer...). Declared here, so the pipe
 * depends on no transport and the tree layer (src/tree) joins the two.
 */
export interface PipeLink {
  readonly peerId: string;
  readonly localAddress: string | undefined;
  readonly remoteAddress: string | undefined;
  /** Whether the handshake was authenticated (only then are there keys). */
  readonly authenticated: boolean;
  /** The link's latest round-trip time, ms (0 before its first pong). */
  readonly rttMs: number;
  /** Key material for one pipe attempt and direction, from the link's handshake. */
  deriveKey(label: string, bytes: number): Buffer;
  /** Sends a control frame on the link; false when it is closed. */
  send(frame: canopy.link.v1.Frame.$Properties): boolean;
}
