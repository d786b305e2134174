/**
 * Messages between the bench (scripts/bench/main.ts) and its worker processes
 * (viewer-worker.ts, publisher-worker.ts), over the Node IPC channel (process.send).
 *
 * Every time is an epoch-millisecond float from the same clock in every process
 * (`nowMs()`: performance.timeOrigin + performance.now()), so times taken in different
 * processes on this machine can be subtracted.
 */
import { performance } from 'node:perf_hooks';

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** 32-bit FNV-1a over bytes [start, end) of `b`. */
export function fnv1a(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= b[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Where the payload of an RTP packet starts and ends (after CSRCs and header extension,
 * before padding); null for anything that is not RTP v2.
 */
export function payloadBounds(b: Uint8Array): [number, number] | null {
  if (b.length < 12 || b[0]! >> 6 !== 2) return null;
  let start = 12 + 4 * (b[0]! & 0x0f);
  if (b[0]! & 0x10) {
    if (b.length < start + 4) return null;
    start += 4 + 4 * ((b[start + 2]! << 8) | b[start + 3]!);
  }
  let end = b.length;
  if (b[0]! & 0x20) end -= b[b.length - 1]!;
  if (start > end) return null;
  return [start, end];
}

/** Hash of an RTP packet's payload (what every hop forwards unchanged). */
export function payloadHash(b: Uint8Array): number | null {
  const r = payloadBounds(b);
  return r ? fnv1a(b, r[0], r[1]) : null;
}

// ---- viewer worker ----

export type ViewerMode = 'whep' | 'janus';

export interface ViewerSpec {
  id: number;
  mode: ViewerMode;
  /** WHEP endpoint, or the Janus HTTP API base (http://host:port/janus). */
  url: string;
  /** Janus streaming mountpoint id. */
  mountpoint?: number;
  /** Records (payload hash, arrival time) of video packets while a probe window is open. */
  probe?: boolean;
  /** A label carried into join records (e.g. 'cold', 'warm', 'relay-a1'). */
  tag?: string;
}

/** One viewer's connection timeline (epoch ms); undefined = did not happen. */
export interface JoinRecord {
  id: number;
  tag?: string;
  ok: boolean;
  attempts: number;
  error?: string;
  startedAt: number;
  /** Answer received (WHEP 201, or Janus offer received and answer sent). */
  answeredAt?: number;
  /** Both tracks open (DTLS-SRTP up). */
  connectedAt?: number;
  firstPacketAt?: number;
  firstKeyframeAt?: number;
}

/** Cumulative counters of one worker (sums over every viewer it ever had). */
export interface WorkerCounters {
  /** Viewers currently connected. */
  connected: number;
  /** Viewers being connected. */
  connecting: number;
  /** Viewers that gave up. */
  failed: number;
  /** RTP packets received, over all viewers and tracks. */
  packets: number;
  bytes: number;
  /** Packets expected from the sequence-number span seen by each viewer and track. */
  expected: number;
  /** Video packets received, and expected. */
  videoPackets: number;
  videoExpected: number;
  rtcp: number;
  /** Connection attempts that failed and were retried. */
  retries: number;
}

export type ToViewerWorker =
  | { t: 'add'; viewers: ViewerSpec[] }
  | { t: 'close'; req: number; ids: number[] }
  | { t: 'closeAll'; req: number }
  | { t: 'snap'; req: number }
  | { t: 'probe'; req: number; on: boolean }
  | { t: 'exit' };

export type FromViewerWorker =
  | { t: 'ready' }
  | { t: 'join'; rec: JoinRecord }
  | { t: 'status'; counters: WorkerCounters }
  | { t: 'snap'; req: number; counters: WorkerCounters; at: number }
  | { t: 'closed'; req: number }
  /** Flat [hash, arrival, viewerId, hash, arrival, viewerId, ...]. */
  | { t: 'probe'; req: number; samples: number[] }
  | { t: 'log'; msg: string };

// ---- publisher worker ----

export type PublisherStart =
  { mode: 'whip'; url: string; fixture: string } | { mode: 'udp'; host: string; videoPort: number; audioPort: number; fixture: string };

export interface PublisherCounters {
  packets: number;
  bytes: number;
  sendFailures: number;
  keyframeRequests: number;
  attempts: number;
}

export type ToPublisherWorker =
  { t: 'start'; req: number; start: PublisherStart } | { t: 'snap'; req: number } | { t: 'probe'; req: number; on: boolean } | { t: 'stop'; req: number };

export type FromPublisherWorker =
  | { t: 'ready' }
  | { t: 'started'; req: number; error?: string }
  | { t: 'snap'; req: number; counters: PublisherCounters }
  /** Flat [hash, sentAt, hash, sentAt, ...] of video packets. */
  | { t: 'probe'; req: number; samples: number[] }
  | { t: 'stopped'; req: number };
