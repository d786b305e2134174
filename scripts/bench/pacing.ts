/**
 * Bench section `pacing` (issue 14): no stalls at keyframes. Two relay processes under the same
 * origin and publisher, one sending every burst at once (--fanout-slice 0, as before pacing),
 * one pacing its fan-out (the default --fanout-slice), measured one after the other at every
 * step of the same ramp. Per step: the relay's event-loop delay p99 and max
 * (perf_hooks.monitorEventLoopDelay, /api/eventloop), viewers per core and loss at the viewers.
 */
import { pairedRamp, type PairedContext, type PairedStep } from './paired.js';
import { CanopyNode, PublisherWorker } from './procs.js';

export interface PacingContext extends PairedContext {
  /** The paced relay's --fanout-slice (default: the relay's own default). */
  slice?: string;
}

export async function pacingSection(ctx: PacingContext): Promise<Record<string, unknown>> {
  ctx.log(`pacing: a relay sending each burst at once against a pacing relay${ctx.slice ? ` (--fanout-slice ${ctx.slice})` : ''}, step by step`);
  const origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: [] });
  let publisher: PublisherWorker | null = null;
  const relays: CanopyNode[] = [];
  try {
    publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${ctx.stream}`, fixture: ctx.fixture });
    // --no-siblings: each relay pulls from the origin, neither from the other.
    const flags = ['--no-siblings']; // the cluster secret comes in the environment (NODE_ENV_VARS)
    const unpaced = await CanopyNode.start({ id: 'relay-unpaced', role: 'relay', parent: origin, flags: [...flags, '--fanout-slice', '0'] });
    relays.push(unpaced);
    const paced = await CanopyNode.start({
      id: 'relay-paced',
      role: 'relay',
      parent: origin,
      flags: [...flags, ...(ctx.slice ? ['--fanout-slice', ctx.slice] : [])],
    });
    relays.push(paced);
    const [a, b] = await pairedRamp(ctx, 'pacing', [
      { name: 'unpaced', node: unpaced, workers: false },
      { name: 'paced', node: paced, workers: false },
    ]);
    const pick = (s: PairedStep) => ({
      viewers: s.viewers,
      loop_delay_p99_ms: s.loop_delay_p99_ms,
      loop_delay_max_ms: s.loop_delay_max_ms,
      viewers_per_core: s.viewers_per_core,
      loss_pct: s.loss_pct,
      other_work_cores: s.other_work_cores,
    });
    return {
      definition:
        'event-loop delay of the relay process over each measuring window (perf_hooks.monitorEventLoopDelay, 20 ms sampling, delay = sampled interval − 20 ms); unpaced = --fanout-slice 0 (every burst sent in one turn of the loop), paced = the relay default; both relays measured one after the other at every step, each with that many viewers connected from zero',
      slice: ctx.slice ?? 'relay default',
      steps: a!.steps.map((s, i) => ({ unpaced: pick(s), paced: b!.steps[i] ? pick(b!.steps[i]!) : null })),
      unpaced_steps: a!.steps,
      paced_steps: b!.steps,
      stopped: a!.stopped,
    };
  } finally {
    await publisher?.shutdown();
    for (const r of relays) await r.stop();
    await origin.stop();
  }
}

/** Rows for the bench's summary table. */
export function pacingRows(r: Record<string, unknown>): Array<[string, string, string]> {
  const f = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  const loss = (v: unknown) => (v === null || v === undefined ? '–' : `${Number(v).toFixed(3)}%`);
  const rows: Array<[string, string, string]> = [];
  for (const s of (r.steps as Array<{ unpaced: Record<string, unknown>; paced: Record<string, unknown> | null }> | undefined) ?? []) {
    const u = s.unpaced;
    const p = s.paced;
    rows.push([
      `pacing.event_loop_ms p99/max @${f(u.viewers)} unpaced → paced`,
      `${f(u.loop_delay_p99_ms)} / ${f(u.loop_delay_max_ms)} → ${f(p?.loop_delay_p99_ms)} / ${f(p?.loop_delay_max_ms)} (viewers/core ${f(u.viewers_per_core)} → ${f(p?.viewers_per_core)})`,
      `${loss(u.loss_pct)} / ${loss(p?.loss_pct)}`,
    ]);
  }
  return rows;
}
