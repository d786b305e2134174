/**
 * `npm run bench [-- --quick] [--out FILE] [--only fanout,tree,join,hop,loss,reach,abr]`
 *
 * Canopy's benchmark (issue 6). Every server under test runs as its own process, so its CPU
 * time and RSS can be read from /proc; viewers are node-datachannel clients (real ICE, DTLS,
 * SRTP) in viewer-worker processes; the publisher replays a recorded fixture at its real pace
 * from its own process. See docs/benchmarks.md for the method and the definitions.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fixturePath, readFixture } from '../../test/support/fixture.js';
import { EgressDrop, egressDropUnavailable, type DropSpec, type EgressCounts } from './egressDrop.js';
import { freeUdpPort, JANUS_RTP_PORTS, JanusServer, janusVersion, MOUNTPOINT_ID } from './janus.js';
import { lossSection, lossTable } from './loss.js';
import { abrRows, abrSection } from './abr.js';
import { clusterRows, clusterSection } from './cluster.js';
import { pacingRows, pacingSection } from './pacing.js';
import { pipeRows, pipeSection } from './pipe.js';
import { hlsRows, hlsSection } from './hls.js';
import { reachRows, reachSection } from './reach.js';
import { ViewerPool } from './pool.js';
import { enableSplit, placeClient, placeServer, restoreSplit, splitEnabled, unpin } from './placement.js';
import { sinkAvailable } from './sink.js';
import { threadCores, threadCpu, type ThreadCpu } from './threads.js';
import {
  benchCpuSeconds,
  CanopyNode,
  getServerRoot,
  HOST,
  killAll,
  setServerNice,
  setServerRoot,
  machineCpu,
  metric,
  PublisherWorker,
  ViewerWorker,
  ROOT,
  sleep,
  type Proc,
} from './procs.js';
import { nowMs, type JoinRecord, type ViewerSpec, type WorkerCounters } from './protocol.js';
import { matchLatencies, percentile, round, summary } from './stats.js';

const SECTIONS = ['fanout', 'tree', 'join', 'hop', 'loss', 'cluster', 'pacing', 'pipe', 'reach', 'hls', 'abr'] as const;
type Section = (typeof SECTIONS)[number];
const STREAM = 'bench';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    steps: { type: 'string' },
    window: { type: 'string' },
    'per-worker': { type: 'string' },
    'no-janus': { type: 'boolean', default: false },
    ramps: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'server-root': { type: 'string' },
    'cluster-workers': { type: 'string' },
    'server-nice': { type: 'string' },
    'loss-limit': { type: 'string' },
    clients: { type: 'string' },
    'ignore-other-work': { type: 'boolean', default: false },
    'split-cpus': { type: 'boolean', default: false },
    'egress-drop': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`usage: npm run bench -- [--quick] [--out FILE] [--only SECTIONS] [options]

  --quick             short run (about 5 minutes on 2 cores): fewer ramp steps, shorter windows
  --out FILE          write the results as JSON
  --only LIST         comma-separated sections: ${SECTIONS.join(', ')} (default: all)
  --steps LIST        fan-out ramp viewer counts, e.g. 50,100,200 (default depends on --quick)
  --window SECONDS    measuring window per ramp step
  --per-worker N      viewers per viewer process (default 100)
  --no-janus          skip the Janus comparison
  --ramps LIST        fan-out ramps to run: native (the default engine, --data-threads 2), native-1t
                      (--data-threads 1), ndc (node-datachannel), janus, canopy-2m (default: all)
  --loss-limit PCT    loss at the viewers that ends a fan-out ramp (default 1; bench.json records it)
  --ignore-other-work do not shrink fan-out steps for CPU that other work on the machine uses (a shared
                      machine: the ramp then ends at loss; each step records other_work_cores and load_1m)
  --clients KIND      fan-out viewers: sink (native sinks, scripts/bench/sink-worker.ts; default when
                      built) or node (node-datachannel viewers, viewer-worker.ts)
  --cpu-prof DIR      run the fan-out relay under node --cpu-prof, profiles written to DIR
  --server-root DIR   run origin/relay from another checkout of Canopy (default: this one)
  --cluster-workers N worker processes of the relay in the cluster section (default: cores)
  --server-nice N     nice value of the origin and relays (default 0; e.g. --server-nice=-10 on a shared machine,
                      so other work preempts the relay less and its event-loop delay is its own)
  --split-cpus        fan-out: the measured server alone on CPU 0; clients, origin, publisher and lo's receive
                      path (RPS) on the others, so the viewers' kernel receive work is not charged to the relay
                      (scripts/bench/placement.ts; root, 2+ CPUs)
  --egress-drop       fan-out: the server's media to the viewers is dropped at lo's egress (nftables), after its
                      whole send path: send capacity without the viewers' receive work, counted by the drop rule
                      (scripts/bench/egressDrop.ts; root; native engine and Janus only)`);
  process.exit(0);
}

const quick = args.quick;
/** A ramp ends at a step with this much loss at the viewers (%); its best step is the largest below it. */
const LOSS_LIMIT_PCT = args['loss-limit'] ? Number(args['loss-limit']) : 1;
const RAMPS = new Set(
  (args.ramps ?? 'native,native-1t,ndc,janus,canopy-2m')
    .split(',')
    .map((s) => s.trim())
    .map((s) => (s === 'canopy' ? 'native' : s)),
);
/**
 * The fan-out's viewers: native sinks (issue 19: cheap enough that the relay, not the clients,
 * is measured to 2,000+ viewers on this machine) or node-datachannel viewers as before.
 */
const SINK_CLIENTS = (args.clients ?? (sinkAvailable() ? 'sink' : 'node')) === 'sink';
if (SINK_CLIENTS && !sinkAvailable()) {
  console.error('--clients sink: build/Release/canopy_sink.node is missing (npm run native:build)');
  process.exit(2);
}
if (args['server-root']) setServerRoot(resolve(args['server-root']));
if (args['server-nice']) setServerNice(Number(args['server-nice']));
const only = new Set<Section>(
  args.only
    ? args.only.split(',').map((s) => {
        const t = s.trim() as Section;
        if (!SECTIONS.includes(t)) {
          console.error(`unknown section ${s}; expected ${SECTIONS.join(', ')}`);
          process.exit(2);
        }
        return t;
      })
    : SECTIONS,
);
const WINDOW_S = args.window ? Number(args.window) : quick ? 8 : 15;
const SETTLE_MS = quick ? 2000 : 3000;
const PER_WORKER = args['per-worker'] ? Number(args['per-worker']) : 100;
const RAMP_STEPS = args.steps
  ? args.steps.split(',').map(Number)
  : SINK_CLIENTS
    ? quick
      ? [250, 500, 1000, 1500, 2000, 2500]
      : [100, 250, 500, 1000, 1500, 2000, 2500, 3000]
    : quick
      ? [50, 150, 300, 450, 600, 800]
      : [25, 50, 100, 150, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000];
/** Wall-clock budget of one fan-out ramp; the ramp stops before a step that would exceed it. */
const RAMP_BUDGET_S = SINK_CLIENTS ? (quick ? 240 : 900) : quick ? 80 : 900;
/** Viewers per viewer process: sinks are cheap, so one process holds many. */
const SINK_PER_WORKER = args['per-worker'] ? Number(args['per-worker']) : 1000;
/** The 2 Mbps fixture's ramp: shorter in --quick. */
const RAMP_STEPS_2M = args.steps ? RAMP_STEPS : quick ? (SINK_CLIENTS ? [250, 500, 750] : [50, 150, 300]) : RAMP_STEPS;
const RAMP_BUDGET_2M_S = quick ? (SINK_CLIENTS ? 120 : 50) : 900;
/** Rough wall time to connect one more viewer, for the ramp's budget check. */
const CONNECT_S_PER_VIEWER = SINK_CLIENTS ? 0.02 : 0.06;
const FIXTURE_600K = fixturePath('vp8-opus-600k.rtp');
/** --egress-drop: the server's RTP to the viewers mostly dropped at lo's egress; the rule's counters add what it dropped (egressDrop.ts). */
const EGRESS_DROP = args['egress-drop'];
/**
 * With --egress-drop, one RTP packet in this many (at random) still reaches its viewer: about 8 a
 * second at 600 kbps, so each sink still joins on an authenticated packet and shows as served
 * (it reads as stalled after 2 s without one), and its sequence span still says what it should
 * have received. The receive path of those few stays charged to the server (1/16 of it).
 */
const DROP_PASS_ONE_IN = 16;
if (EGRESS_DROP) {
  const why = egressDropUnavailable();
  if (why) {
    console.error(`--egress-drop: ${why}`);
    process.exit(2);
  }
}
const FIXTURE_2M = fixturePath('vp8-opus-2m.rtp');

// ---------------------------------------------------------------- progress display

class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private readonly t0 = Date.now();
  private provider: (() => string) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPlain = 0;
  private shown = false;

  private stamp(): string {
    const s = Math.floor((Date.now() - this.t0) / 1000);
    return `[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}]`;
  }

  /** A line that stays (results, phase changes). */
  log(text: string): void {
    if (this.tty && this.shown) process.stdout.write('\r\x1b[K');
    process.stdout.write(`${this.stamp()} ${text}\n`);
    this.shown = false;
    this.draw(true);
  }

  /** The status line: redrawn twice a second on a TTY, printed every 10 s otherwise. */
  watch(provider: (() => string) | null): void {
    this.provider = provider;
    if (provider && !this.timer) {
      this.timer = setInterval(() => this.draw(false), 500);
      this.timer.unref();
    }
    if (!provider && this.tty && this.shown) {
      process.stdout.write('\r\x1b[K');
      this.shown = false;
    }
  }

  private draw(force: boolean): void {
    if (!this.provider) return;
    let text: string;
    try {
      text = this.provider();
    } catch {
      return;
    }
    if (this.tty) {
      const width = process.stdout.columns || 120;
      process.stdout.write(`\r\x1b[K${`${this.stamp()} ${text}`.slice(0, width - 1)}`);
      this.shown = true;
    } else if (!force && Date.now() - this.lastPlain >= 10_000) {
      this.lastPlain = Date.now();
      process.stdout.write(`${this.stamp()} … ${text}\n`);
    }
  }

  stop(): void {
    this.watch(null);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

const progress = new Progress();
const notes: string[] = [];
function note(text: string): void {
  notes.push(text);
  progress.log(`note: ${text}`);
}

// ---------------------------------------------------------------- measuring

interface Snapshot {
  at: number;
  serverCpu: number;
  clientCpu: number;
  publisherCpu: number;
  benchCpu: number;
  machine: { busy: number; total: number };
  viewers: WorkerCounters;
  metrics: Map<string, number> | null;
  threads: ThreadCpu;
  /** --egress-drop: what the drop rule has counted. */
  egress: EgressCounts | null;
}

/** drop: --egress-drop's rule during a ramp, in place from before the first viewer joins. */
async function snapshot(server: Proc, pool: ViewerPool, publisher: Proc, node: CanopyNode | null, drop: EgressDrop | null): Promise<Snapshot> {
  const [viewers, metrics] = await Promise.all([pool.snap(), node ? node.metrics() : Promise.resolve(null)]);
  return {
    egress: drop ? drop.counts() : null,
    at: nowMs(),
    serverCpu: server.cpu(),
    clientCpu: pool.cpu(),
    publisherCpu: publisher.cpu(),
    benchCpu: benchCpuSeconds(),
    machine: machineCpu(),
    viewers,
    metrics,
    threads: threadCpu(server.pid),
  };
}

interface WindowResult {
  seconds: number;
  serverCores: number;
  clientCores: number;
  publisherCores: number;
  machineBusyCores: number;
  /** Machine CPU not used by the bench's own processes: other work on the machine. */
  otherCores: number;
  packetsReceived: number;
  packetsExpected: number;
  lossPct: number | null;
  /** Packets the server sent per second (Canopy: its packets_out counter; Janus: expected at the viewers). */
  serverPacketsPerS: number;
  serverBytesOut: number | null;
  serverDrops: number | null;
  /** The server's threads by name: cores summed, and the busiest one. */
  threads: ReturnType<typeof threadCores>;
  /** Sampled SRTP packets the sinks authenticated, and those that failed (sink clients only). */
  authOk: number | null;
  authFail: number | null;
  authReplay: number | null;
}

function num(c: WorkerCounters, k: string): number {
  const v = (c as unknown as Record<string, unknown>)[k];
  return typeof v === 'number' ? v : 0;
}

function windowResult(a: Snapshot, b: Snapshot): WindowResult {
  const seconds = (b.at - a.at) / 1000;
  // With --egress-drop, what the rule dropped on its way counts as received: the server sent it.
  const dropped = a.egress && b.egress ? b.egress.rtp - a.egress.rtp : 0;
  const received = b.viewers.packets - a.viewers.packets + dropped;
  const expected = b.viewers.expected - a.viewers.expected;
  const nCpu = cpus().length;
  const machineBusyCores = ((b.machine.busy - a.machine.busy) / Math.max(1, b.machine.total - a.machine.total)) * nCpu;
  let serverPackets = expected;
  let bytesOut: number | null = null;
  let drops: number | null = null;
  // With sinks every engine and Janus is charged per packet the viewers should have received
  // (their sequence span), one definition for all; with node viewers Canopy's own counter.
  if (a.metrics && b.metrics && !SINK_CLIENTS) {
    serverPackets = metric(b.metrics, 'canopy_packets_out_total') - metric(a.metrics, 'canopy_packets_out_total');
    bytesOut = metric(b.metrics, 'canopy_bytes_out_total') - metric(a.metrics, 'canopy_bytes_out_total');
    drops = metric(b.metrics, 'canopy_packets_dropped_total') - metric(a.metrics, 'canopy_packets_dropped_total');
  }
  return {
    seconds,
    serverCores: (b.serverCpu - a.serverCpu) / seconds,
    clientCores: (b.clientCpu - a.clientCpu) / seconds,
    publisherCores: (b.publisherCpu - a.publisherCpu) / seconds,
    machineBusyCores,
    otherCores: Math.max(0, machineBusyCores - (b.benchCpu - a.benchCpu) / seconds),
    packetsReceived: received,
    packetsExpected: expected,
    lossPct: expected > 0 ? Math.max(0, (1 - received / expected) * 100) : null,
    serverPacketsPerS: serverPackets / seconds,
    serverBytesOut: bytesOut,
    serverDrops: drops,
    threads: threadCores(a.threads, b.threads, seconds),
    authOk: SINK_CLIENTS ? num(b.viewers, 'authOk') - num(a.viewers, 'authOk') : null,
    authFail: SINK_CLIENTS ? num(b.viewers, 'authFail') - num(a.viewers, 'authFail') : null,
    authReplay: SINK_CLIENTS ? num(b.viewers, 'authReplay') - num(a.viewers, 'authReplay') : null,
  };
}

async function measure(
  seconds: number,
  server: Proc,
  pool: ViewerPool,
  publisher: Proc,
  node: CanopyNode | null,
  drop: EgressDrop | null = null,
): Promise<WindowResult> {
  const a = await snapshot(server, pool, publisher, node, drop);
  await sleep(seconds * 1000);
  const b = await snapshot(server, pool, publisher, node, drop);
  return windowResult(a, b);
}

/** CPU use of a process over the last second or so, for the status line ('52%'). */
class CpuMeter {
  private last: { at: number; cpu: number } | null = null;
  private value = '';
  constructor(private readonly proc: () => number) {}
  read(): string {
    const now = Date.now();
    const cpu = this.proc();
    if (!this.last) this.last = { at: now, cpu };
    else if (now - this.last.at >= 900) {
      this.value = `${(((cpu - this.last.cpu) / ((now - this.last.at) / 1000)) * 100).toFixed(0)}%`;
      this.last = { at: now, cpu };
    }
    return this.value || '…';
  }
}

/** Status text for a timed wait: the label and the seconds left. */
function countdown(label: string, seconds: number, extra: () => string = () => ''): () => string {
  const end = Date.now() + seconds * 1000;
  return () => `${label}: ${Math.max(0, Math.ceil((end - Date.now()) / 1000))} s left${extra()}`;
}

function pct(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(digits)}%`;
}

// ---------------------------------------------------------------- fan-out

interface StepResult {
  viewers_target: number;
  viewers_connected: number;
  join_failures: number;
  window_s: number;
  server_cpu_cores: number | null;
  viewers_per_core: number | null;
  packets_out_per_s: number | null;
  cpu_us_per_packet: number | null;
  loss_pct: number | null;
  server_drops: number | null;
  rss_mb: number | null;
  client_cpu_cores: number | null;
  publisher_cpu_cores: number | null;
  machine_busy_cores: number | null;
  other_work_cores: number | null;
  /** The relay's event-loop delay over the window (Canopy only; issue 14). */
  loop_delay_p99_ms?: number | null;
  loop_delay_max_ms?: number | null;
  /** The relay's threads by name over the window (canopy-data: the native data threads). */
  threads?: ReturnType<typeof threadCores>;
  /** Sampled SRTP packets the sinks authenticated / that failed (sink clients). */
  auth_ok?: number | null;
  auth_fail?: number | null;
  /** Sampled packets the sinks' replay window refused (late or repeated), not forgeries. */
  auth_replay?: number | null;
  /** The machine's 1-minute load average at the end of the window. */
  load_1m?: number;
}

/** A Canopy relay configuration under test in the fan-out section. */
interface EngineSpec {
  /** Key in bench.json (native, native_1t, ndc). */
  key: string;
  label: string;
  flags: string[];
}

const ENGINES: Record<string, EngineSpec> = {
  native: { key: 'native', label: 'native engine, 2 data threads', flags: ['--engine', 'native', '--data-threads', '2'] },
  'native-1t': { key: 'native_1t', label: 'native engine, 1 data thread', flags: ['--engine', 'native', '--data-threads', '1'] },
  ndc: { key: 'ndc', label: 'node-datachannel engine', flags: ['--engine', 'ndc'] },
};

interface RampResult {
  server: 'canopy' | 'janus';
  engine?: string;
  flags?: string[];
  fixture: string;
  rss_baseline_mb: number | null;
  steps: StepResult[];
  /** The largest step with loss < 1% at the viewers. */
  best: StepResult | null;
  stopped: string;
  /** What ended the ramp: loss at the viewers, the machine's CPU, the time budget, the step list, ... */
  limited_by?: 'loss' | 'machine' | 'time' | 'steps' | 'joins' | 'unresponsive' | 'error';
  error?: string;
}

async function ramp(
  server: 'canopy' | 'janus',
  fixture: string,
  pool: ViewerPool,
  steps: number[],
  budgetS: number,
  engine: EngineSpec | null = null,
): Promise<RampResult> {
  const result: RampResult = {
    server,
    ...(engine ? { engine: engine.key, flags: engine.flags } : {}),
    fixture: basename(fixture),
    rss_baseline_mb: null,
    steps: [],
    best: null,
    stopped: '',
  };
  const name = engine ? `canopy/${engine.key}` : server;
  const procs: Proc[] = [];
  let publisher: PublisherWorker | null = null;
  let drop: EgressDrop | null = null;
  const t0 = Date.now();
  try {
    let measured: Proc;
    let metricsNode: CanopyNode | null = null;
    let spec: Omit<ViewerSpec, 'id'>;
    /** --egress-drop: which of the measured server's datagrams the rule matches (null: no drop). */
    let dropPorts: DropSpec | null = null;
    if (EGRESS_DROP && engine && !engine.flags.includes('native')) {
      // node-datachannel gives each viewer its own ephemeral port: no one rule matches only its media.
      throw new Error('--egress-drop: the native engine and Janus only (one known UDP port range to match)');
    }
    // The relay's one viewer port, known so that the drop rule can match it.
    const icePort = EGRESS_DROP && server === 'canopy' ? await freeUdpPort() : null;
    if (server === 'canopy') {
      progress.log(`fan-out, Canopy${engine ? ` (${engine.label})` : ''}, ${basename(fixture)}: starting origin and relay`);
      const origin = await CanopyNode.start({ id: 'origin', role: 'origin' });
      procs.push(origin);
      const profDir = args['cpu-prof'] ? resolve(args['cpu-prof']) : null;
      if (profDir) mkdirSync(profDir, { recursive: true });
      const relay = await CanopyNode.start({
        id: 'relay',
        role: 'relay',
        parent: origin,
        ...(engine ? { flags: [...engine.flags, ...(icePort ? ['--ice-udp-port', String(icePort)] : [])] } : {}),
        ...(profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] } : {}),
      });
      procs.unshift(relay);
      publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${STREAM}`, fixture });
      measured = relay;
      metricsNode = relay;
      if (icePort) dropPorts = { sports: [icePort, icePort] };
      spec = { mode: 'whep', url: relay.whep(STREAM) };
    } else {
      progress.log(`fan-out, Janus, ${basename(fixture)}: starting Janus`);
      const janus = await JanusServer.start();
      procs.push(janus);
      publisher = await PublisherWorker.start('publisher-udp', {
        mode: 'udp',
        host: HOST,
        videoPort: janus.videoPort,
        audioPort: janus.audioPort,
        fixture,
      });
      measured = janus;
      spec = { mode: 'janus', url: janus.apiUrl, mountpoint: MOUNTPOINT_ID };
      // Janus's PeerConnections' ports, but not its mountpoint's RTP input from the publisher.
      if (EGRESS_DROP) dropPorts = { sports: JANUS_RTP_PORTS, exceptDports: [janus.videoPort, janus.audioPort] };
    }
    if (dropPorts) drop = EgressDrop.install({ ...dropPorts, passOneIn: DROP_PASS_ONE_IN });
    await sleep(1000);
    result.rss_baseline_mb = round(measured.rss(), 1);
    let current = 0;
    const failedIds: number[] = [];
    const plan = [...steps];
    for (let stepIndex = 0; stepIndex < plan.length; stepIndex++) {
      let target = plan[stepIndex]!;
      // The clients share the machine with the server: once the next step would need more CPU
      // than the machine has, it would measure the clients, not the server. Shrink it to what
      // should fit (95% of the cores, projected from the last step), or stop.
      const last = result.steps[result.steps.length - 1];
      if (last && last.machine_busy_cores !== null && last.viewers_connected > 0) {
        const otherWork = last.other_work_cores ?? 0;
        const other = args['ignore-other-work'] ? 0 : otherWork;
        const perViewer = Math.max(1e-6, (last.machine_busy_cores - otherWork) / last.viewers_connected);
        const fits = Math.floor((0.95 * cpus().length - other) / perViewer / 25) * 25;
        if (target > fits) {
          if (fits <= current) {
            result.stopped = `machine saturated: ${last.machine_busy_cores} of ${cpus().length} cores busy at ${last.viewers_connected} viewers, more viewers would measure the clients`;
            result.limited_by = 'machine';
            break;
          }
          target = fits;
          plan.length = stepIndex + 1;
        }
      }
      const elapsed = (Date.now() - t0) / 1000;
      const stepCost = (target - current) * CONNECT_S_PER_VIEWER + WINDOW_S + SETTLE_MS / 1000 + 1;
      if (result.steps.length > 0 && elapsed + stepCost > budgetS) {
        result.stopped = `time budget (${budgetS} s) reached before ${target} viewers`;
        result.limited_by = 'time';
        break;
      }
      const phase = `fan-out ${name} ${basename(fixture)} → ${target} viewers`;
      progress.watch(() => {
        const s = pool.status();
        return `${phase}: ${s.connected} connected, ${s.connecting} connecting, ${s.failed} failed`;
      });
      const ids = await pool.add(Array.from({ length: target - current }, () => ({ ...spec })));
      const recs = await pool.waitJoined(ids, 60_000 + ids.length * 200);
      for (const r of recs) if (!r.ok) failedIds.push(r.id);
      current = target;
      await sleep(SETTLE_MS);
      if (splitEnabled()) {
        // Again at each step: threads started since (a sink process's, a data thread) inherit
        // their creator's CPUs, but the first pin may have come before some of them.
        placeServer(measured.pid);
        for (const p of procs) if (p !== measured) placeClient(p.pid);
        placeClient(publisher?.pid);
        for (const w of pool.workers) placeClient(w.pid);
      }
      const serverMeter = new CpuMeter(() => measured.cpu());
      const clientMeter = new CpuMeter(() => pool.cpu());
      progress.watch(countdown(`${phase}: measuring`, WINDOW_S, () => ` · ${measured.name} ${serverMeter.read()} CPU · viewers ${clientMeter.read()} CPU`));
      let w: WindowResult;
      try {
        w = await measure(WINDOW_S, measured, pool, publisher, metricsNode, drop);
      } catch (err) {
        result.stopped = `measuring at ${target} viewers failed (${String((err as Error)?.message ?? err)}): ${measured.name} overloaded?`;
        result.limited_by = 'unresponsive';
        progress.log(`  ${name}: ${result.stopped}`);
        break;
      }
      // A viewer whose session the relay dropped receives nothing and shows no loss: count only
      // the viewers the relay still serves.
      const sessions = metricsNode ? metric(await metricsNode.metrics(), 'canopy_viewers') : Infinity;
      const connected = Math.min((await pool.snap()).connected, sessions);
      const loop = metricsNode ? await metricsNode.eventLoop(w.seconds) : null;
      const step: StepResult = {
        viewers_target: target,
        viewers_connected: connected,
        join_failures: failedIds.length,
        window_s: round(w.seconds, 2)!,
        server_cpu_cores: round(w.serverCores, 3),
        viewers_per_core: w.serverCores > 0 ? round(connected / w.serverCores, 0) : null,
        packets_out_per_s: round(w.serverPacketsPerS, 0),
        cpu_us_per_packet: w.serverPacketsPerS > 0 ? round((w.serverCores * 1e6) / w.serverPacketsPerS, 2) : null,
        loss_pct: round(w.lossPct, 3),
        server_drops: w.serverDrops,
        rss_mb: round(measured.rss(), 1),
        client_cpu_cores: round(w.clientCores, 3),
        publisher_cpu_cores: round(w.publisherCores, 3),
        machine_busy_cores: round(w.machineBusyCores, 2),
        other_work_cores: round(w.otherCores, 2),
        ...(metricsNode ? { loop_delay_p99_ms: loop?.p99Ms ?? null, loop_delay_max_ms: loop?.maxMs ?? null } : {}),
        threads: w.threads,
        ...(SINK_CLIENTS ? { auth_ok: w.authOk, auth_fail: w.authFail, auth_replay: w.authReplay } : {}),
        load_1m: round(loadavg()[0]!, 2)!,
      };
      result.steps.push(step);
      progress.watch(null);
      progress.log(
        `  ${name} ${String(connected).padStart(5)} viewers: server ${(w.serverCores * 100).toFixed(0)}% CPU, ` +
          `${step.viewers_per_core ?? '–'} viewers/core, ${step.cpu_us_per_packet ?? '–'} µs/packet, loss ${pct(w.lossPct)}, ` +
          (loop ? `event loop p99 ${loop.p99Ms} ms max ${loop.maxMs} ms, ` : '') +
          (w.threads['canopy-data'] ? `data threads ${w.threads['canopy-data'].cores} cores (busiest ${w.threads['canopy-data'].max_thread_cores}), ` : '') +
          (w.authOk !== null ? `auth ${w.authOk} ok/${w.authFail} failed/${w.authReplay} late, ` : '') +
          `clients ${(w.clientCores * 100).toFixed(0)}% CPU, load ${loadavg()[0]!.toFixed(1)}, machine ${(w.machineBusyCores * 100).toFixed(0)}%/${cpus().length * 100}% (other work ${(w.otherCores * 100).toFixed(0)}%)`,
      );
      const lossOk = w.lossPct !== null && w.lossPct < LOSS_LIMIT_PCT;
      if (lossOk && connected >= target * 0.98) result.best = step;
      if (!lossOk) {
        result.stopped = `loss ${pct(w.lossPct)} ≥ ${LOSS_LIMIT_PCT}% at ${connected} viewers`;
        result.limited_by = 'loss';
        break;
      }
      if (connected < target * 0.98) {
        result.stopped = `only ${connected} of ${target} viewers connected`;
        result.limited_by = 'joins';
        break;
      }
      if (!measured.running) {
        result.stopped = `${measured.name} exited (${measured.exitReason})`;
        result.limited_by = 'error';
        break;
      }
    }
    if (!result.stopped) {
      const last = result.steps[result.steps.length - 1];
      const shrunk = last && !steps.includes(last.viewers_target);
      result.stopped = shrunk ? `last step shrunk to ${last.viewers_target} viewers to fit the machine` : 'last step reached';
      result.limited_by = shrunk ? 'machine' : 'steps';
    }
  } catch (err) {
    result.error = String((err as Error)?.message ?? err);
    result.stopped = 'error';
    result.limited_by = 'error';
    progress.log(`  ${name}: ${result.error}`);
  } finally {
    progress.watch(null);
    progress.log(`  ${name}: stopping (${result.stopped})`);
    await pool.closeAll().catch(() => undefined);
    await publisher?.shutdown();
    for (const p of procs) await p.stop();
    drop?.remove();
  }
  return result;
}

/** RTP bit rate of a fixture (all tracks), kbit/s: what one viewer receives. */
function streamKbps(path: string): number {
  const f = readFixture(path);
  return (f.packets.reduce((a, p) => a + p.data.length, 0) * 8 * 1000) / f.durationUs;
}

/**
 * Published figures the issue asks to compare with, and Canopy's measured viewers per core
 * against each. OvenMediaEngine's is a bandwidth: 4-5 Gbit/s of WebRTC per c5.2xlarge
 * (8 vCPUs), i.e. ~0.56 Gbit/s per vCPU at the midpoint, turned into viewers at this stream's
 * bit rate.
 */
function anchors(vpc: number | null, kbps: number, janusVpc: number | null): Record<string, unknown> {
  const omeViewersPerVcpu = 4.5e6 / 8 / kbps;
  const ratio = (ref: number) => (vpc ? round(vpc / ref, 2) : null);
  return {
    srs_players_per_core: { published: 2000, ratio: ratio(2000), source: 'SRS: ~2,000 WebRTC players per core at 600 kbps' },
    janus_per_core_srs_doc: { published: 350, ratio: ratio(350), source: "Janus: 700 players on two cores, per SRS's PERFORMANCE doc" },
    mediasoup_consumers_per_core: { published: 500, ratio: ratio(500), source: 'mediasoup: ~500 consumers per worker (one core)' },
    ome_viewers_per_vcpu_at_this_bitrate: {
      published: round(omeViewersPerVcpu, 0),
      ratio: ratio(omeViewersPerVcpu),
      source: 'OvenMediaEngine: 4-5 Gbit/s of WebRTC per c5.2xlarge (8 vCPUs); midpoint 4.5 Gbit/s / 8 / stream bit rate',
    },
    janus_measured_here: { measured: janusVpc, ratio: janusVpc ? ratio(janusVpc) : null },
    canopy_gbps_per_core: vpc ? round((vpc * kbps) / 1e6, 3) : null,
  };
}

function rssPerViewer(r: RampResult): number | null {
  const top = r.best;
  if (!top || r.rss_baseline_mb === null || top.rss_mb === null || top.viewers_connected === 0) return null;
  return round((top.rss_mb - r.rss_baseline_mb) / top.viewers_connected, 3);
}

/**
 * The physical floor (issue 19): what one sendto of a 1,200-byte datagram costs here, from
 * native/bench/floor.cc (which also times sendmmsg and the rewrite + protect step alone).
 */
function measureFloor(port = 0): Record<string, number> | null {
  try {
    const out = execFileSync('bash', [join(ROOT, 'native/bench/run.sh'), quick ? '50000' : '200000', String(port)], { encoding: 'utf8', timeout: 180_000 });
    const line = out.trim().split('\n').pop() ?? '';
    return JSON.parse(line) as Record<string, number>;
  } catch (err) {
    note(`floor micro-bench failed: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
    return null;
  }
}

/** One ramp's figures at its best step (the largest with loss < 1%). */
function rampSummary(r: RampResult, kbps: number): Record<string, unknown> {
  const b = r.best;
  const perViewerMb = rssPerViewer(r);
  const data = b?.threads?.['canopy-data'];
  return {
    ...(r.engine ? { engine: r.engine, flags: r.flags } : { server: r.server }),
    viewers_per_core: b?.viewers_per_core ?? null,
    viewers: b?.viewers_connected ?? null,
    relay_cpu_cores: b?.server_cpu_cores ?? null,
    loss_pct: b?.loss_pct ?? null,
    cpu_us_per_packet: b?.cpu_us_per_packet ?? null,
    rss_mb_per_viewer: perViewerMb,
    rss_kb_per_viewer: perViewerMb === null ? null : round(perViewerMb * 1024, 1),
    loop_delay_p99_ms: b?.loop_delay_p99_ms ?? null,
    loop_delay_max_ms: b?.loop_delay_max_ms ?? null,
    data_thread_cores: data?.cores ?? null,
    data_thread_busiest_cores: data?.max_thread_cores ?? null,
    /** Viewers when the busiest data thread would be at 100% of a core, projected linearly from the best step. */
    viewers_at_saturated_data_thread: data && data.max_thread_cores > 0 && b ? round(b.viewers_connected / data.max_thread_cores, 0) : null,
    data_thread_ns_per_packet: data && b?.packets_out_per_s ? round((data.cores * 1e9) / b.packets_out_per_s, 0) : null,
    gbps_per_core: b?.viewers_per_core ? round((b.viewers_per_core * kbps) / 1e6, 3) : null,
    client_cpu_cores: b?.client_cpu_cores ?? null,
    machine_busy_cores: b?.machine_busy_cores ?? null,
    other_work_cores: b?.other_work_cores ?? null,
    load_1m: b?.load_1m ?? null,
    auth_ok: b?.auth_ok ?? null,
    auth_fail: b?.auth_fail ?? null,
    auth_replay: b?.auth_replay ?? null,
    stopped: r.stopped,
    limited_by: r.limited_by ?? null,
    ...(r.error ? { error: r.error } : {}),
  };
}

async function fanoutSection(pool: ViewerPool): Promise<Record<string, unknown>> {
  const skipped = (server: 'canopy' | 'janus', fixture: string): RampResult => ({
    server,
    fixture: basename(fixture),
    rss_baseline_mb: null,
    steps: [],
    best: null,
    stopped: 'not run (--ramps)',
  });
  const kbps = streamKbps(FIXTURE_600K);
  progress.log('fan-out: the floor (one sendto of 1,200 bytes), native/bench/run.sh');
  const floor = measureFloor();
  if (floor) progress.log(`  floor: ${JSON.stringify(floor)}`);
  // With --egress-drop, the same floor without the loopback receive path: what the servers' sends now cost.
  let floorDropped: Record<string, number> | null = null;
  if (EGRESS_DROP) {
    const port = await freeUdpPort();
    const rule = EgressDrop.install({ dports: [port, port] });
    let dropped = 0;
    try {
      floorDropped = measureFloor(port);
      dropped = rule.counts().rtp;
    } finally {
      rule.remove();
    }
    // The rule's count says the datagrams were dropped there, not received: the floor's
    // warm-up and both timed loops (sendto, sendmmsg) of its N datagrams each.
    if (floorDropped) floorDropped = { ...floorDropped, datagrams_dropped: dropped };
    if (floorDropped) progress.log(`  floor, dropped at lo's egress: ${JSON.stringify(floorDropped)}`);
  }
  const runs: Record<string, RampResult> = {};
  for (const name of ['native', 'native-1t', 'ndc']) {
    const e = ENGINES[name]!;
    if (RAMPS.has(name)) runs[e.key] = await ramp('canopy', FIXTURE_600K, pool, RAMP_STEPS, RAMP_BUDGET_S, e);
  }
  const canopy = runs.native ?? skipped('canopy', FIXTURE_600K);
  let janus: RampResult | null = null;
  let janusError: string | null = null;
  if (args['no-janus'] || !RAMPS.has('janus')) janusError = 'skipped (--no-janus or --ramps)';
  else if (!janusVersion()) janusError = 'janus is not installed (apt-get install -y janus; scripts/bench/setup.sh)';
  else {
    janus = await ramp('janus', FIXTURE_600K, pool, RAMP_STEPS, RAMP_BUDGET_S);
    if (janus.error) janusError = janus.error;
    else if (!janus.best) janusError = `no step with loss < ${LOSS_LIMIT_PCT}%: ${janus.stopped}`;
  }
  // The 2 Mbps fixture: the same ramp on the default engine, shorter in --quick.
  const canopy2m = RAMPS.has('canopy-2m')
    ? await ramp('canopy', FIXTURE_2M, pool, RAMP_STEPS_2M, RAMP_BUDGET_2M_S, ENGINES.native!)
    : skipped('canopy', FIXTURE_2M);
  const best = canopy.best;
  const engines: Record<string, Record<string, unknown>> = {};
  for (const [k, r] of Object.entries(runs)) engines[k] = rampSummary(r, kbps);
  if (janus) engines.janus = rampSummary(janus, kbps);
  const vpc = (k: string) => (engines[k]?.viewers_per_core as number | null | undefined) ?? null;
  const janusVpc = janus?.best?.viewers_per_core ?? null;
  const nativeNsPerPacket = best?.cpu_us_per_packet ? best.cpu_us_per_packet * 1000 : null;
  const sendtoNs = (floorDropped ?? floor)?.sendto_1200_ns ?? null;
  const sat = (k: string) => (engines[k]?.viewers_at_saturated_data_thread as number | null | undefined) ?? null;
  const topLoop = best?.loop_delay_p99_ms ?? null;
  const rssKb = engines.native?.rss_kb_per_viewer as number | null | undefined;
  const flat: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(engines)) {
    if (k === 'janus') continue;
    for (const f of ['viewers_per_core', 'viewers', 'cpu_us_per_packet', 'loss_pct', 'rss_kb_per_viewer', 'loop_delay_p99_ms'])
      flat[`${k}_${f}`] = e[f] ?? null;
  }
  return {
    definition:
      'viewers_per_core = V / C at the largest ramp step with loss < 1% at the viewers, where V = viewers connected and C = relay process CPU seconds (utime+stime, all threads) / wall seconds over the measuring window',
    clients: SINK_CLIENTS ? 'native sinks (scripts/bench/sink-worker.ts, native/src/sink.cc)' : 'node-datachannel viewers (scripts/bench/viewer-worker.ts)',
    egress_drop: EGRESS_DROP
      ? `the servers' RTP to the viewers dropped at lo's egress after their whole send path, except one packet in ${DROP_PASS_ONE_IN} at random (scripts/bench/egressDrop.ts): the viewers' kernel receive work mostly off the server's CPU; loss = 1 - (packets the sinks received + packets the rule dropped) / the sinks' sequence spans; the floor's multiple is of floor_egress_drop's sendto`
      : false,
    packets_definition: SINK_CLIENTS
      ? 'cpu_us_per_packet = relay CPU / packets the viewers should have received (their RTP sequence span), per packet per viewer, for every engine and Janus'
      : 'cpu_us_per_packet = relay CPU / canopy_packets_out_total (Janus: packets expected at the viewers)',
    default_engine: 'native',
    split_cpus: splitEnabled()
      ? 'the relay (or Janus) alone on CPU 0; clients, origin, publisher and the loopback receive path (RPS on lo) on the others: the viewers’ kernel receive work is not in the relay’s CPU (scripts/bench/placement.ts)'
      : false,
    fixture: basename(FIXTURE_600K),
    viewers_per_core: best?.viewers_per_core ?? null,
    viewers: best?.viewers_connected ?? null,
    relay_cpu_cores: best?.server_cpu_cores ?? null,
    loss_pct: best?.loss_pct ?? null,
    cpu_us_per_packet: best?.cpu_us_per_packet ?? null,
    rss_mb_per_viewer: rssPerViewer(canopy),
    client_cpu_cores: best?.client_cpu_cores ?? null,
    machine_busy_cores: best?.machine_busy_cores ?? null,
    stopped: canopy.stopped,
    limited_by: canopy.limited_by ?? null,
    janus_viewers_per_core: janusVpc,
    janus_viewers: janus?.best?.viewers_connected ?? null,
    janus_cpu_cores: janus?.best?.server_cpu_cores ?? null,
    janus_loss_pct: janus?.best?.loss_pct ?? null,
    janus_cpu_us_per_packet: janus?.best?.cpu_us_per_packet ?? null,
    janus_rss_mb_per_viewer: janus ? rssPerViewer(janus) : null,
    janus_stopped: janus?.stopped ?? null,
    janus_limited_by: janus?.limited_by ?? null,
    janus_error: janusError,
    janus_version: janusVersion(),
    ratio_vs_janus: best?.viewers_per_core && janusVpc ? round(best.viewers_per_core / janusVpc, 2) : null,
    ...flat,
    engines,
    floor: floor
      ? {
          ...floor,
          native_ns_per_packet_per_viewer: nativeNsPerPacket === null ? null : round(nativeNsPerPacket, 0),
          native_over_sendto: nativeNsPerPacket !== null && sendtoNs ? round(nativeNsPerPacket / sendtoNs, 2) : null,
        }
      : null,
    floor_egress_drop: floorDropped,
    goals: {
      ratio_vs_janus_ge_4: best?.viewers_per_core && janusVpc ? best.viewers_per_core / janusVpc >= 4 : null,
      viewers_per_core_ge_2000: best?.viewers_per_core ? best.viewers_per_core >= 2000 : null,
      two_threads_over_one_measured:
        engines.native?.viewers && engines.native_1t?.viewers ? round((engines.native.viewers as number) / (engines.native_1t.viewers as number), 2) : null,
      two_threads_over_one_projected: sat('native') && sat('native_1t') ? round(sat('native')! / sat('native_1t')!, 2) : null,
      event_loop_p99_le_20ms: topLoop === null ? null : topLoop <= 20,
      rss_le_64kb_per_viewer: rssKb === null || rssKb === undefined ? null : rssKb <= 64,
      viewers_per_core_by_engine: { native: vpc('native'), native_1t: vpc('native_1t'), ndc: vpc('ndc'), janus: janusVpc },
    },
    stream_kbps: round(kbps, 0),
    anchors: anchors(best?.viewers_per_core ?? null, kbps, janusVpc),
    fixture_2m: {
      fixture: basename(FIXTURE_2M),
      stream_kbps: round(streamKbps(FIXTURE_2M), 0),
      viewers_per_core: canopy2m.best?.viewers_per_core ?? null,
      viewers: canopy2m.best?.viewers_connected ?? null,
      relay_cpu_cores: canopy2m.best?.server_cpu_cores ?? null,
      loss_pct: canopy2m.best?.loss_pct ?? null,
      cpu_us_per_packet: canopy2m.best?.cpu_us_per_packet ?? null,
      stopped: canopy2m.stopped,
      limited_by: canopy2m.limited_by ?? null,
      steps: canopy2m.steps,
      ...(canopy2m.error ? { error: canopy2m.error } : {}),
    },
    canopy_steps: canopy.steps,
    native_1t_steps: runs.native_1t?.steps ?? [],
    ndc_steps: runs.ndc?.steps ?? [],
    janus_steps: janus?.steps ?? [],
    ...(canopy.error ? { error: canopy.error } : {}),
  };
}

// ---------------------------------------------------------------- tree, join, hop

interface Tree {
  origin: CanopyNode;
  level1: CanopyNode[];
  level2: CanopyNode[];
  all: CanopyNode[];
  parentOf: Map<CanopyNode, CanopyNode>;
  publisher: PublisherWorker;
}

async function startTree(): Promise<Tree> {
  progress.log('tree: starting origin, 2 level-1 and 4 level-2 relays');
  progress.watch(() => 'tree: starting nodes');
  // --idle-close-after 1s: a relay drops its upstream subscription 1 s after its last viewer
  // leaves, so cold joins can be repeated quickly, while a viewer whose first connection
  // attempt failed and is retried does not make its relay unsubscribe and subscribe again.
  // Every node has the run's cluster secret (NODE_ENV_VARS), as a deployment would: relay
  // links authenticate and sibling datagrams are signed.
  const flags = ['--idle-close-after', '1s'];
  const origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: ['--serve-viewers'] });
  const parentOf = new Map<CanopyNode, CanopyNode>();
  const level1 = await Promise.all(['a', 'b'].map((n) => CanopyNode.start({ id: `relay-${n}`, role: 'relay', parent: origin, flags })));
  for (const r of level1) parentOf.set(r, origin);
  const level2 = (
    await Promise.all(level1.map((p) => Promise.all([1, 2].map((i) => CanopyNode.start({ id: `${p.opts.id}${i}`, role: 'relay', parent: p, flags })))))
  ).flat();
  for (const r of level2) parentOf.set(r, r.opts.parent!);
  const publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${STREAM}`, fixture: FIXTURE_600K });
  return { origin, level1, level2, all: [origin, ...level1, ...level2], parentOf, publisher };
}

async function stopTree(t: Tree): Promise<void> {
  await t.publisher.shutdown();
  for (const n of [...t.level2, ...t.level1, t.origin]) await n.stop();
}

async function carries(node: CanopyNode): Promise<boolean> {
  const s = await node.state();
  return s.streams.some((x) => x.name === STREAM);
}

async function waitIdle(nodes: CanopyNode[], timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await Promise.all(nodes.map((n) => carries(n)));
    if (!busy.some(Boolean)) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

async function treeSection(t: Tree, pool: ViewerPool): Promise<Record<string, unknown>> {
  const n = quick ? 40 : 200;
  const phase = `tree: burst of ${n} joins over ${t.level2.length} level-2 relays`;
  progress.watch(() => {
    const s = pool.status();
    return `${phase}: ${s.connected} connected, ${s.connecting} connecting, ${s.failed} failed`;
  });
  const before = await Promise.all(t.all.map((x) => x.metrics()));
  const joinStart = nowMs();
  const ids = await pool.add(Array.from({ length: n }, (_, i) => ({ mode: 'whep' as const, url: t.level2[i % t.level2.length]!.whep(STREAM), tag: 'burst' })));
  const recs = await pool.waitJoined(ids, 90_000);
  const joinWall = nowMs() - joinStart;
  await sleep(SETTLE_MS);
  const after = await Promise.all(t.all.map((x) => x.metrics()));
  const states = await Promise.all(t.all.map((x) => x.state()));
  // Every relay's one upstream link for the stream (to its parent, or to a sibling when
  // sibling discovery found one), and how many subscriptions it opened on it during the burst.
  const links: Array<{ from: string; to: string; kind: string; subscriptions: number }> = [];
  t.all.forEach((node, i) => {
    if (!t.parentOf.has(node)) return;
    const opened = metric(after[i]!, 'canopy_upstream_subscriptions_opened_total') - metric(before[i]!, 'canopy_upstream_subscriptions_opened_total');
    const up = states[i]!.streams.find((x) => x.name === STREAM)?.upstream;
    links.push({ from: up?.peer ?? t.parentOf.get(node)!.opts.id, to: node.opts.id, kind: up?.kind ?? 'unknown', subscriptions: opened });
  });
  const children = Object.fromEntries(t.all.map((node, i) => [node.opts.id, states[i]!.streams.find((s) => s.name === STREAM)?.children ?? 0]));
  progress.watch(countdown('tree: origin egress with the tree', WINDOW_S));
  const wTree = await measure(WINDOW_S, t.origin, pool, t.publisher, t.origin);
  progress.watch(null);
  const okJoins = recs.filter((r) => r.ok).length;
  await pool.closeAll();
  await waitIdle([...t.level1, ...t.level2]);

  const phase2 = `tree: the same ${n} viewers straight to the origin`;
  progress.watch(() => {
    const s = pool.status();
    return `${phase2}: ${s.connected} connected, ${s.connecting} connecting`;
  });
  const ids2 = await pool.add(Array.from({ length: n }, () => ({ mode: 'whep' as const, url: t.origin.whep(STREAM), tag: 'direct' })));
  const recs2 = await pool.waitJoined(ids2, 90_000);
  await sleep(SETTLE_MS);
  progress.watch(countdown('tree: origin egress, viewers straight on the origin', WINDOW_S));
  const wDirect = await measure(WINDOW_S, t.origin, pool, t.publisher, t.origin);
  progress.watch(null);
  await pool.closeAll();
  await sleep(500);

  const subs = links.map((l) => l.subscriptions);
  const treeBps = (wTree.serverBytesOut ?? 0) / wTree.seconds;
  const directBps = (wDirect.serverBytesOut ?? 0) / wDirect.seconds;
  const out = {
    viewers: n,
    viewers_connected: okJoins,
    join_retries: recs.reduce((a, r) => a + Math.max(0, r.attempts - 1), 0),
    burst_join_wall_ms: round(joinWall, 0),
    burst_join_ms: joinStats(recs),
    subscriptions_per_link: subs.length ? Math.max(...subs) : null,
    subscriptions_per_link_min: subs.length ? Math.min(...subs) : null,
    all_links_one: subs.every((s) => s === 1),
    links,
    sibling_links: links.filter((l) => l.kind === 'sibling').length,
    children_at_parents: children,
    origin_egress_tree_bytes_per_s: round(treeBps, 0),
    origin_egress_direct_bytes_per_s: round(directBps, 0),
    origin_egress_ratio_direct_over_tree: treeBps > 0 ? round(directBps / treeBps, 2) : null,
    origin_cpu_cores_tree: round(wTree.serverCores, 3),
    origin_cpu_cores_direct: round(wDirect.serverCores, 3),
    loss_pct_tree: round(wTree.lossPct, 3),
    loss_pct_direct: round(wDirect.lossPct, 3),
    viewers_connected_direct: recs2.filter((r) => r.ok).length,
    egress_counter: 'canopy_bytes_out_total at the origin (RTP bytes sent to child links and viewers) over the window',
  };
  progress.log(
    `  subscriptions per link: ${subs.join(', ')}; origin egress ${(treeBps / 1e3).toFixed(0)} kB/s with the tree vs ${(directBps / 1e3).toFixed(0)} kB/s direct (×${out.origin_egress_ratio_direct_over_tree}); loss ${pct(wTree.lossPct)} / ${pct(wDirect.lossPct)}`,
  );
  return out;
}

interface Pcts {
  p50: number | null;
  p95: number | null;
}
interface JoinStats {
  first_packet: Pcts;
  first_keyframe: Pcts;
  connected: Pcts;
  samples: number;
  failures: number;
  retries: number;
}

function joinStats(recs: JoinRecord[]): JoinStats {
  const ok = recs.filter((r) => r.ok && r.firstPacketAt !== undefined);
  const fp = ok.map((r) => r.firstPacketAt! - r.startedAt);
  const kf = ok.filter((r) => r.firstKeyframeAt !== undefined).map((r) => r.firstKeyframeAt! - r.startedAt);
  const conn = ok.filter((r) => r.connectedAt !== undefined).map((r) => r.connectedAt! - r.startedAt);
  return {
    first_packet: { p50: round(percentile(fp, 50), 1), p95: round(percentile(fp, 95), 1) },
    first_keyframe: { p50: round(percentile(kf, 50), 1), p95: round(percentile(kf, 95), 1) },
    connected: { p50: round(percentile(conn, 50), 1), p95: round(percentile(conn, 95), 1) },
    samples: recs.length,
    failures: recs.length - ok.length,
    retries: recs.reduce((a, r) => a + Math.max(0, r.attempts - 1), 0),
  };
}

async function joinSection(t: Tree, pool: ViewerPool): Promise<Record<string, unknown>> {
  const k = quick ? 16 : 60;
  // Cold: the level-2 relay and its level-1 parent carry nothing; the join pulls through both.
  const cold: JoinRecord[] = [];
  let coldVerified = 0;
  const order = [t.level2[0]!, t.level2[2]!, t.level2[1]!, t.level2[3]!];
  for (let i = 0; i < k; i++) {
    const relay = order[i % order.length]!;
    const parent = t.parentOf.get(relay)!;
    // The relay, its siblings (a sibling carrying the stream would make this a sibling hit)
    // and its parent carry nothing.
    const branch = [parent, ...t.level2.filter((r) => t.parentOf.get(r) === parent)];
    progress.watch(() => `join: cold ${i + 1}/${k} at ${relay.opts.id}`);
    if (await waitIdle(branch)) coldVerified++;
    else note(`join: ${relay.opts.id}'s branch did not go idle before cold sample ${i + 1}`);
    // A random phase against the publisher's 1 s keyframe interval (joins started right after
    // the previous sample's keyframe would otherwise all wait almost a full interval).
    await sleep(Math.random() * 1000);
    const [id] = await pool.add([{ mode: 'whep', url: relay.whep(STREAM), tag: 'cold' }]);
    const [rec] = await pool.waitJoined([id!], 20_000);
    cold.push(rec!);
    await pool.close([id!]);
  }
  // Warm: another viewer already holds the stream at that relay.
  await waitIdle(t.level2);
  const anchors = await pool.add([t.level2[0]!, t.level2[2]!].map((r) => ({ mode: 'whep' as const, url: r.whep(STREAM), tag: 'anchor' })));
  await pool.waitJoined(anchors, 30_000);
  // Sibling hit: the relay carries nothing but a sibling (same parent) does, thanks to the
  // anchors, so the relay pulls from it instead of its parent.
  const sibling: JoinRecord[] = [];
  let siblingVerified = 0;
  const siblingsBuilt = (await t.level2[1]!.state()).node.siblings !== undefined;
  if (siblingsBuilt) {
    const targets = [t.level2[1]!, t.level2[3]!];
    for (let i = 0; i < k; i++) {
      const relay = targets[i % 2]!;
      progress.watch(() => `join: sibling hit ${i + 1}/${k} at ${relay.opts.id}`);
      if (!(await waitIdle([relay]))) note(`join: ${relay.opts.id} did not go idle before sibling sample ${i + 1}`);
      await sleep(Math.random() * 1000);
      const [id] = await pool.add([{ mode: 'whep', url: relay.whep(STREAM), tag: 'sibling' }]);
      const [rec] = await pool.waitJoined([id!], 20_000);
      const up = (await relay.state()).streams.find((x) => x.name === STREAM)?.upstream;
      if (up?.kind === 'sibling') siblingVerified++;
      sibling.push(rec!);
      await pool.close([id!]);
    }
  }
  const warm: JoinRecord[] = [];
  for (let i = 0; i < k; i++) {
    const relay = [t.level2[0]!, t.level2[2]!][i % 2]!;
    progress.watch(() => `join: warm ${i + 1}/${k} at ${relay.opts.id}`);
    await sleep(Math.random() * 1000);
    const [id] = await pool.add([{ mode: 'whep', url: relay.whep(STREAM), tag: 'warm' }]);
    const [rec] = await pool.waitJoined([id!], 20_000);
    warm.push(rec!);
    await pool.close([id!]);
  }
  await pool.closeAll();
  progress.watch(null);
  const out = {
    definition:
      'from the viewer starting (before creating its PeerConnection and offer) to its first RTP packet / first VP8 keyframe packet; one viewer joining at a time, at a random phase of the 1 s keyframe interval; warm = the level-2 relay already carries the stream; cold = that relay, its siblings and its level-1 parent carry nothing (pull through 2 levels); sibling = the relay carries nothing but a sibling under the same parent does; the publisher ignores PLI, so first_keyframe includes waiting for its next keyframe',
    warm: joinStats(warm),
    cold: { ...joinStats(cold), verified_cold: coldVerified },
    sibling: siblingsBuilt ? { ...joinStats(sibling), verified_sibling_pulls: siblingVerified } : null,
    ...(siblingsBuilt ? {} : { sibling_reason: 'the relays under test have no sibling discovery (/api/state has no node.siblings): nothing to measure' }),
  };
  const w = out.warm;
  const c = out.cold;
  const sb = out.sibling;
  progress.log(
    `  join p50: warm ${w.first_packet.p50} ms / keyframe ${w.first_keyframe.p50} ms; cold ${c.first_packet.p50} ms / keyframe ${c.first_keyframe.p50} ms` +
      (sb
        ? `; sibling hit ${sb.first_packet.p50} ms / keyframe ${sb.first_keyframe.p50} ms (${sb.verified_sibling_pulls}/${sb.samples} pulled from a sibling)`
        : '; sibling: not built'),
  );
  return out;
}

async function hopSection(t: Tree, pool: ViewerPool): Promise<Record<string, unknown>> {
  const perLevel = 2;
  const levels: Array<[string, CanopyNode]> = [
    ['origin', t.origin],
    ['level1', t.level1[0]!],
    ['level2', t.level2[0]!],
  ];
  progress.watch(() => 'hop latency: connecting probe viewers');
  // Nothing else carries the stream, so the level-2 viewers' path is origin → level 1 → level 2.
  await waitIdle([...t.level1, ...t.level2]);
  const idsByLevel = new Map<string, number[]>();
  for (const [name, node] of levels) {
    const ids = await pool.add(Array.from({ length: perLevel }, () => ({ mode: 'whep' as const, url: node.whep(STREAM), probe: true, tag: name })));
    idsByLevel.set(name, ids);
  }
  await pool.waitJoined([...idsByLevel.values()].flat(), 30_000);
  await sleep(SETTLE_MS);
  const path = await Promise.all(
    levels.map(async ([name, node]) => {
      const up = (await node.state()).streams.find((x) => x.name === STREAM)?.upstream;
      return `${name}=${node.opts.id}${up ? ` (from ${up.kind} ${up.peer})` : ''}`;
    }),
  );
  const seconds = quick ? 15 : 60;
  progress.watch(countdown('hop latency: recording', seconds));
  const c0 = await pool.snap();
  await Promise.all([pool.probe(true), t.publisher.probe(true)]);
  await sleep(seconds * 1000);
  const [arrivals, sends] = await Promise.all([pool.probe(false), t.publisher.probe(false)]);
  const c1 = await pool.snap();
  progress.watch(null);
  await pool.closeAll();
  const lat = matchLatencies(sends, arrivals);
  const perLevelMs: Record<string, ReturnType<typeof summary>> = {};
  const all: Record<string, number[]> = {};
  for (const [name] of levels) {
    all[name] = (idsByLevel.get(name) ?? []).flatMap((id) => lat.get(id) ?? []);
    perLevelMs[name] = summary(all[name]!, 2);
  }
  const hop = (a: string, b: string) => ({
    p50: round((percentile(all[b]!, 50) ?? NaN) - (percentile(all[a]!, 50) ?? NaN), 2),
    p99: round((percentile(all[b]!, 99) ?? NaN) - (percentile(all[a]!, 99) ?? NaN), 2),
  });
  const h1 = hop('origin', 'level1');
  const h2 = hop('level1', 'level2');
  const expected = c1.videoExpected - c0.videoExpected;
  const out = {
    definition:
      'latency = arrival of a video packet at a viewer minus the moment the publisher process sent it (matched by payload hash; same machine clock); per hop = difference of the p50 (p99) of viewers one level apart',
    p50: h1.p50 !== null && h2.p50 !== null ? round((h1.p50 + h2.p50) / 2, 2) : null,
    p99: h1.p99 !== null && h2.p99 !== null ? round((h1.p99 + h2.p99) / 2, 2) : null,
    hops: { origin_to_level1: h1, level1_to_level2: h2 },
    capture_to_delivery_by_level: perLevelMs,
    window_s: seconds,
    path,
    loss_pct: expected > 0 ? round(Math.max(0, (1 - (c1.videoPackets - c0.videoPackets) / expected) * 100), 3) : null,
    sends_recorded: sends.length / 2,
  };
  progress.log(
    `  capture→delivery p50: origin ${perLevelMs.origin?.p50} ms, level 1 ${perLevelMs.level1?.p50} ms, level 2 ${perLevelMs.level2?.p50} ms; per hop p50 ${out.p50} ms, p99 ${out.p99} ms`,
  );
  return out;
}

// ---------------------------------------------------------------- report

function machineInfo(): Record<string, unknown> {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    // keep os.cpus()
  }
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // keep
  }
  const pkg = (p: string): string | null => {
    try {
      return (JSON.parse(readFileSync(join(ROOT, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return null;
    }
  };
  const gitOf = (dir: string): string | null => {
    try {
      const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
      return `${head}${dirty ? ' (with uncommitted changes)' : ''}`;
    } catch {
      try {
        return readFileSync(join(dir, 'COMMIT'), 'utf8').trim();
      } catch {
        return null;
      }
    }
  };
  const git = gitOf(ROOT);
  const serverGit = getServerRoot() === ROOT ? git : gitOf(getServerRoot());
  return {
    nproc,
    cpu_model: model,
    memory_gb: round(totalmem() / 2 ** 30, 1),
    kernel: readFileSync('/proc/version', 'utf8').split(' ').slice(0, 3).join(' '),
    node: process.version,
    node_datachannel: pkg('node-datachannel'),
    janus: janusVersion(),
    git,
    server_root: getServerRoot(),
    server_git: serverGit,
    load_average_at_start: loadavg().map((v) => round(v, 2)),
  };
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}

function table(results: Record<string, unknown>): string {
  const rows: Array<[string, string, string]> = [];
  const f = results.fanout as Record<string, unknown> | undefined;
  if (f) {
    const f2 = f.fixture_2m as Record<string, unknown>;
    rows.push([
      'fanout.viewers_per_core (600 kbps)',
      `${fmt(f.viewers_per_core)} (${fmt(f.viewers)} viewers, ${fmt(f.relay_cpu_cores)} cores)`,
      pct(f.loss_pct as number | null, 3),
    ]);
    rows.push(['fanout.cpu_us_per_packet', fmt(f.cpu_us_per_packet), pct(f.loss_pct as number | null, 3)]);
    rows.push(['fanout.rss_mb_per_viewer', fmt(f.rss_mb_per_viewer), '']);
    for (const st of (f.canopy_steps as StepResult[] | undefined) ?? []) {
      rows.push([`fanout.event_loop_ms p99/max @${st.viewers_connected}`, `${fmt(st.loop_delay_p99_ms)} / ${fmt(st.loop_delay_max_ms)}`, pct(st.loss_pct, 3)]);
    }
    rows.push([
      'fanout.janus_viewers_per_core',
      f.janus_viewers_per_core !== null
        ? `${fmt(f.janus_viewers_per_core)} (${fmt(f.janus_viewers)} viewers, ${fmt(f.janus_cpu_cores)} cores)`
        : `– (${fmt(f.janus_error)})`,
      pct(f.janus_loss_pct as number | null, 3),
    ]);
    rows.push(['fanout.janus_cpu_us_per_packet', fmt(f.janus_cpu_us_per_packet), pct(f.janus_loss_pct as number | null, 3)]);
    rows.push(['fanout.ratio_vs_janus', fmt(f.ratio_vs_janus), '']);
    for (const [k, e] of Object.entries((f.engines as Record<string, Record<string, unknown>> | undefined) ?? {})) {
      rows.push([
        `fanout.engines.${k} viewers/core`,
        `${fmt(e.viewers_per_core)} (${fmt(e.viewers)} viewers, ${fmt(e.relay_cpu_cores)} cores, load ${fmt(e.load_1m)})`,
        pct(e.loss_pct as number | null, 3),
      ]);
      rows.push([
        `fanout.engines.${k} µs/packet/viewer · RSS kB/viewer · loop p99`,
        `${fmt(e.cpu_us_per_packet)} · ${fmt(e.rss_kb_per_viewer)} · ${fmt(e.loop_delay_p99_ms)} ms`,
        '',
      ]);
      if (e.data_thread_cores !== null && e.data_thread_cores !== undefined)
        rows.push([
          `fanout.engines.${k} data threads`,
          `${fmt(e.data_thread_cores)} cores (busiest ${fmt(e.data_thread_busiest_cores)}), ${fmt(e.data_thread_ns_per_packet)} ns/packet, saturates at ~${fmt(e.viewers_at_saturated_data_thread)} viewers`,
          '',
        ]);
    }
    const fl = f.floor as Record<string, unknown> | null | undefined;
    if (fl)
      rows.push([
        'fanout.floor sendto 1200 B / native per packet per viewer',
        `${fmt(fl.sendto_1200_ns)} ns / ${fmt(fl.native_ns_per_packet_per_viewer)} ns = ${fmt(fl.native_over_sendto)}×`,
        '',
      ]);
    if (f.goals) rows.push(['fanout.goals', JSON.stringify(f.goals), '']);
    rows.push([
      'fanout.fixture_2m.viewers_per_core',
      `${fmt(f2.viewers_per_core)} (${fmt(f2.viewers)} viewers, ${fmt(f2.relay_cpu_cores)} cores)`,
      pct(f2.loss_pct as number | null, 3),
    ]);
    rows.push(['fanout.fixture_2m.cpu_us_per_packet', fmt(f2.cpu_us_per_packet), pct(f2.loss_pct as number | null, 3)]);
  }
  const t = results.tree as Record<string, unknown> | undefined;
  if (t) {
    rows.push(['tree.subscriptions_per_link', `${fmt(t.subscriptions_per_link)} (all one: ${fmt(t.all_links_one)})`, '']);
    rows.push([
      'tree.origin_egress_ratio_direct_over_tree',
      `${fmt(t.origin_egress_ratio_direct_over_tree)} (${fmt(t.viewers)} viewers)`,
      `${pct(t.loss_pct_tree as number | null, 3)} / ${pct(t.loss_pct_direct as number | null, 3)}`,
    ]);
  }
  const j = results.join_ms as Record<string, Record<string, Record<string, number | null>>> | undefined;
  if (j) {
    for (const kind of ['warm', 'cold'] as const) {
      rows.push([`join_ms.${kind}.first_packet p50/p95`, `${fmt(j[kind]?.first_packet?.p50)} / ${fmt(j[kind]?.first_packet?.p95)}`, '']);
      rows.push([`join_ms.${kind}.first_keyframe p50/p95`, `${fmt(j[kind]?.first_keyframe?.p50)} / ${fmt(j[kind]?.first_keyframe?.p95)}`, '']);
    }
    const sib = (results.join_ms as Record<string, unknown>).sibling as Record<string, Record<string, number | null>> | null;
    if (sib) {
      rows.push(['join_ms.sibling.first_packet p50/p95', `${fmt(sib.first_packet?.p50)} / ${fmt(sib.first_packet?.p95)}`, '']);
      rows.push(['join_ms.sibling.first_keyframe p50/p95', `${fmt(sib.first_keyframe?.p50)} / ${fmt(sib.first_keyframe?.p95)}`, '']);
    } else rows.push(['join_ms.sibling', 'null (no sibling discovery in the relays under test)', '']);
  }
  if (results.cluster) rows.push(...clusterRows(results.cluster as Record<string, unknown>));
  if (results.pacing) rows.push(...pacingRows(results.pacing as Record<string, unknown>));
  const h = results.hop_latency_ms as Record<string, unknown> | undefined;
  if (h) rows.push(['hop_latency_ms p50/p99', `${fmt(h.p50)} / ${fmt(h.p99)}`, pct(h.loss_pct as number | null, 3)]);
  if (results.loss) rows.push(...lossTable(results.loss as Record<string, unknown>));
  if (results.pipe) rows.push(...pipeRows(results.pipe as Record<string, unknown>));
  if (results.hls) rows.push(...hlsRows(results.hls as Record<string, unknown>));
  if (results.reach) rows.push(...reachRows(results.reach as Record<string, unknown>));
  if (results.abr) rows.push(...abrRows(results.abr as Record<string, unknown>));
  const w0 = Math.max(6, ...rows.map((r) => r[0].length));
  const w1 = Math.max(6, ...rows.map((r) => r[1].length));
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`;
  return [line('metric', 'value', 'loss at viewers'), `|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|---|`, ...rows.map((r) => line(...r))].join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = new Date();
  const command = `npm run bench --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  const results: Record<string, unknown> = {
    meta: {
      command,
      quick,
      sections: [...only],
      started_at: started.toISOString(),
      machine: machineInfo(),
      window_s: WINDOW_S,
      loss_limit_pct: LOSS_LIMIT_PCT,
      server_nice: Number(args['server-nice'] ?? 0),
      // Settings the servers inherit (e.g. CANOPY_FANOUT_SLICE=0 for a run without pacing).
      canopy_env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CANOPY_'))),
      notes,
    },
  };
  progress.log(`canopy bench${quick ? ' (quick)' : ''}: ${[...only].join(', ')}`);
  const load = loadavg()[0]!;
  if (load > 0.5) note(`load average ${load.toFixed(2)} at start: other work was running on the machine`);
  const pool = new ViewerPool({ perWorker: PER_WORKER, log: (msg) => progress.log(msg) });
  // The fan-out's own viewers: native sinks unless --clients node.
  const fanoutPool = SINK_CLIENTS
    ? new ViewerPool({
        perWorker: SINK_PER_WORKER,
        log: (msg) => progress.log(msg),
        startWorker: (n) => ViewerWorker.start(n, undefined, './sink-worker.ts', Number(args['server-nice'] ?? 0)),
      })
    : pool;
  try {
    if (only.has('fanout')) {
      const why = args['split-cpus'] ? enableSplit() : null;
      if (why) progress.log(`--split-cpus: ${why}; the fan-out runs without it`);
      try {
        results.fanout = await fanoutSection(fanoutPool);
      } finally {
        if (splitEnabled()) for (const w of fanoutPool.workers) unpin(w.pid);
        restoreSplit();
      }
    }
    // The sections that compare relays step by step (cluster.ts, pacing.ts).
    const paired = (quickSteps: number[], longSteps: number[]) => ({
      pool,
      log: (l: string) => progress.log(l),
      watch: (w: (() => string) | null) => progress.watch(w),
      fixture: FIXTURE_600K,
      stream: STREAM,
      windowS: WINDOW_S,
      settleMs: SETTLE_MS,
      steps: args.steps ? RAMP_STEPS : quick ? quickSteps : longSteps,
      lossLimitPct: LOSS_LIMIT_PCT,
    });
    if (only.has('cluster')) {
      const workers = args['cluster-workers'] ? Number(args['cluster-workers']) : cpus().length;
      results.cluster = await clusterSection({ ...paired([75, 150, 225], [100, 150, 200, 300, 400]), workers });
    }
    if (only.has('pacing')) results.pacing = await pacingSection(paired([150, 300, 450], [150, 300, 450, 600, 800]));
    if (only.has('tree') || only.has('join') || only.has('hop')) {
      const tree = await startTree();
      try {
        if (only.has('tree')) results.tree = await treeSection(tree, pool);
        if (only.has('join')) results.join_ms = await joinSection(tree, pool);
        if (only.has('hop')) results.hop_latency_ms = await hopSection(tree, pool);
      } finally {
        progress.watch(null);
        await pool.closeAll().catch(() => undefined);
        await stopTree(tree);
      }
    }
    // Loss repair under nftables loss with Chromium, beside Janus (scripts/bench/loss.ts).
    if (only.has('loss')) results.loss = await lossSection({ quick, janus: !args['no-janus'], log: (l) => progress.log(l) });
    // One relay hop, WebSocket against the UDP pipe, clean and at 2% loss (scripts/bench/pipe.ts).
    if (only.has('pipe')) results.pipe = await pipeSection({ quick, log: (l) => progress.log(l) });
    // LL-HLS latency in Chromium, an nginx cache in front of a relay, the MP4 export (scripts/bench/hls.ts).
    if (only.has('hls')) results.hls = await hlsSection({ quick, pool, log: (l) => progress.log(l) });
    // Viewers through a real coturn against a direct UDP viewer (scripts/bench/reach.ts).
    if (only.has('reach')) results.reach = await reachSection({ quick, log: (l) => progress.log(l) });
    // Per-viewer layers from the bandwidth estimate: Chromium viewers behind nftables policers (scripts/bench/abr.ts).
    if (only.has('abr')) results.abr = await abrSection({ quick, janus: !args['no-janus'], log: (l) => progress.log(l) });
  } finally {
    progress.stop();
    const clientRss = pool.rss();
    await pool.exit();
    if (fanoutPool !== pool) await fanoutPool.exit();
    (results.meta as Record<string, unknown>).duration_s = round((Date.now() - started.getTime()) / 1000, 0);
    (results.meta as Record<string, unknown>).viewer_processes = pool.workers.length;
    (results.meta as Record<string, unknown>).viewer_processes_rss_mb_at_end = round(clientRss, 0);
  }
  if (args['cpu-prof']) {
    const dir = resolve(args['cpu-prof']);
    (results.meta as Record<string, unknown>).cpu_profiles = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f));
  }
  process.stdout.write(`\n${table(results)}\n\n`);
  process.stdout.write(`${command} — ${(results.meta as Record<string, unknown>).duration_s} s\n`);
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`results written to ${args.out}\n`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress.stop();
    process.stdout.write(`\n${signal}: stopping\n`);
    killAll();
    process.exit(130);
  });
}
process.on('exit', () => killAll());

main().then(
  () => process.exit(0),
  (err: unknown) => {
    progress.stop();
    console.error(err);
    killAll();
    process.exit(1);
  },
);
