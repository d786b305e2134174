/**
 * Bench section `pipe` (issue 12, docs/pipe.md): one relay hop with media in the WebSocket (TCP)
 * against the UDP pipe (SRTP, per-hop NACK repair), clean and with 2% loss.
 *
 *   npm run bench -- --only pipe [--quick]
 *   npx tsx scripts/bench/pipe.ts [--quick] [--seconds N] [--out FILE]
 *
 * The origin runs as its own process on the host end of a veth (test/support/lossNet.ts); the
 * publisher replays the 600 kbps fixture into it; the hop's child end is scripts/bench/pipeHop.ts
 * in the namespace, a real authenticated link with its own pipe socket. Loss: nftables in the
 * namespace drops `percent`% of every TCP and UDP packet crossing the veth, both ways (no netem
 * here, so the veth adds no delay: the RTT is about 0.1 ms). Needs root, iproute2 and nftables;
 * skipped with the reason otherwise.
 *
 * Figures per (loss, path), over a window of `seconds`:
 *  - hop_latency_ms p50/p99/max: arrival at the child minus the capture time the origin stamped
 *    on the packet, first arrival of each packet (a repaired packet counts with its repair delay);
 *  - delivered: distinct packets received over those sent (by RTP sequence number, per track);
 *  - cpu_us_per_packet: sender = origin CPU time over the window, less its CPU time without any
 *    link over an equal window (publisher only), per packet it sent on the link; receiver = the
 *    child process's CPU time per packet received; total = both ends of the link;
 *  - repaired / unrepaired / nacks (pipe only).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fixturePath } from '../../test/support/fixture.js';
import { createLossNet, lossNetUnavailable } from '../../test/support/lossNet.js';
import type { HopResult } from './pipeHop.js';
import { CanopyNode, NODE_ENV_VARS, PublisherWorker, ROOT, sleep } from './procs.js';

export interface PipeContext {
  quick: boolean;
  /** Measuring window per run (default 10 s quick, 30 s otherwise). */
  seconds?: number;
  log: (line: string) => void;
}

const STREAM = 'pipe';
const LOSSES = [0, 2] as const;

function runHop(ns: string, bind: string, parent: string, media: 'ws' | 'udp', seconds: number): Promise<HopResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'ip',
      [
        'netns',
        'exec',
        ns,
        process.execPath,
        '--import',
        'tsx',
        'scripts/bench/pipeHop.ts',
        '--parent',
        parent,
        '--media',
        media,
        '--stream',
        STREAM,
        '--seconds',
        String(seconds),
        '--bind',
        bind,
      ],
      { cwd: ROOT, env: { ...process.env, CANOPY_CLUSTER_SECRET: NODE_ENV_VARS.CANOPY_CLUSTER_SECRET! }, timeout: (seconds + 60) * 1000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`hop probe: ${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split('\n').pop()!) as HopResult),
    );
  });
}

async function packetsOut(node: CanopyNode): Promise<number> {
  return (await node.metrics()).get('canopy_packets_out_total') ?? 0;
}

export async function pipeSection(ctx: PipeContext): Promise<Record<string, unknown>> {
  const why = lossNetUnavailable();
  if (why) {
    ctx.log(`pipe: skipped (${why}: the hop runs across a veth into a network namespace, with nftables loss)`);
    return { skipped: `${why}: the pipe section needs root, iproute2 and nftables (network namespaces and nftables loss)` };
  }
  const seconds = ctx.seconds ?? (ctx.quick ? 10 : 30);
  const net = createLossNet('pb', 87);
  let origin: CanopyNode | null = null;
  let publisher: PublisherWorker | null = null;
  try {
    origin = await CanopyNode.start({ id: 'origin', role: 'origin', host: net.hostIp, flags: ['--allow-anonymous-publish'] });
    publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${STREAM}`, fixture: fixturePath('vp8-opus-600k.rtp') });
    await sleep(2000);
    // What the origin costs with the publisher alone: subtracted from the runs below.
    const c0 = origin.cpu();
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const idleCpuPerS = (origin.cpu() - c0) / ((Date.now() - t0) / 1000);
    const runs: Record<string, Record<string, unknown>> = {};
    for (const loss of LOSSES) {
      net.setHopLoss(loss);
      const key = loss === 0 ? 'clean' : `loss_${loss}pct`;
      runs[key] = {};
      for (const media of ['ws', 'udp'] as const) {
        ctx.log(`pipe: ${media} hop, ${loss}% loss both ways, ${seconds} s`);
        const cpu0 = origin.cpu();
        const out0 = await packetsOut(origin);
        const start = Date.now();
        const before = net.counters();
        const r = await runHop(net.ns, net.nsIp, origin.linkUrl, media, seconds);
        const wall = (Date.now() - start) / 1000;
        const sent = (await packetsOut(origin)) - out0;
        const after = net.counters();
        const senderUs = sent > 0 ? ((origin.cpu() - cpu0 - idleCpuPerS * wall) * 1e6) / sent : null;
        runs[key]![media] = {
          path: r.media,
          hop_latency_ms: { p50: r.p50Ms, p99: r.p99Ms, max: r.maxMs },
          delivered: Number(r.delivered.toFixed(5)),
          packets: r.packets,
          cpu_us_per_packet: {
            sender: senderUs === null ? null : Math.round(senderUs),
            receiver: r.cpuUsPerPacket === null ? null : Math.round(r.cpuUsPerPacket),
            total: senderUs === null || r.cpuUsPerPacket === null ? null : Math.round(senderUs + r.cpuUsPerPacket),
          },
          ...(media === 'udp' ? { repaired: r.repaired, unrepaired: r.unrepaired, nacks: r.nacks, fallbacks: r.fallbacks } : {}),
          nft: loss > 0 ? { seen: after.seen - before.seen, dropped: after.dropped - before.dropped } : undefined,
        };
      }
    }
    net.setHopLoss(0);
    return {
      definition:
        'one hop origin → child over a veth into a network namespace (RTT ≈ 0.1 ms, no added delay); loss = nftables dropping that share of every TCP and UDP packet both ways; hop_latency_ms = arrival at the child − origin capture time, first arrival of each packet; delivered = distinct packets received / sent; cpu_us_per_packet: sender = origin CPU above its publisher-only baseline per packet sent on the link, receiver = child process CPU per packet received',
      seconds,
      fixture: 'vp8-opus-600k.rtp',
      origin_idle_cpu_cores: Number(idleCpuPerS.toFixed(4)),
      runs,
    };
  } finally {
    await publisher?.shutdown().catch(() => undefined);
    await origin?.stop().catch(() => undefined);
    net.close();
  }
}

export function pipeRows(r: Record<string, unknown>): Array<[string, string, string]> {
  if (r.skipped) return [['pipe', `skipped: ${String(r.skipped)}`, '']];
  const rows: Array<[string, string, string]> = [];
  const f = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  for (const [key, run] of Object.entries((r.runs as Record<string, Record<string, Record<string, unknown>>>) ?? {})) {
    for (const media of ['ws', 'udp']) {
      const m = run[media];
      if (!m) continue;
      const h = m.hop_latency_ms as Record<string, number | null>;
      const c = m.cpu_us_per_packet as Record<string, number | null>;
      rows.push([
        `pipe.${key}.${media} hop_latency_ms p50/p99`,
        `${f(h.p50)} / ${f(h.p99)} (max ${f(h.max)}; cpu µs/packet send ${f(c.sender)} + receive ${f(c.receiver)})`,
        `delivered ${(Number(m.delivered) * 100).toFixed(2)}%`,
      ]);
    }
  }
  return rows;
}

if (process.argv[1]?.endsWith('pipe.ts')) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, seconds: { type: 'string' }, out: { type: 'string' } } });
  pipeSection({ quick: values.quick!, seconds: values.seconds ? Number(values.seconds) : undefined, log: (l) => console.error(l) }).then(
    (r) => {
      const text = JSON.stringify(r, null, 2);
      if (values.out) writeFileSync(values.out, `${text}\n`);
      console.log(text);
      for (const row of pipeRows(r)) console.log(row.join(' | '));
      process.exit(0);
    },
    (err: Error) => {
      console.error(err);
      process.exit(1);
    },
  );
}
