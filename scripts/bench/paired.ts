/**
 * A paired ramp for bench sections that compare relays (issue 14): every variant (a relay
 * process, or a --workers cluster) is measured at every step of the same ramp in the same run,
 * one after the other, with the same publisher and viewers. Per step: viewers per core of all
 * the variant's processes, loss at the viewers, and event-loop delay.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { ViewerPool } from './pool.js';
import { benchCpuSeconds, cpuSeconds, eventLoopAt, machineCpu, metric, processTree, sleep, type CanopyNode, type LoopDelay } from './procs.js';
import { nowMs, type WorkerCounters } from './protocol.js';
import { round } from './stats.js';

export interface PairedContext {
  pool: ViewerPool;
  log: (line: string) => void;
  watch: (status: (() => string) | null) => void;
  fixture: string;
  stream: string;
  windowS: number;
  settleMs: number;
  /** Viewer counts of the ramp (every variant is measured at each). */
  steps: number[];
  /** Loss at the viewers that ends a ramp, %. */
  lossLimitPct: number;
}

export interface PairedStep {
  /** Viewers served: connected at the viewers and holding a session at the relay (the fewer). */
  viewers: number;
  viewers_connected: number;
  relay_sessions: number | null;
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

/** One relay under test: a single process, or a --workers front (its workers are measured too). */
export interface Variant {
  name: string;
  node: CanopyNode;
  workers: boolean;
  /** Viewers of this variant at a step = the step's count × scale (default 1). */
  scale?: number;
}

export interface VariantResult {
  name: string;
  steps: PairedStep[];
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

async function measureStep(ctx: PairedContext, v: Variant, failures: number): Promise<PairedStep> {
  const node = v.node;
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
  // A viewer whose session the relay dropped receives nothing and shows no loss: count the
  // sessions the relay holds too (a cluster's workers, from its front's state).
  const sessions = v.workers ? (await workersOf(node)).reduce((acc, w) => acc + w.viewers, 0) : metric(await node.metrics(), 'canopy_viewers');
  const connected = Math.min(b.viewers.connected, sessions);
  const step: PairedStep = {
    viewers: connected,
    viewers_connected: b.viewers.connected,
    relay_sessions: sessions,
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
  if (!v.workers) {
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
async function stepSide(ctx: PairedContext, label: string, v: Variant, viewers: number): Promise<PairedStep> {
  const phase = `${label}: ${v.name} with ${viewers} viewers`;
  const node = v.node;
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
    const step = await measureStep(ctx, v, recs.filter((r) => !r.ok).length);
    const per = step.workers?.map((w) => `${w.id} ${w.viewers}v ${((w.cpu_cores ?? 0) * 100).toFixed(0)}%`).join(', ');
    ctx.log(
      `  ${v.name.padEnd(9)} ${String(step.viewers).padStart(4)} viewers: ${((step.cpu_cores ?? 0) * 100).toFixed(0)}% CPU${per ? ` (front ${((step.front_cpu_cores ?? 0) * 100).toFixed(0)}%; ${per})` : ''}, ` +
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
 * Every variant at each step, one after the other (the order rotates from step to step), each
 * from zero viewers: the figures of a step are minutes apart at most, so other work on a
 * shared machine weighs on all of them alike.
 */
export async function pairedRamp(ctx: PairedContext, label: string, variants: Variant[]): Promise<VariantResult[]> {
  const out = variants.map((v) => ({ name: v.name, steps: [] as PairedStep[], stopped: '' }));
  let last = 0;
  let stopped = '';
  const maxScale = Math.max(...variants.map((v) => v.scale ?? 1));
  for (let i = 0; i < ctx.steps.length && !stopped; i++) {
    let target = ctx.steps[i]!;
    const prev = out[0]!.steps[out[0]!.steps.length - 1];
    // As in the fan-out ramp: a step the machine cannot carry would measure the clients.
    if (prev && prev.machine_busy_cores !== null && prev.viewers > 0) {
      const other = prev.other_work_cores ?? 0;
      const perViewer = Math.max(1e-6, (prev.machine_busy_cores - other) / prev.viewers);
      const fits = Math.floor((0.95 * cpus().length - other) / perViewer / maxScale / 25) * 25;
      if (target > fits) {
        if (fits <= last) {
          stopped = `machine saturated at ${prev.viewers} viewers (${prev.machine_busy_cores} of ${cpus().length} cores busy)`;
          break;
        }
        target = fits;
      }
    }
    for (let j = 0; j < variants.length; j++) {
      const k = (i + j) % variants.length;
      const want = Math.round(target * (variants[k]!.scale ?? 1));
      const step = await stepSide(ctx, label, variants[k]!, want);
      out[k]!.steps.push(step);
      if (step.loss_pct === null || step.loss_pct >= ctx.lossLimitPct) stopped ||= `${variants[k]!.name}: loss ${step.loss_pct}% at ${step.viewers} viewers`;
      else if (step.viewers < want * 0.98) stopped ||= `${variants[k]!.name}: only ${step.viewers} of ${want} viewers connected`;
    }
    last = target;
    if (!stopped && target !== ctx.steps[i]) stopped = `last step shrunk to ${target} viewers to fit the machine`;
  }
  for (const r of out) r.stopped = stopped || 'last step reached';
  return out;
}
