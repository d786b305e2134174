/**
 * Memory soak (issue 23): an origin and a relay, each carrying N streams (default 20), viewers
 * joining and leaving at the relay, 1 in 5 time-shifted into window B; every node's RSS and
 * window-B bytes sampled against its budget (--cache-max-total-bytes).
 *
 *   npx tsx scripts/soak/memory.ts [--minutes 15] [--streams 20] [--budget-mib 96]
 *       [--viewers 6] [--no-archive] [--heartbeat 1s] [--out soak-memory.json]
 *       [--source] [--no-build] [--node-args=FLAGS]
 *
 * The nodes run as production runs them: the built package (`node bin/canopy.js origin|relay`,
 * what deploy/systemd and the container start), built first with `npm run build` (--no-build
 * reuses dist/). --source runs origin/main.ts and relay/main.ts through tsx instead, which costs
 * ~40 MiB more RSS per node (tsx's compiler and the source maps) and so is not the figure to compare
 * with the goal. --node-args replaces the flags both nodes' node gets (default: deploy/systemd's NODE_OPTIONS,
 * --max-semi-space-size=4; --node-args= for V8's defaults).
 *
 * Every sample splits each node's RSS (from /proc/PID/smaps): glibc's brk heap (malloc: window
 * B's packets, socket reads, the WebRTC library), anonymous mappings (V8's heap, malloc's mmaps and
 * thread arenas) and files (the node binary and libraries); beside it the runtime's own view
 * (process.memoryUsage() and V8's heap spaces, from scripts/soak/probe.mjs preloaded in each node).
 *
 * The origin runs with --data-dir (window B's requests read its archive; it keeps only
 * --archive-memory-window in memory) unless --no-archive. One live "keeper" viewer per stream
 * stays at the relay for the whole soak, so it carries all N even between churning viewers
 * (--no-keepers: the relay keeps what it pulled with --idle-close-after 2h instead, which also
 * keeps every ended time-shifted copy pulling from the origin's archive).
 * Prints a line per sample and a summary: RSS per node over time against budget + 150 MiB (the
 * issue's goal), the origin's RSS flatness after its first minute, the sessions that failed,
 * and where the time-shifted sessions were served from.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NodeViewer } from '../../test/support/NodeViewer.js';
import { smapsSplit, type Split } from './smaps.js';
import { freePort } from '../../test/support/procs.js';
import { cleanupNodeDataChannel } from '../../test/support/webrtc.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '15' },
    streams: { type: 'string', default: '20' },
    'budget-mib': { type: 'string', default: '96' },
    viewers: { type: 'string', default: '6' },
    'no-archive': { type: 'boolean', default: false },
    sample: { type: 'string', default: '15' },
    // Relay-link heartbeat of both nodes: a starved shared machine stalls event loops for seconds
    // and the default 1 s (3 silent = link down) then drops the link, and the relay's buffers with it.
    heartbeat: { type: 'string', default: '1s' },
    'no-keepers': { type: 'boolean', default: false },
    out: { type: 'string' },
    source: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    // What deploy/systemd and the Dockerfile give node (NODE_OPTIONS there): measure what runs in production.
    'node-args': { type: 'string', default: '--max-semi-space-size=4' },
  },
});
const MINUTES = Number(args.minutes);
const STREAMS = Number(args.streams);
const BUDGET = Math.round(Number(args['budget-mib']) * 1024 * 1024);
const CONCURRENT = Number(args.viewers);
const SAMPLE_MS = Number(args.sample) * 1000;
const ARCHIVE = !args['no-archive'];
const MIB = 1024 * 1024;
const GOAL_OVERHEAD = 150 * MIB;

process.env.CANOPY_CLUSTER_SECRET ??= randomBytes(16).toString('hex');
process.env.CANOPY_MAX_NEW_SESSIONS_PER_IP = '0';
process.env.CANOPY_MAX_PENDING_SESSIONS = '0';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE = join(ROOT, 'scripts/soak/probe.mjs');
const SOURCE = args.source;
const NODE_ARGS = args['node-args']!.split(/\s+/).filter(Boolean);
if (!args.source && !args['no-build']) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
const probeDir = mkdtempSync(join(tmpdir(), 'canopy-soak-probe-'));

/** A node in its own process (a loaded machine may take a minute to start one: tsx compiles). */
class NodeProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly probe: string,
  ) {}

  static async start(role: 'origin' | 'relay', args: string[]): Promise<NodeProcess> {
    const port = await freePort();
    const main = SOURCE ? ['--import', 'tsx', join(ROOT, `${role}/main.ts`)] : [join(ROOT, 'bin/canopy.js'), role];
    const probe = join(probeDir, `${role}.json`);
    const child = spawn(
      process.execPath,
      [...NODE_ARGS, '--import', PROBE, ...main, '--listen', `127.0.0.1:${port}`, '--ice-address', '127.0.0.1', '--log-level', 'warn', ...args],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, CANOPY_SOAK_PROBE: probe, CANOPY_SOAK_PROBE_MS: String(Math.min(5000, SAMPLE_MS)) },
      },
    );
    const p = new NodeProcess(child, port, probe);
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${role} exited while starting`);
      const level = await fetch(`${p.url}/healthz`, { signal: AbortSignal.timeout(2000) })
        .then(async (r) => (r.ok ? ((await r.json()) as { level: number | null }).level : null))
        .catch(() => null);
      if (typeof level === 'number') return p;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${role} not ready in 180 s`);
      }
      await sleep(250);
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get linkUrl(): string {
    return `ws://127.0.0.1:${this.port}/relay`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(t);
  }
}
const t0 = Date.now();
const since = () => ((Date.now() - t0) / 1000).toFixed(0).padStart(5);
const log = (s: string) => console.log(`[${since()} s] ${s}`);

function rssBytes(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface WindowB {
  budgetBytes: number;
  bytes: number;
  streams: number;
  evictions: number;
  evictedBytes: number;
}

async function state(p: NodeProcess): Promise<{ node: { windowB?: WindowB | null }; streams: Array<Record<string, unknown>> }> {
  return (await (await fetch(`${p.url}/api/state`, { signal: AbortSignal.timeout(5000) })).json()) as never;
}

const dataDir = mkdtempSync(join(tmpdir(), 'canopy-soak-'));
const budgetFlags = ['--cache-max-total-bytes', String(BUDGET), '--heartbeat', args.heartbeat!];
log(`origin${ARCHIVE ? ` (archive ${dataDir})` : ' (no archive)'} and one relay, ${STREAMS} streams, budget ${BUDGET / MIB} MiB each, ${MINUTES} min`);
const cleanup: Array<() => void> = [];
process.on('exit', () => cleanup.forEach((f) => f()));
const origin = await NodeProcess.start('origin', ['--id', 'origin', ...(ARCHIVE ? ['--data-dir', dataDir] : []), ...budgetFlags]);
cleanup.push(() => origin.child.kill('SIGKILL'));
const KEEPERS = !args['no-keepers'];
const relay = await NodeProcess.start('relay', [
  '--id',
  'relay-a',
  '--parent',
  origin.linkUrl,
  '--no-siblings',
  ...(KEEPERS ? [] : ['--idle-close-after', '2h']),
  ...budgetFlags,
]);

cleanup.push(() => relay.child.kill('SIGKILL'));
const names = Array.from({ length: STREAMS }, (_, i) => `soak${i}`);
const pubs = spawn(process.execPath, ['--import', 'tsx', 'scripts/soak/publishers.ts', origin.url, ...names], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve, reject) => {
  pubs.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
  pubs.once('exit', (c) => reject(new Error(`publishers exited (${c})`)));
});
cleanup.push(() => pubs.kill('SIGKILL'));
const publishedAt = Date.now();
log(`${STREAMS} publishers up`);

interface Session {
  stream: string;
  startMs: number | null;
  ok: boolean;
  reason?: string;
  firstKeyframeMs?: number;
  servedBy?: string;
}
const sessions: Session[] = [];
let active = 0;

async function view(stream: string, startMs: number | null, lifeMs: number): Promise<void> {
  active++;
  const s: Session = { stream, startMs, ok: false };
  sessions.push(s);
  const url = `${relay.url}/whep/${stream}${startMs === null ? '' : `?start=${startMs}`}`;
  const v = new NodeViewer({ url });
  try {
    const r = await v.start();
    if (r.status !== 201) {
      s.reason = `status ${r.status}: ${r.body.slice(0, 120)}`;
      return;
    }
    const begun = performance.now();
    await v.waitFor(() => v.video.keyframes > 0, 15_000).catch(() => undefined);
    if (v.video.keyframes === 0) {
      s.reason = 'no keyframe within 15 s';
      return;
    }
    s.firstKeyframeMs = Math.round(v.video.firstKeyframeAt! - begun);
    if (startMs !== null) {
      // Where the relay gets this time-shifted copy from.
      const st = await state(relay).catch(() => null);
      const mine = st?.streams.filter((x) => x.name === stream && x.start !== null) ?? [];
      const e = mine.find((x) => Math.abs(Number(x.start) - startMs) < 60_000) ?? mine[0];
      const up = e?.upstream as { kind?: string } | null | undefined;
      s.servedBy = e ? (e.servedFrom ? `relay ${String(e.servedFrom)}` : `${up?.kind ?? '?'}${e.bypass ? ' (bypass)' : ''}`) : 'unknown';
    }
    await sleep(Math.max(0, lifeMs - (performance.now() - begun)));
    // Still receiving at the end of its life (an evicted replay must have moved upstream, not stalled).
    const before = v.video.packets;
    await sleep(2000);
    if (v.video.packets === before) {
      s.reason = 'stalled';
      return;
    }
    s.ok = true;
  } catch (err) {
    s.reason = (err as Error).message.slice(0, 160);
  } finally {
    await v.close().catch(() => undefined);
    active--;
  }
}

// The relay pulls every stream and keeps it: a keeper viewer each (or --idle-close-after 2h).
const keepers: NodeViewer[] = [];
if (KEEPERS) {
  for (const n of names) {
    const k = new NodeViewer({ url: `${relay.url}/whep/${n}` });
    const r = await k.start().catch((err: Error) => ({ status: 0, body: err.message }));
    if (r.status !== 201) log(`keeper of ${n} failed: ${r.status} ${r.body.slice(0, 100)}`);
    keepers.push(k);
  }
} else {
  for (let i = 0; i < names.length; i += 5) await Promise.all(names.slice(i, i + 5).map((n) => view(n, null, 3000)));
}
log(`relay carries ${(await state(relay)).streams.filter((x) => x.start === null).length} streams`);

/** CPU seconds (user + system) a process used so far, from /proc/PID/stat. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) of proc(5), counted from the state field (3).
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The runtime's view of its memory, as the probe (scripts/soak/probe.mjs) last wrote it. */
interface Probe {
  at: number;
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  heap: { malloced: number; peakMalloced: number };
  spaces: Record<string, { size: number; used: number; physical: number }>;
}

function probe(p: NodeProcess): Probe | null {
  try {
    return JSON.parse(readFileSync(p.probe, 'utf8')) as Probe;
  } catch {
    return null;
  }
}

interface NodeRow {
  rss: number;
  cpuS: number;
  b: WindowB | null;
  split: Split | null;
  heapUsed?: number;
  heapTotal?: number;
  /** V8's young generation (new space + new large objects), committed. */
  young?: number;
  external?: number;
  arrayBuffers?: number;
}

function nodeRow(p: NodeProcess, st: Awaited<ReturnType<typeof state>> | null): NodeRow {
  const pr = probe(p);
  const sp = pr?.spaces ?? {};
  return {
    rss: rssBytes(p.child.pid),
    cpuS: cpuSeconds(p.child.pid),
    b: st?.node.windowB ?? null,
    split: smapsSplit(p.child.pid),
    heapUsed: pr?.memory.heapUsed,
    heapTotal: pr?.memory.heapTotal,
    young: pr ? (sp.new_space?.size ?? 0) + (sp.new_large_object_space?.size ?? 0) : undefined,
    external: pr?.memory.external,
    arrayBuffers: pr?.memory.arrayBuffers,
  };
}

interface Row {
  t: number;
  origin: NodeRow;
  relay: NodeRow;
  sessions: number;
  failed: number;
}
const rows: Row[] = [];
const m = (v: number | undefined) => ((v ?? NaN) / MIB).toFixed(0);
const sample = async (): Promise<void> => {
  const [os, rs] = await Promise.all([state(origin).catch(() => null), state(relay).catch(() => null)]);
  const row: Row = {
    t: Math.round((Date.now() - t0) / 1000),
    origin: nodeRow(origin, os),
    relay: nodeRow(relay, rs),
    sessions: sessions.length,
    failed: sessions.filter((s) => !s.ok && s.reason).length,
  };
  rows.push(row);
  const f = (n: NodeRow) =>
    `rss ${m(n.rss)} MiB = brk ${m(n.split?.brk)} + anon ${m(n.split?.anon)} + file ${m(n.split?.file)}; ` +
    `V8 heap ${m(n.heapUsed)}/${m(n.heapTotal)} (young ${m(n.young)}), ext ${m(n.external)} (ArrayBuffers ${m(n.arrayBuffers)}); ` +
    `B ${((n.b?.bytes ?? 0) / MIB).toFixed(1)}/${((n.b?.budgetBytes ?? 0) / MIB).toFixed(0)} MiB, ${n.b?.evictions ?? 0} ev.`;
  log(`origin ${f(row.origin)}`);
  log(`relay  ${f(row.relay)} | sessions ${row.sessions}, failed ${row.failed}, active ${active}`);
};
const sampler = setInterval(() => void sample(), SAMPLE_MS);
await sample();

const endAt = t0 + MINUTES * 60_000;
const running = new Set<Promise<void>>();
let n = 0;
while (Date.now() < endAt - 65_000) {
  if (active < CONCURRENT) {
    const stream = names[Math.floor(Math.random() * names.length)]!;
    const shifted = ++n % 5 === 0;
    // Time-shifted: somewhere in what was published so far (up to 15 min back), at least 20 s ago.
    const span = Math.min(15 * 60_000, Date.now() - publishedAt - 5000);
    const startMs = shifted && span > 20_000 ? Date.now() - 20_000 - Math.floor(Math.random() * (span - 20_000)) : null;
    const p = view(stream, startMs, 20_000 + Math.random() * 40_000);
    running.add(p);
    void p.finally(() => running.delete(p));
  }
  await sleep(1500 + Math.random() * 2000);
}
await Promise.allSettled([...running]);
clearInterval(sampler);
await sample();

// Summary.
const after = (r: Row) => r.t >= (publishedAt - t0) / 1000 + 60;
const o = rows.filter(after).map((r) => r.origin.rss);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
const oMed = median(o);
const summary = {
  minutes: MINUTES,
  streams: STREAMS,
  budgetBytes: BUDGET,
  archive: ARCHIVE,
  keepers: KEEPERS,
  originRssMaxMiB: Math.max(...rows.map((r) => r.origin.rss)) / MIB,
  relayRssMaxMiB: Math.max(...rows.map((r) => r.relay.rss)) / MIB,
  goalMiB: (BUDGET + GOAL_OVERHEAD) / MIB,
  originRssAfterFirstMinute: {
    minMiB: Math.min(...o) / MIB,
    medianMiB: oMed / MIB,
    maxMiB: Math.max(...o) / MIB,
    spreadPct: (100 * (Math.max(...o) - Math.min(...o))) / oMed,
  },
  originWindowBMaxMiB: Math.max(...rows.map((r) => r.origin.b?.bytes ?? 0)) / MIB,
  relayWindowBMaxMiB: Math.max(...rows.map((r) => r.relay.b?.bytes ?? 0)) / MIB,
  nodes: SOURCE ? 'source (tsx)' : 'built (bin/canopy.js)',
  nodeArgs: NODE_ARGS,
  // Each part's median over the samples after the first minute, per node: where the RSS goes.
  split: Object.fromEntries(
    (['origin', 'relay'] as const).map((who) => {
      const late = rows.filter(after).map((r) => r[who]);
      const med = (f: (n: NodeRow) => number | undefined) => Math.round((10 * median(late.map(f).filter((v): v is number => Number.isFinite(v)))) / MIB) / 10;
      return [
        who,
        {
          rssMiB: med((n) => n.rss),
          brkMiB: med((n) => n.split?.brk),
          anonMiB: med((n) => n.split?.anon),
          fileMiB: med((n) => n.split?.file),
          heapUsedMiB: med((n) => n.heapUsed),
          heapTotalMiB: med((n) => n.heapTotal),
          youngMiB: med((n) => n.young),
          externalMiB: med((n) => n.external),
          arrayBuffersMiB: med((n) => n.arrayBuffers),
          windowBMiB: med((n) => n.b?.bytes),
          // CPU used after the first minute, in cores (a V8 or malloc setting's price).
          cpuCores:
            late.length > 1 ? Math.round((1000 * (late.at(-1)!.cpuS - late[0]!.cpuS)) / (rows.filter(after).at(-1)!.t - rows.filter(after)[0]!.t)) / 1000 : NaN,
        },
      ];
    }),
  ),
  relayEvictions: rows.at(-1)?.relay.b?.evictions ?? 0,
  originEvictions: rows.at(-1)?.origin.b?.evictions ?? 0,
  sessions: sessions.length,
  failed: sessions.filter((s) => !s.ok).map((s) => ({ stream: s.stream, start: s.startMs, reason: s.reason })),
  failedByReason: sessions
    .filter((s) => !s.ok)
    .reduce<Record<string, number>>((m, s) => ((m[(s.reason ?? '?').slice(0, 40)] = (m[(s.reason ?? '?').slice(0, 40)] ?? 0) + 1), m), {}),
  timeshift: {
    sessions: sessions.filter((s) => s.startMs !== null).length,
    ok: sessions.filter((s) => s.startMs !== null && s.ok).length,
    servedBy: sessions
      .filter((s) => s.startMs !== null)
      .reduce<Record<string, number>>((m, s) => ((m[s.servedBy ?? 'none'] = (m[s.servedBy ?? 'none'] ?? 0) + 1), m), {}),
  },
  firstKeyframeMsP50: median(sessions.filter((s) => s.firstKeyframeMs !== undefined).map((s) => s.firstKeyframeMs!)),
};
console.log(JSON.stringify(summary, null, 2));
if (args.out) writeFileSync(args.out, JSON.stringify({ summary, rows, sessions }, null, 2));

await Promise.allSettled(keepers.map((k) => k.close()));
pubs.kill('SIGTERM');
await new Promise((r) => pubs.once('exit', r));
await relay.stop();
await origin.stop();
await cleanupNodeDataChannel();
rmSync(dataDir, { recursive: true, force: true });
rmSync(probeDir, { recursive: true, force: true });
process.exit(0);
