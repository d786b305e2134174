/**
 * Micro-benchmark of the per-viewer packet path in JavaScript (rewrite + hand to the engine),
 * without the engine: what loss repair may add to fan-out, measured apart from SRTP, the
 * kernel and the machine's other work.
 *
 *   npx tsx scripts/bench/packet-path.ts [--root DIR] [--viewers 500] [--rounds 7]
 *
 * --root runs another checkout's src/ (e.g. one from before loss repair): with TrackSender it
 * measures TrackSender.send (+ the feed's history push, once per packet for all viewers); without,
 * the RtpRewriter path ViewerSession used to run. Prints ns per packet per viewer, per round.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readFixture, fixturePath } from '../../test/support/fixture.js';

const { values } = parseArgs({ options: { root: { type: 'string' }, viewers: { type: 'string' }, rounds: { type: 'string' } } });
const root = resolve(values.root ?? new URL('../..', import.meta.url).pathname);
const viewers = Number(values.viewers ?? 500);
const rounds = Number(values.rounds ?? 7);
const load = async (p: string): Promise<Record<string, unknown> | null> => {
  try {
    return (await import(pathToFileURL(`${root}/${p}`).href)) as Record<string, unknown>;
  } catch {
    return null;
  }
};

const rtpMod = (await load('src/rtp.ts'))!;
const metricsMod = (await load('src/metrics.ts'))!;
const senderMod = await load('src/engine/TrackSender.ts');
const historyMod = await load('src/media/RtpHistory.ts');
const counters = (metricsMod.nodeCounters as (m: unknown) => Record<string, { add(n?: number): void; inc(l?: unknown): void }>)(
  new (metricsMod.Metrics as new () => unknown)(),
);
const packets = readFixture(fixturePath('vp8-opus-600k.rtp'))
  .packets.filter((p) => p.trackId === readFixture(fixturePath('vp8-opus-600k.rtp')).tracks.find((t) => t.kind === 'video')!.id)
  .map((p) => p.data);
let sink = 0;
const out = { open: true, send: (b: Uint8Array) => ((sink += b.length), true) };

type Path = (rtp: Uint8Array, now: number) => void;
const paths: Path[] = [];
let label: string;
if (senderMod && historyMod) {
  label = 'TrackSender.send + history push';
  const History = historyMod.RtpHistory as new (o: unknown) => { push(r: Uint8Array, n: number): boolean };
  const history = new History({ windowMs: 1000, maxBytes: 8 << 20 });
  const Sender = senderMod.TrackSender as new (o: unknown, now?: number) => { out: unknown; send(r: Uint8Array, c: number, n: number): void };
  for (let i = 0; i < viewers; i++) {
    const s = new Sender(
      { ssrc: 1000 + i, payloadType: 96, clockRate: 90000, rtx: { ssrc: 5000 + i, payloadType: 97 }, history, retransmitShare: 0.25, counters },
      0,
    );
    s.out = out;
    paths.push((rtp, now) => s.send(rtp, now, now));
  }
  // The feed pushes each packet once, for all its viewers: charge it to the first.
  const first = paths[0]!;
  paths[0] = (rtp, now) => {
    history.push(rtp, now);
    first(rtp, now);
  };
} else {
  label = 'RtpRewriter.rewrite + send (before loss repair)';
  const Rewriter = rtpMod.RtpRewriter as new (s: number, pt: number, c: number) => { rewrite(b: Uint8Array, n: number): Uint8Array | null };
  for (let i = 0; i < viewers; i++) {
    const r = new Rewriter(1000 + i, 96, 90000);
    paths.push((rtp, now) => {
      const o = r.rewrite(rtp, now);
      if (!o) return;
      if (out.send(o)) {
        counters.packetsOut!.add();
        counters.bytesOut!.add(o.length);
      }
    });
  }
}

const results: number[] = [];
for (let round = 0; round < rounds; round++) {
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (const rtp of packets) {
    const now = Date.now();
    for (const p of paths) p(rtp, now);
    n += paths.length;
  }
  results.push(Number(process.hrtime.bigint() - t0) / n);
}
const sorted = [...results].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    root,
    path: label,
    viewers,
    packets: packets.length,
    ns_per_packet: results.map((r) => Math.round(r)),
    median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
    min: Math.round(sorted[0]!),
    sink: sink > 0,
  }),
);
