/**
 * Where a viewer's memory goes at a relay (issue 19: <= 64 kB per viewer on the native engine).
 * Starts an origin and a relay (as the fan-out bench does, with the soak's memory probe preloaded
 * into the relay: scripts/soak/probe.mjs), one 600 kbps publisher, and the bench's native sinks as
 * viewers, and at each step reads the relay's RSS split by mapping (/proc/PID/smaps: glibc's brk
 * heap, other anonymous memory, files) beside V8's heap and external memory and the native
 * viewer count. Prints each step and the per-viewer difference from the step with no viewers.
 *
 *   npx tsx scripts/bench/viewer-memory.ts [--steps 0,100,200] [--engine native] [--settle 4] [--trim]
 *
 * The relay runs with --expose-gc and the probe collects fully before each sample (every 2 s), so
 * V8's heapUsed is what is live; glibc's bytes in use (mallinfo2 over every arena, through the
 * addon) is the native state plus what JS keeps in malloc (Buffers), free pages excluded.
 * --trim: the relay's --malloc-trim at 1 s, so freed but unreturned pages mostly do not count
 * in RSS. Without it RSS is what the fan-out bench's rss_kb_per_viewer measures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fixturePath } from '../../test/support/fixture.js';
import { sleep } from '../../test/support/wait.js';
import { ViewerPool } from './pool.js';
import { CanopyNode, PublisherWorker, ROOT, ViewerWorker, metric, rssMb, type Proc } from './procs.js';
import { smapsSplit } from '../soak/smaps.js';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '0,100,200' },
    engine: { type: 'string', default: 'native' },
    settle: { type: 'string', default: '4' },
    trim: { type: 'boolean', default: false },
    /** A V8 heap snapshot of the relay at each step, written to this directory (node --heapsnapshot-signal). */
    snapshots: { type: 'string' },
  },
});
const steps = args.steps.split(',').map(Number);
const STREAM = 'mem';

interface Probe {
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** glibc's bytes in use over every arena (the addon's mallocInUse), null without it. */
  mallocInUse: number | null;
}

interface Row {
  viewers: number;
  nativeViewers: number;
  rssMb: number;
  brkMb: number;
  anonMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  mallocMb: number;
}

const MB = 1024 * 1024;
const probeDir = mkdtempSync(join(tmpdir(), 'canopy-vmem-'));
const probeFile = join(probeDir, 'relay.json');

async function freshProbe(after: number): Promise<Probe> {
  for (let i = 0; i < 100; i++) {
    try {
      const p = JSON.parse(readFileSync(probeFile, 'utf8')) as Probe & { at: number };
      if (p.at > after) return p;
    } catch {
      // not written yet
    }
    await sleep(100);
  }
  throw new Error('the relay wrote no memory probe');
}

async function main(): Promise<void> {
  const procs: Proc[] = [];
  const pool = new ViewerPool({
    perWorker: 500,
    log: (m) => console.log(m),
    startWorker: (n) => ViewerWorker.start(n, undefined, './sink-worker.ts', 0),
  });
  let publisher: PublisherWorker | null = null;
  try {
    const origin = await CanopyNode.start({ id: 'origin', role: 'origin' });
    procs.push(origin);
    process.env.CANOPY_SOAK_PROBE = probeFile;
    process.env.CANOPY_SOAK_PROBE_MS = '2000';
    process.env.CANOPY_SOAK_PROBE_GC = '1';
    const relay = await CanopyNode.start({
      id: 'relay',
      role: 'relay',
      parent: origin,
      flags: ['--engine', args.engine, ...(args.trim ? ['--malloc-trim', '1s'] : [])],
      nodeArgs: [
        '--expose-gc',
        ...(args.snapshots ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${args.snapshots}`] : []),
        '--import',
        join(ROOT, 'scripts/soak/probe.mjs'),
      ],
    });
    delete process.env.CANOPY_SOAK_PROBE;
    delete process.env.CANOPY_SOAK_PROBE_GC;
    procs.unshift(relay);
    publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${STREAM}`, fixture: fixturePath('vp8-opus-600k.rtp') });
    await sleep(1000);
    const rows: Row[] = [];
    let current = 0;
    for (const target of steps) {
      if (target > current) {
        const ids = await pool.add(Array.from({ length: target - current }, () => ({ mode: 'whep' as const, url: relay.whep(STREAM) })));
        const recs = await pool.waitJoined(ids, 60_000 + ids.length * 200);
        const failed = recs.filter((r) => !r.ok).length;
        if (failed) console.log(`  ${failed} of ${ids.length} viewers failed to join`);
        current = target;
      }
      await sleep(Number(args.settle) * 1000 + (args.trim ? 1500 : 0));
      const t = Date.now();
      const pr = await freshProbe(t);
      const split = smapsSplit(relay.pid);
      const m = await relay.metrics();
      const row: Row = {
        viewers: metric(m, 'canopy_viewers'),
        nativeViewers: metric(m, 'canopy_native_viewers'),
        rssMb: rssMb(relay.pid),
        brkMb: (split?.brk ?? NaN) / MB,
        anonMb: (split?.anon ?? NaN) / MB,
        heapUsedMb: pr.memory.heapUsed / MB,
        heapTotalMb: pr.memory.heapTotal / MB,
        externalMb: pr.memory.external / MB,
        mallocMb: (pr.mallocInUse ?? NaN) / MB,
      };
      rows.push(row);
      if (args.snapshots && relay.pid !== undefined) {
        const before = new Set(readdirSync(args.snapshots));
        process.kill(relay.pid, 'SIGUSR2');
        for (let i = 0; i < 300 && readdirSync(args.snapshots).every((f) => before.has(f) || !f.endsWith('.heapsnapshot')); i++) await sleep(200);
        await sleep(1000);
        console.log(
          `  heap snapshot at ${target}: ${readdirSync(args.snapshots)
            .filter((f) => !before.has(f))
            .join(', ')}`,
        );
      }
      console.log(
        `${String(target).padStart(5)} viewers (relay counts ${row.viewers}, native ${row.nativeViewers}): RSS ${row.rssMb.toFixed(1)} MB ` +
          `(brk heap ${row.brkMb.toFixed(1)}, other anon ${row.anonMb.toFixed(1)}), V8 heap used ${row.heapUsedMb.toFixed(1)} of ${row.heapTotalMb.toFixed(1)}, ` +
          `external ${row.externalMb.toFixed(1)} MB, malloc in use ${row.mallocMb.toFixed(1)} MB · load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
    const base = rows[0]!;
    for (const r of rows.slice(1)) {
      const n = r.viewers - base.viewers;
      if (n <= 0) continue;
      const kb = (a: number, b: number) => (((a - b) * 1024) / n).toFixed(1);
      console.log(
        `per viewer at ${r.viewers}: RSS ${kb(r.rssMb, base.rssMb)} kB = brk heap ${kb(r.brkMb, base.brkMb)} + other anon ${kb(r.anonMb, base.anonMb)} ` +
          `(+ files); ` +
          `V8 heap used after a full GC ${kb(r.heapUsedMb, base.heapUsedMb)}, committed ${kb(r.heapTotalMb, base.heapTotalMb)}; ` +
          `external ${kb(r.externalMb, base.externalMb)}; malloc in use ${kb(r.mallocMb, base.mallocMb)} kB`,
      );
    }
  } finally {
    for (const w of pool.workers) await w.exit().catch(() => {});
    await publisher?.stop().catch(() => {});
    for (const p of procs) await p.stop().catch(() => {});
    rmSync(probeDir, { recursive: true, force: true });
  }
}

await main();
