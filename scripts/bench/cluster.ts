/**
 * Bench section `cluster` (issue 14): whole-host fan-out. One relay process against a relay
 * run as a `--workers N` cluster (a front that redirects viewers to N worker processes, which
 * are loopback siblings), under the same origin, with the same publisher and the same viewer
 * steps in the same run. Viewers per core counts every process of the relay: the front and
 * each worker (their CPU is read from /proc for the whole process tree). The goal is a cluster
 * within 10% of the single process per core, so a host's capacity is cores × per-core.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { ViewerPool } from './pool.js';
import { benchCpuSeconds, CanopyNode, cpuSeconds, eventLoopAt, machineCpu, processTree, PublisherWorker, sleep, type LoopDelay } from './procs.js';
import { nowMs, type WorkerCounters } from './protocol.js';
import { round } from './stats.js';

export interface ClusterContext {
  pool: ViewerPool;
  log: (line: string) => void;
  watch: (status: (() => string) | null) => void;
  note: (text: string) => void;
  fixture: string;
  stream: string;
  windowS: number;
  settleMs: number;
  /** Viewer counts of the ramp (both sides run the steps the single process reached). */
  steps: number[];
  /** Worker processes of the cluster (default: the machine's cores). */
  workers: number;
  /** Loss at the viewers that ends a ramp, %. */
  lossLimitPct: number;
}

export interface ClusterStep {
  viewers: number;
  join_failures: number;
  /** Every process of the relay (the cluster's front and workers), cores. */
  cpu_cores: number | null;
  viewers_per_core: number | null;
  loss_pct: number | null;
  front_cpu_cores?: number | null;
  workers?: Array<{ id: string; cpu_cores: number | null; viewers: number | null; loop_p99_ms: number | null; loop_max_ms: number | null }>;
  /** Event-loop delay of the relay's process (the worst worker for a cluster), ms. */
  loop_delay_p99_ms: number | null;
  loop_delay_max_ms: number | null;
  client_cpu_cores: number | null;
  machine_busy_cores: number | null;
  other_work_cores: number | null;
}

interface Side {
  name: 'single' | 'cluster';
  steps: ClusterStep[];
  stopped: string;
}

/** CPU seconds of every process in a tree, by pid, and what each one is (its --id). */
function treeCpu(rootPid: number | undefined): Map<number, { cpu: number; id: string }> {
  const out = new Map<number, { cpu: number; id: string }>();
  for (const pid of processTree(rootPid)) {
    let id = String(pid);
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--id');
      if (i >= 0 && argv[i + 1]) id = argv[i + 1]!;
    } catch {
      continue;
    }
    const cpu = cpuSeconds(pid);
    if (Number.isFinite(cpu)) out.set(pid, { cpu, id });
  }
  return out;
}

interface Snap {
  at: number;
  procs: Map<number, { cpu: number; id: string }>;
  viewers: WorkerCounters;
  clientCpu: number;
  benchCpu: number;
  machine: { busy: number; total: number };
}

async function snap(node: CanopyNode, pool: ViewerPool): Promise<Snap> {
  const viewers = await pool.snap();
  return { at: nowMs(), procs: treeCpu(node.pid), viewers, clientCpu: pool.cpu(), benchCpu: benchCpuSeconds(), machine: machineCpu() };
}

interface WorkerState {
  id: string;
  url: string | null;
  viewers: number;
}

async function workersOf(node: CanopyNode): Promise<WorkerState[]> {
  const st = (await node.state()) as unknown as { node: { workers?: WorkerState[] } };
  return st.node.workers ?? [];
}

async function measureStep(ctx: ClusterContext, side: Side['name'], node: CanopyNode, viewers: number, failures: number): Promise<ClusterStep> {
  const a = await snap(node, ctx.pool);
  await sleep(ctx.windowS * 1000);
  const b = await snap(node, ctx.pool);
  const seconds = (b.at - a.at) / 1000;
  const cores = (pid: number): number | null => {
    const x = a.procs.get(pid);
    const y = b.procs.get(pid);
    return x && y ? (y.cpu - x.cpu) / seconds : null;
  };
  let total = 0;
  for (const pid of b.procs.keys()) total += cores(pid) ?? 0;
  const received = b.viewers.packets - a.viewers.packets;
  const expected = b.viewers.expected - a.viewers.expected;
  const nCpu = cpus().length;
  const busy = ((b.machine.busy - a.machine.busy) / Math.max(1, b.machine.total - a.machine.total)) * nCpu;
  const connected = b.viewers.connected;
  const step: ClusterStep = {
    viewers: connected,
    join_failures: failures,
    cpu_cores: round(total, 3),
    viewers_per_core: total > 0 ? round(connected / total, 0) : null,
    loss_pct: expected > 0 ? round(Math.max(0, (1 - received / expected) * 100), 3) : null,
    loop_delay_p99_ms: null,
    loop_delay_max_ms: null,
    client_cpu_cores: round((b.clientCpu - a.clientCpu) / seconds, 3),
    machine_busy_cores: round(busy, 2),
    other_work_cores: round(Math.max(0, busy - (b.benchCpu - a.benchCpu) / seconds), 2),
  };
  if (side === 'single') {
    const loop = await node.eventLoop(seconds);
    step.loop_delay_p99_ms = loop?.p99Ms ?? null;
    step.loop_delay_max_ms = loop?.maxMs ?? null;
    return step;
  }
  const ws = await workersOf(node);
  const loops = await Promise.all(ws.map((w) => (w.url ? eventLoopAt(w.url, seconds) : Promise.resolve<LoopDelay | null>(null))));
  const pidOf = (id: string) => [...b.procs].find(([, p]) => p.id === id)?.[0];
  step.front_cpu_cores = round(cores(node.pid!) ?? NaN, 3);
  step.workers = ws.map((w, i) => {
    const pid = pidOf(w.id);
    return {
      id: w.id,
      cpu_cores: pid === undefined ? null : round(cores(pid), 3),
      viewers: w.viewers,
      loop_p99_ms: loops[i]?.p99Ms ?? null,
      loop_max_ms: loops[i]?.maxMs ?? null,
    };
  });
  const worst = (k: 'loop_p99_ms' | 'loop_max_ms') => {
    const v = step.workers!.map((w) => w[k]).filter((x): x is number => x !== null);
    return v.length ? Math.max(...v) : null;
  };
  step.loop_delay_p99_ms = worst('loop_p99_ms');
  step.loop_delay_max_ms = worst('loop_max_ms');
  return step;
}

/** Connects `viewers` to one side from zero, measures a window, and disconnects them. */
async function stepSide(ctx: ClusterContext, side: Side['name'], node: CanopyNode, viewers: number): Promise<ClusterStep> {
  const phase = `cluster: ${side} with ${viewers} viewers`;
  try {
    ctx.watch(() => {
      const s = ctx.pool.status();
      return `${phase}: ${s.connected} connected, ${s.connecting} connecting, ${s.failed} failed`;
    });
    const ids = await ctx.pool.add(Array.from({ length: viewers }, () => ({ mode: 'whep' as const, url: node.whep(ctx.stream) })));
    const recs = await ctx.pool.waitJoined(ids, 60_000 + ids.length * 200);
    await sleep(ctx.settleMs);
    const end = Date.now() + ctx.windowS * 1000;
    ctx.watch(() => `${phase}: measuring, ${Math.max(0, Math.ceil((end - Date.now()) / 1000))} s left`);
    const step = await measureStep(ctx, side, node, viewers, recs.filter((r) => !r.ok).length);
    const per = step.workers?.map((w) => `${w.id} ${w.viewers}v ${((w.cpu_cores ?? 0) * 100).toFixed(0)}%`).join(', ');
    ctx.log(
      `  ${side.padEnd(7)} ${String(step.viewers).padStart(4)} viewers: ${((step.cpu_cores ?? 0) * 100).toFixed(0)}% CPU${per ? ` (front ${((step.front_cpu_cores ?? 0) * 100).toFixed(0)}%; ${per})` : ''}, ` +
        `${step.viewers_per_core ?? '–'} viewers/core, loss ${step.loss_pct ?? '–'}%, event loop p99 ${step.loop_delay_p99_ms ?? '–'} / max ${step.loop_delay_max_ms ?? '–'} ms, ` +
        `machine ${((step.machine_busy_cores ?? 0) * 100).toFixed(0)}% (other work ${((step.other_work_cores ?? 0) * 100).toFixed(0)}%)`,
    );
    return step;
  } finally {
    ctx.watch(null);
    await ctx.pool.closeAll().catch(() => undefined);
  }
}

/**
 * Both sides at each step, one after the other (the order alternates from step to step), each
 * from zero viewers: the two figures of a step are minutes apart at most, so other work on a
 * shared machine weighs on both alike.
 */
async function ramp(ctx: ClusterContext, single: CanopyNode, cluster: CanopyNode): Promise<[Side, Side]> {
  const a: Side = { name: 'single', steps: [], stopped: '' };
  const b: Side = { name: 'cluster', steps: [], stopped: '' };
  let last = 0;
  for (let i = 0; i < ctx.steps.length; i++) {
    let target = ctx.steps[i]!;
    const prev = a.steps[a.steps.length - 1];
    // As in the fan-out ramp: a step the machine cannot carry would measure the clients.
    if (prev && prev.machine_busy_cores !== null && prev.viewers > 0) {
      const other = prev.other_work_cores ?? 0;
      const perViewer = Math.max(1e-6, (prev.machine_busy_cores - other) / prev.viewers);
      const fits = Math.floor((0.95 * cpus().length - other) / perViewer / 25) * 25;
      if (target > fits) {
        if (fits <= last) {
          a.stopped = b.stopped = `machine saturated at ${prev.viewers} viewers (${prev.machine_busy_cores} of ${cpus().length} cores busy)`;
          break;
        }
        target = fits;
      }
    }
    const order: Array<[Side, CanopyNode]> = i % 2 === 0 ? [[a, single], [b, cluster]] : [[b, cluster], [a, single]];
    let stop = '';
    for (const [side, node] of order) {
      const step = await stepSide(ctx, side.name, node, target);
      side.steps.push(step);
      if (step.loss_pct === null || step.loss_pct >= ctx.lossLimitPct) stop ||= `${side.name}: loss ${step.loss_pct}% at ${step.viewers} viewers`;
      else if (step.viewers < target * 0.98) stop ||= `${side.name}: only ${step.viewers} of ${target} viewers connected`;
    }
    last = target;
    if (stop) {
      a.stopped = b.stopped = stop;
      break;
    }
    if (target !== ctx.steps[i]) {
      a.stopped = b.stopped = `last step shrunk to ${target} viewers to fit the machine`;
      break;
    }
  }
  a.stopped ||= 'last step reached';
  b.stopped ||= 'last step reached';
  return [a, b];
}

/** Runs the section: origin, publisher, the single relay and the cluster, then the paired ramp. */
export async function clusterSection(ctx: ClusterContext): Promise<Record<string, unknown>> {
  const secret = `bench-${process.pid}`;
  ctx.log(`cluster: one relay process against --workers ${ctx.workers}, step by step in the same run`);
  const origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: ['--cluster-secret', secret] });
  let publisher: PublisherWorker | null = null;
  const relays: CanopyNode[] = [];
  try {
    publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${ctx.stream}`, fixture: ctx.fixture });
    // --no-siblings on the single relay: it must not pull from the cluster's workers (or they from it).
    const flags = ['--cluster-secret', secret];
    const single = await CanopyNode.start({ id: 'relay-single', role: 'relay', parent: origin, flags: [...flags, '--workers', '1', '--no-siblings'] });
    relays.push(single);
    const cluster = await CanopyNode.start({ id: 'relay-cluster', role: 'relay', parent: origin, flags: [...flags, '--workers', String(ctx.workers)], readyTimeoutMs: 60_000 });
    relays.push(cluster);
    const [a, b] = await ramp(ctx, single, cluster);
    return summarize(ctx, a, b);
  } finally {
    await publisher?.shutdown();
    for (const r of relays) await r.stop();
    await origin.stop();
  }
}

function summarize(ctx: ClusterContext, a: Side, b: Side): Record<string, unknown> {
  const ok = (s: ClusterStep) => s.loss_pct !== null && s.loss_pct < ctx.lossLimitPct && s.viewers_per_core !== null;
  const pairs = a.steps.map((s, i) => ({ single: s, cluster: b.steps[i] })).filter((p) => p.cluster && ok(p.single) && ok(p.cluster));
  const ratios = pairs.map((p) => p.cluster!.viewers_per_core! / p.single.viewers_per_core!);
  const top = pairs[pairs.length - 1];
  const ratio = top ? top.cluster!.viewers_per_core! / top.single.viewers_per_core! : null;
  return {
    definition:
      'viewers_per_core = viewers connected / CPU cores of every process of the relay (utime+stime from /proc over the window: for the cluster the front and all workers); at each step the single process and the cluster are measured one after the other (order alternating), each with that many viewers connected from zero, under the same origin and publisher; ratio = cluster / single at the largest step with loss < 1% at the viewers on both sides',
    workers: ctx.workers,
    viewers: top?.single.viewers ?? null,
    single_viewers_per_core: top?.single.viewers_per_core ?? null,
    single_loss_pct: top?.single.loss_pct ?? null,
    cluster_viewers_per_core: top?.cluster!.viewers_per_core ?? null,
    cluster_loss_pct: top?.cluster!.loss_pct ?? null,
    ratio_cluster_over_single: round(ratio, 3),
    mean_ratio_over_steps: ratios.length ? round(ratios.reduce((x, y) => x + y, 0) / ratios.length, 3) : null,
    within_10_pct: ratio === null ? null : ratio >= 0.9,
    host_viewers_estimate: top?.cluster!.viewers_per_core ? Math.round(top.cluster!.viewers_per_core * cpus().length) : null,
    single_steps: a.steps,
    cluster_steps: b.steps,
    single_stopped: a.stopped,
    cluster_stopped: b.stopped,
  };
}

/** Rows for the bench's summary table. */
export function clusterRows(r: Record<string, unknown>): Array<[string, string, string]> {
  const f = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  const loss = (v: unknown) => (v === null || v === undefined ? '–' : `${Number(v).toFixed(3)}%`);
  const rows: Array<[string, string, string]> = [
    ['cluster.single_viewers_per_core', `${f(r.single_viewers_per_core)} (${f(r.viewers)} viewers)`, loss(r.single_loss_pct)],
    [`cluster.cluster_viewers_per_core (${f(r.workers)} workers + front)`, `${f(r.cluster_viewers_per_core)} (${f(r.viewers)} viewers)`, loss(r.cluster_loss_pct)],
    ['cluster.ratio_cluster_over_single', `${f(r.ratio_cluster_over_single)} (within 10%: ${f(r.within_10_pct)}; mean over steps ${f(r.mean_ratio_over_steps)})`, ''],
  ];
  for (const [name, steps] of [['single', r.single_steps], ['cluster', r.cluster_steps]] as const) {
    for (const s of (steps as ClusterStep[] | undefined) ?? []) {
      rows.push([`cluster.${name}.event_loop_ms p99/max @${s.viewers}`, `${f(s.loop_delay_p99_ms)} / ${f(s.loop_delay_max_ms)}`, loss(s.loss_pct)]);
    }
  }
  return rows;
}
