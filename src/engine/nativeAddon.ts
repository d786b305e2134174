import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The native data plane's binding (native/src/addon.cc). */
export interface NativeEvent {
  viewer: number;
  /**
   * 1 connected, 2 disconnected, 3 failed, 4 RTCP from the viewer (decrypted), 5 log,
   * 6 transport-cc feedback matched to what was sent (data: float64 quadruples, host order:
   * sequence, send ms, bytes, arrival ms or NaN when lost; native/src/twcc.h), 7 RTP from a
   * publisher (decrypted; native/src/ingest.cc), 8 a probe cluster sent (data: 9 float64s, host
   * order: train, cluster, first and last sequence, bytes, padding packets, start ms, end ms,
   * last, why the data plane stopped it early (0: it did not, 1: loss, 2: a slow receive rate;
   * absent from an older build); native/src/probe.h).
   */
  type: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
  text?: string;
  data?: Buffer;
  /** With RTCP that held NACKs: requested, resent, rate-limited, missed, duplicate (native repair). */
  repair?: [number, number, number, number, number];
}

export interface NativeStats {
  viewers: number;
  groups: number;
  [counter: string]: number;
}

export interface NativeServerHandle {
  readonly port: number;
  /** The ICE-TCP listening port (RFC 6544 passive candidates); 0 when off. */
  readonly tcpPort: number;
  /** Our certificate's SHA-256 fingerprint, "AB:CD:...". */
  readonly fingerprint: string;
  addViewer(o: {
    localUfrag: string;
    localPwd: string;
    remoteUfrag: string;
    fingerprintAlgorithm: string;
    fingerprint: string;
    dtlsClient: boolean;
    twccExtId?: number;
    /** A publisher: decrypt its SRTP and send it up as type 7 events. */
    receiveRtp?: boolean;
  }): number;
  removeViewer(id: number): void;
  send(id: number, packet: Uint8Array): boolean;
  /** codec: the track's (VP8, VP9 and AV1 members may drop temporal layers, native/src/temporal.h). */
  createGroup(historyMs: number, codec?: string): number;
  destroyGroup(id: number): void;
  addMember(
    group: number,
    viewer: number,
    o: { ssrc: number; payloadType: number; clockRate: number; rtxSsrc?: number; rtxPayloadType?: number; nack: boolean; retransmitShare: number },
  ): boolean;
  removeMember(group: number, viewer: number, ssrc: number): void;
  /** Frames that member left out above its temporal caps; -1: no such member (optional: an older build). */
  temporalFramesDropped?(viewer: number, ssrc: number): number;
  /**
   * Moves the viewer's member (its SSRC) into this group with its rewrite state, starting with
   * rtp, sent to it behind what its old group queued for it (a simulcast viewer's switch,
   * native/src/server.h); false when there is no such group or member. Optional: an older build.
   */
  moveMember?(group: number, viewer: number, ssrc: number, rtp: Uint8Array, captureMs: number, nowMs: number): boolean;
  groupSend(group: number, rtp: Uint8Array, captureMs: number, nowMs: number): void;
  sendReports(viewer: number): void;
  /** Where a viewer's probe padding goes (its RTX SSRC); false without transport-cc or RTX (native/src/probe.h). */
  configureProbe?(viewer: number, mediaSsrc: number, rtxSsrc: number, rtxPayloadType: number): boolean;
  /**
   * A probe train (train 0: stop the one in flight); false when it cannot be sent. The abort
   * thresholds (ProbeAbort, all four or none) let the receive thread stop it on the feedback.
   */
  probe?(
    viewer: number,
    train: number,
    bps: number,
    durationMs: number,
    clusterMs: number,
    abortLost?: number,
    abortWindow?: number,
    abortRatio?: number,
    abortSpanMs?: number,
  ): boolean;
  /** A member's retransmit share (the back-off when its link is full). */
  setRetransmitShare(viewer: number, ssrc: number, share: number): void;
  /** A member's temporal layer cap (the highest TID sent; null or -1: all), from the next frame on (native/src/temporal.h). */
  setTemporalCap?(viewer: number, ssrc: number, cap: number | null): void;
  /** Bytes offered per temporal layer (index = TID) since the group began; null for no such group. */
  groupTemporalBytes?(group: number): number[] | null;
  /** AV1: a temporal layer the member's cap allows waits for a key frame (native/src/temporal.h TemporalMember::waitsForKeyframe). */
  temporalWaitsForKeyframe?(viewer: number, ssrc: number): boolean;
  bury(ufrag: string, pwd: string, holdMs: number): void;
  stats(): NativeStats;
  /** The viewer's nominated remote address (ICE-lite), or null before a valid check. */
  viewerAddress(id: number): { address: string; port: number; protocol: 'udp' | 'tcp' } | null;
  close(): void;
}

export interface NativeAddon {
  NativeServer: new (
    o: { bind: string; port: number; tcpPort?: number; dataThreads: number; consentTimeoutMs?: number; disconnectAfterMs?: number; sendmmsg?: boolean },
    onEvents: (events: NativeEvent[]) => void,
  ) => NativeServerHandle;
  /** glibc's malloc_trim(0): returns the allocator's free pages to the kernel (false: nothing released, or no glibc). */
  mallocTrim?(): boolean;
  /** Bytes malloc has handed out over every arena (glibc mallinfo2; -1 without it): the memory probe's figure. */
  mallocInUse?(): number;
  /** AES-128-GCM in place with one keyed context (native/src/aead.h): the UDP pipe's SRTP (src/pipe/SrtpSession.ts). */
  PipeGcm?: new (key: Uint8Array) => PipeGcmHandle;
}

export interface PipeGcmHandle {
  /** Encrypts buf[aadLen, aadLen + n) in place, authenticating buf[0, aadLen) too, and writes the 16-byte tag after it. */
  seal(iv: Uint8Array, buf: Uint8Array, aadLen: number, n: number): boolean;
  /** Checks the tag (buf's last 16 bytes) over buf[0, aadLen) and the rest, and decrypts buf[aadLen, length - 16) in place. */
  open(iv: Uint8Array, buf: Uint8Array, aadLen: number): boolean;
}

// The package root: two levels up from src/engine/ (tsx), three from dist/src/engine/ (built).
const ROOT =
  [new URL('../../', import.meta.url), new URL('../../../', import.meta.url)].map((u) => fileURLToPath(u)).find((r) => existsSync(`${r}binding.gyp`)) ??
  fileURLToPath(new URL('../../', import.meta.url));
const BINARY = `${ROOT}build/Release/canopy_native.node`;
const STATUS = `${ROOT}build/native-status.json`;

let cached: { addon: NativeAddon | null; why: string } | null = null;

/** The addon, or why it is not there (the build's own reason when it failed in npm ci). */
export function loadNativeAddon(): { addon: NativeAddon | null; why: string } {
  if (cached) return cached;
  if (!existsSync(BINARY)) {
    let why = 'the native addon was not built (run `npm ci` or `node scripts/native/build.mjs`)';
    try {
      const s = JSON.parse(readFileSync(STATUS, 'utf8')) as { ok: boolean; reason: string };
      if (!s.ok) why = `the native addon did not build: ${s.reason} (see build/native-status.json)`;
    } catch {
      // no status either
    }
    return (cached = { addon: null, why });
  }
  try {
    const require = createRequire(import.meta.url);
    return (cached = { addon: require(BINARY) as NativeAddon, why: '' });
  } catch (err) {
    return (cached = { addon: null, why: `the native addon did not load: ${(err as Error).message}` });
  }
}
