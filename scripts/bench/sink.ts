/**
 * The native viewer sink's binding (native/src/sink_addon.cc, build/Release/canopy_sink.node),
 * built by `npm ci` with the data plane. Used by the bench (sink-worker.ts) and its test.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface SinkInfo {
  state: 'new' | 'checking' | 'handshaking' | 'connected' | 'failed' | 'closed';
  startedAt: number;
  /** Epoch ms; 0 until it happened. */
  connectedAt: number;
  firstPacketAt: number;
  error?: string;
}

export interface SinkTotals {
  created: number;
  connecting: number;
  connected: number;
  /** Connected sinks that received nothing in the last 2 s. */
  stalled: number;
  failed: number;
  closed: number;
  packets: number;
  bytes: number;
  expected: number;
  videoPackets: number;
  videoExpected: number;
  rtcpIn: number;
  rtcpOut: number;
  authOk: number;
  authFail: number;
  /** Sampled packets refused as replays (a duplicate or one older than the window), not forgeries. */
  authReplay: number;
  stunIn: number;
  stunOut: number;
  recvCalls: number;
}

export interface SinkStart {
  remoteUfrag: string;
  remotePwd: string;
  fingerprintAlgorithm: string;
  fingerprint: string;
  host: string;
  port: number;
  videoPt: number;
  dtlsClient: boolean;
  controlling: boolean;
}

export interface NativeSink {
  readonly fingerprint: string;
  create(bind: string): { id: number; port: number; ufrag: string; pwd: string };
  start(id: number, o: SinkStart): boolean;
  close(id: number): void;
  info(id: number): SinkInfo | null;
  totals(): SinkTotals;
  shutdown(): void;
}

export const SINK_BINARY = fileURLToPath(new URL('../../build/Release/canopy_sink.node', import.meta.url));

export function sinkAvailable(): boolean {
  return existsSync(SINK_BINARY);
}

/** A sink set with `threads` sink threads (throws when the addon was not built). */
export function loadSink(threads: number): NativeSink {
  const addon = createRequire(import.meta.url)(SINK_BINARY) as { NativeSink: new (threads: number) => NativeSink };
  return new addon.NativeSink(threads);
}
