/**
 * Bench section `cluster` (issue 14): whole-host fan-out. One relay process against a relay
 * run as a `--workers N` cluster (a front that redirects viewers to N worker processes, which
 * are loopback siblings), under the same origin, with the same publisher and the same viewer
 * steps in the same run. Viewers per core counts every process of the relay: the front and
 * each worker (their CPU is read from /proc for the whole process tree). The goal is a cluster
 * within 10% of the single process per core, so a host's capacity is cores × per-core.
 */
import { cpus } from 'node:os';
import { pairedRamp, type PairedContext, type PairedStep, type VariantResult } from './paired.js';
import { CanopyNode, PublisherWorker } from './procs.js';
import { round } from './stats.js';

export interface ClusterContext extends PairedContext {
  /** Worker processes of the cluster (default: the machine's cores). */
  workers: number;
}

/** Runs the section: origin, publisher, the single relay and the cluster, then the paired ramp. */
export async function clusterSection(ctx: ClusterContext): Promise<Record<string, unknown>> {
  ctx.log(`cluster: one relay process with V viewers against --workers ${ctx.workers} with ${ctx.workers}×V, step by step in the same run`);
  const origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: [] });
  let publisher: PublisherWorker | null = null;
  const relays: CanopyNode[] = [];
  try {
    publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${ctx.stream}`, fixture: ctx.fixture });
    // --no-siblings on the single relay: it must not pull from the cluster's workers (or they from it).
    const flags: string[] = []; // the cluster secret comes in the environment (NODE_ENV_VARS)
    const single = await CanopyNode.start({ id: 'relay-single', role: 'relay', parent: origin, flags: [...flags, '--workers', '1', '--no-siblings'] });
    relays.push(single);
    const cluster = await CanopyNode.start({
      id: 'relay-cluster',
      role: 'relay',
      parent: origin,
      flags: [...flags, '--workers', String(ctx.workers)],
      readyTimeoutMs: 60_000,
    });
    relays.push(cluster);
    const [a, b] = await pairedRamp(ctx, 'cluster', [
      { name: 'single', node: single, workers: false },
      // As many viewers per worker as the single process has: capacity = cores × per-core holds
      // if a process does as well as one of N workers doing the same work.
      { name: 'cluster', node: cluster, workers: true, scale: ctx.workers },
    ]);
    return summarize(ctx, a!, b!);
  } finally {
    await publisher?.shutdown();
    for (const r of relays) await r.stop();
    await origin.stop();
  }
}

function summarize(ctx: ClusterContext, a: VariantResult, b: VariantResult): Record<string, unknown> {
  const ok = (s: PairedStep) => s.loss_pct !== null && s.loss_pct < ctx.lossLimitPct && s.viewers_per_core !== null;
  const pairs = a.steps.map((s, i) => ({ single: s, cluster: b.steps[i] })).filter((p) => p.cluster && ok(p.single) && ok(p.cluster));
  const ratios = pairs.map((p) => p.cluster!.viewers_per_core! / p.single.viewers_per_core!);
  const top = pairs[pairs.length - 1];
  const ratio = top ? top.cluster!.viewers_per_core! / top.single.viewers_per_core! : null;
  return {
    definition:
      'viewers_per_core = viewers connected / CPU cores of every process of the relay (utime+stime from /proc over the window: for the cluster the front and all workers); at each step the single process (V viewers) and the cluster (workers × V viewers, so each worker carries what the single process does) are measured one after the other (order alternating), each with its viewers connected from zero, under the same origin and publisher; ratio = cluster / single at the largest step with loss < 1% at the viewers on both sides',
    workers: ctx.workers,
    viewers: top?.single.viewers ?? null,
    cluster_viewers: top?.cluster!.viewers ?? null,
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
    [
      `cluster.cluster_viewers_per_core (${f(r.workers)} workers + front)`,
      `${f(r.cluster_viewers_per_core)} (${f(r.cluster_viewers)} viewers)`,
      loss(r.cluster_loss_pct),
    ],
    [
      'cluster.ratio_cluster_over_single',
      `${f(r.ratio_cluster_over_single)} (within 10%: ${f(r.within_10_pct)}; mean over steps ${f(r.mean_ratio_over_steps)})`,
      '',
    ],
  ];
  for (const [name, steps] of [
    ['single', r.single_steps],
    ['cluster', r.cluster_steps],
  ] as const) {
    for (const s of (steps as PairedStep[] | undefined) ?? []) {
      rows.push([`cluster.${name}.event_loop_ms p99/max @${s.viewers}`, `${f(s.loop_delay_p99_ms)} / ${f(s.loop_delay_max_ms)}`, loss(s.loss_pct)]);
    }
  }
  return rows;
}
