/**
 * One relay hop, measured from its child end (docs/pipe.md): connects to a parent as a child
 * node would (a real authenticated link, this process's own pipe socket), subscribes to one
 * stream with the media path asked for, and reports the hop's latency (arrival here minus the
 * capture time the origin stamped on the packet, first arrival of each packet, so a repaired
 * packet counts with its repair delay), the share of packets delivered, and this process's CPU
 * time per packet received. Run it in a network namespace to put a lossy veth on the hop:
 *
 *   ip netns exec NS npx tsx scripts/bench/pipeHop.ts --parent ws://HOST:PORT/relay \
 *       --media udp --stream cam --seconds 10 --bind NS_IP        (secret: CANOPY_CLUSTER_SECRET)
 *
 * Prints one JSON line (HopResult).
 */
import { parseArgs } from 'node:util';
import { UpstreamLink } from '../../src/tree/UpstreamLink.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, pipeCounters } from '../../src/metrics.js';
import type { FeedSink } from '../../src/media/types.js';
import { PipeHost, type LinkMediaMode } from '../../src/pipe/PipeHost.js';
import { rtpSeq } from '../../src/rtp.js';

export interface HopResult {
  media: 'ws' | 'udp';
  /** Packets whose first arrival was timed. */
  packets: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Distinct packets received over those sent (by sequence number, per track). */
  delivered: number;
  /** CPU time of this (receiving) process per packet received, microseconds. */
  cpuUsPerPacket: number | null;
  repaired: number;
  unrepaired: number;
  nacks: number;
  fallbacks: number;
}

/** How long after the window repairs may still land. */
const SETTLE_MS = 1500;

export async function measureHop(opts: {
  parent: string;
  media: LinkMediaMode;
  stream: string;
  seconds: number;
  bind: string;
  secret: string;
}): Promise<HopResult> {
  const metrics = new Metrics();
  const counters = pipeCounters(metrics);
  const logger = silentLogger();
  const host = new PipeHost({ listen: { host: opts.bind, port: 0 }, counters, logger });
  await host.listen();
  const up = new UpstreamLink({
    url: opts.parent,
    nodeId: `hop-probe-${process.pid}`,
    role: 'child',
    secret: opts.secret,
    maxFrameBytes: 65536,
    connectTimeoutMs: 5000,
    reconnect: false,
    pipe: () => ({ host, mode: opts.media }),
    logger,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      up.once('up', () => resolve());
      up.once('down', (reason: string) => reject(new Error(`link down: ${reason}`)));
      up.start();
    });
    if (opts.media === 'udp') {
      const deadline = Date.now() + 6000;
      while (up.mediaPath !== 'udp' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (up.mediaPath !== 'udp') throw new Error(`no pipe: ${up.pipe?.reason}`);
    }
    const lat: number[] = [];
    const seen = new Map<number, { first: number; highest: number; got: Set<number> }>();
    let measuring = true;
    let cpu0: NodeJS.CpuUsage | null = null;
    let received = 0;
    const sink: FeedSink = {
      deliver({ track, rtp, captureMs }) {
        const now = Date.now();
        received++;
        const seq = rtpSeq(rtp);
        let s = seen.get(track);
        if (!s) seen.set(track, (s = { first: seq, highest: -1, got: new Set() }));
        // Extended relative to the first packet (runs are far shorter than a wrap's worth of ambiguity).
        const rel = (seq - s.first) & 0xffff;
        if (rel >= 0x8000 || s.got.has(rel)) return; // before the window (a late repair), or seen
        if (!measuring && rel > s.highest) return;
        s.got.add(rel);
        if (measuring && rel > s.highest) s.highest = rel;
        lat.push(now - captureMs);
      },
      end() {},
      sourceLost() {},
    };
    const { source } = await up.subscribe(opts.stream, sink);
    // The first second is the pull starting up (keyframe, pacing): not the hop.
    await new Promise((r) => setTimeout(r, 1000));
    lat.length = 0;
    for (const s of seen.values()) {
      s.got.clear();
      s.first = (s.first + s.highest + 1) & 0xffff;
      s.highest = -1;
    }
    received = 0;
    cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, opts.seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const counted = received;
    measuring = false;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    source.close('done');
    let got = 0;
    let expected = 0;
    for (const s of seen.values()) {
      if (s.highest < 0) continue;
      for (const r of s.got) if (r <= s.highest) got++;
      expected += s.highest + 1;
    }
    lat.sort((a, b) => a - b);
    const q = (p: number): number | null => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : null);
    return {
      media: up.mediaPath,
      packets: lat.length,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: lat.length ? lat[lat.length - 1]! : null,
      delivered: expected ? got / expected : 0,
      cpuUsPerPacket: counted ? (cpu.user + cpu.system) / counted : null,
      repaired: counters.repaired.get(),
      unrepaired: counters.unrepaired.get(),
      nacks: counters.nacksSent.get(),
      fallbacks: counters.fallbacks.get({ reason: 'silent' }),
    };
  } finally {
    up.close();
    host.close();
  }
}

if (process.argv[1]?.endsWith('pipeHop.ts')) {
  const { values } = parseArgs({
    options: {
      parent: { type: 'string' },
      media: { type: 'string', default: 'udp' },
      stream: { type: 'string', default: 'cam' },
      seconds: { type: 'string', default: '10' },
      bind: { type: 'string', default: '127.0.0.1' },
    },
  });
  const secret = process.env.CANOPY_CLUSTER_SECRET;
  if (!values.parent || !secret) {
    console.error('usage: pipeHop.ts --parent ws://HOST:PORT/relay [--media ws|udp] [--stream NAME] [--seconds N] [--bind IP]  (CANOPY_CLUSTER_SECRET set)');
    process.exit(2);
  }
  measureHop({
    parent: values.parent,
    media: values.media as LinkMediaMode,
    stream: values.stream!,
    seconds: Number(values.seconds),
    bind: values.bind!,
    secret,
  }).then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
