/**
 * Shared plumbing for the node-datachannel test clients (NodePublisher, NodeViewer):
 * loopback PeerConnections, Track lifetime, ICE gathering, SDP answer parsing,
 * WHIP/WHEP HTTP calls and polling.
 *
 * Track lifetime: node-datachannel crashes in cleanup() if a Track object is
 * garbage-collected before its onClosed fired, so every Track made here is held in
 * a module-level set until then (also past a close() timeout).
 */
import { sleep, waitFor } from './wait.js';
import nodeDataChannel, { type PeerConnection, type Track } from 'node-datachannel';
import { performance } from 'node:perf_hooks';

/**
 * Loopback-only host candidates, no STUN/TURN. CANOPY_CLIENT_BIND_ADDRESS binds another local
 * address instead (clients in a network namespace reaching servers in others: the fleet).
 */
export const LOOPBACK_CONFIG = { iceServers: [] as string[], bindAddress: process.env.CANOPY_CLIENT_BIND_ADDRESS || '127.0.0.1' };

const live = new Set<object>();

/** A loopback PeerConnection, held until closePeer() has seen its tracks close. */
export function createLoopbackPeer(name: string, bindAddress = LOOPBACK_CONFIG.bindAddress): PeerConnection {
  const pc = new nodeDataChannel.PeerConnection(name, { ...LOOPBACK_CONFIG, bindAddress });
  live.add(pc);
  return pc;
}

export interface ManagedTrack {
  track: Track;
  /** Resolves when the track opens. */
  opened: Promise<void>;
  /** Resolves when the track's onClosed fired. */
  closed: Promise<void>;
}

/**
 * Add a media description to a PeerConnection and keep the Track alive until it
 * closes. `onMessage` receives everything the track delivers (RTP and RTCP when no
 * media handler is set).
 */
export function addManagedTrack(pc: PeerConnection, media: Parameters<PeerConnection['addTrack']>[0], onMessage?: (msg: Buffer) => void): ManagedTrack {
  return manageTrack(pc.addTrack(media), onMessage);
}

/** Keeps a Track (added here or created by the remote offer) alive until it closes. */
export function manageTrack(track: Track, onMessage?: (msg: Buffer) => void): ManagedTrack {
  live.add(track);
  let resolveOpen!: () => void;
  let resolveClosed!: () => void;
  const opened = new Promise<void>((r) => (resolveOpen = r));
  const closed = new Promise<void>((r) => (resolveClosed = r));
  track.onOpen(() => resolveOpen());
  track.onClosed(() => {
    live.delete(track);
    resolveClosed();
  });
  if (onMessage) track.onMessage(onMessage);
  return { track, opened, closed };
}

/**
 * Close a PeerConnection and wait (bounded) for its tracks' onClosed.
 *
 * Each Track is closed explicitly first: node-datachannel releases a track's
 * onMessage/onOpen/onError thread-safe callbacks only in Track.close() (or at
 * GC / cleanup()), not when the PeerConnection closes, and an unreleased one
 * keeps the Node process from exiting.
 */
export async function closePeer(pc: PeerConnection, tracks: readonly ManagedTrack[], timeoutMs = 2000): Promise<void> {
  for (const t of tracks) {
    try {
      t.track.close();
    } catch {
      // already closed
    }
  }
  try {
    pc.close();
  } catch {
    // already closed
  }
  const done = await raceTimeout(Promise.all(tracks.map((t) => t.closed)), timeoutMs);
  // Tracks that did not report closed stay in `live` (never collected); the PC only goes when they are all closed.
  if (done) live.delete(pc);
}

/** Number of Tracks/PeerConnections still waiting for onClosed. */
export function liveObjects(): number {
  return live.size;
}

/**
 * For a test process's teardown: waits (bounded) until every Track made here has
 * closed, then calls node-datachannel's cleanup(). Returns false (and skips
 * cleanup) if some never closed, since cleanup() would then crash.
 * cleanup() closes every PeerConnection in the process, servers' included, so
 * call it only once everything else is shut down. Without it the process still
 * exits once all Tracks are closed, but only some seconds later.
 */
export async function cleanupNodeDataChannel(timeoutMs = 3000): Promise<boolean> {
  const ok = await raceTimeout(
    waitFor(() => live.size === 0, timeoutMs, 10),
    timeoutMs + 100,
  );
  if (!ok || live.size > 0) return false;
  nodeDataChannel.cleanup();
  return true;
}

// sleep and waitFor live in ./wait.ts; re-exported for the tests that import them from here.
export { sleep, waitFor } from './wait.js';

/** Resolves true if `p` settles first, false on timeout. Rejections propagate. */
export async function raceTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), t]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wait for ICE gathering to complete. Polls gatheringState() because the state can
 * become 'complete' synchronously, before any callback could be registered.
 */
export async function waitGathering(pc: PeerConnection, timeoutMs = 5000): Promise<void> {
  await waitFor(() => pc.gatheringState() === 'complete', timeoutMs, 5, 'ICE gathering did not complete');
}

export interface SdpMediaSection {
  kind: string;
  mid: string | undefined;
  /** Port from the m= line (0 = rejected). */
  port: number;
  /** Payload types in m= line order. */
  formats: number[];
  direction: string | undefined;
  /** rtpmap by payload type: codec name as written, clock rate, channels. */
  rtpmap: Map<number, { codec: string; clockRate: number; channels?: number }>;
  fmtp: Map<number, string>;
  ssrcs: number[];
}

/** Minimal SDP media-section parser (enough to read an answer). */
export function parseSdpMedia(sdp: string): SdpMediaSection[] {
  const out: SdpMediaSection[] = [];
  let cur: SdpMediaSection | undefined;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      const [kind, port, , ...fmts] = line.slice(2).trim().split(/\s+/);
      cur = {
        kind: kind ?? '',
        mid: undefined,
        port: Number(port),
        formats: fmts.map(Number).filter((n) => Number.isInteger(n)),
        direction: undefined,
        rtpmap: new Map(),
        fmtp: new Map(),
        ssrcs: [],
      };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^a=mid:(\S+)/))) cur.mid = m[1];
    else if ((m = line.match(/^a=(sendrecv|sendonly|recvonly|inactive)\s*$/))) cur.direction = m[1];
    else if ((m = line.match(/^a=rtpmap:(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?/))) {
      const e: { codec: string; clockRate: number; channels?: number } = { codec: m[2]!, clockRate: Number(m[3]) };
      if (m[4] !== undefined) e.channels = Number(m[4]);
      cur.rtpmap.set(Number(m[1]), e);
    } else if ((m = line.match(/^a=fmtp:(\d+)\s+(.*)$/))) cur.fmtp.set(Number(m[1]), m[2]!.trim());
    else if ((m = line.match(/^a=ssrc:(\d+)\s/))) {
      const ssrc = Number(m[1]);
      if (!cur.ssrcs.includes(ssrc)) cur.ssrcs.push(ssrc);
    }
  }
  return out;
}

export interface HttpResult {
  status: number;
  body: string;
  headers: Headers;
}

export async function httpRequest(
  method: string,
  url: string,
  opts: { body?: string; contentType?: string; token?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  if (opts.token !== undefined) headers['Authorization'] = `Bearer ${opts.token}`;
  const res = await fetch(url, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** DELETE a WHIP/WHEP session, ignoring every error. Returns the status or undefined. */
export async function deleteSession(url: string | undefined, token?: string, timeoutMs = 2000): Promise<number | undefined> {
  if (!url) return undefined;
  try {
    const r = await httpRequest('DELETE', url, { ...(token !== undefined ? { token } : {}), timeoutMs });
    return r.status;
  } catch {
    return undefined;
  }
}

export interface Signalled {
  offer: string;
  status: number;
  /** The answer on 201, else the error body. */
  body: string;
  /** Absolute session URL and ETag, on 201. */
  sessionUrl?: string;
  etag?: string;
}

/** Non-trickle WHIP/WHEP signalling: makes the complete offer and POSTs it. */
export async function postOffer(pc: PeerConnection, url: string, token?: string): Promise<Signalled> {
  pc.setLocalDescription('offer');
  await waitGathering(pc);
  const offer = pc.localDescription()?.sdp;
  if (!offer) throw new Error('no local description');
  const res = await httpRequest('POST', url, { body: offer, contentType: 'application/sdp', ...(token !== undefined ? { token } : {}) });
  if (res.status !== 201) return { offer, status: res.status, body: res.body };
  const location = res.headers.get('location');
  if (!location) throw new Error('201 without Location');
  return { offer, status: res.status, body: res.body, sessionUrl: new URL(location, url).toString(), etag: res.headers.get('etag') ?? undefined };
}

/** Applies the answer; failing here means the connection already gave up, so it is retried. */
export function applyAnswer(pc: PeerConnection, answer: string): void {
  try {
    pc.setRemoteDescription(answer, 'answer');
  } catch (e) {
    // Seen when the ICE transport already gave up (pc 'failed').
    throw new ConnectAttemptError(`setRemoteDescription: ${(e as Error).message} (pc ${pc.state()})`);
  }
}

/** Error thrown by NodePublisher.start() when the WHIP POST is not answered with 201. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
    this.name = 'HttpStatusError';
  }
}

/** Why one connection attempt failed (used for the DTLS-race retry). */
export class ConnectAttemptError extends Error {
  override name = 'ConnectAttemptError';
}

/**
 * Wait until all tracks are open. Fails fast if the PC reaches 'failed'/'closed'
 * and after `timeoutMs`.
 */
export async function waitTracksOpen(pc: PeerConnection, tracks: readonly ManagedTrack[], timeoutMs: number): Promise<void> {
  let opened = false;
  void Promise.all(tracks.map((t) => t.opened)).then(() => (opened = true));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (opened || tracks.every((t) => t.track.isOpen())) return;
    const st = pc.state();
    if (st === 'failed' || st === 'closed') throw new ConnectAttemptError(`peer connection ${st}`);
    if (performance.now() >= deadline) throw new ConnectAttemptError(`tracks not open within ${timeoutMs} ms (pc ${st})`);
    await sleep(10);
  }
}
