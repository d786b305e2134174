import { describe, expect, it } from 'vitest';
import { byLevel, egressGrowth, linkSummary, spread, summaryTable, type RampStep } from '../../scripts/fleet/report.js';

const step = (viewers: number, egress: number): RampStep => ({
  viewers,
  viewers_connected: viewers,
  leaf_sessions: viewers,
  viewers_receiving: viewers,
  join_failures: 0,
  loss_pct: 0,
  origin_egress_bytes_per_s: egress,
  origin_copies: 1,
  origin_control_frames_per_s: 1.5,
  relays_carrying: 30,
  relays_cpu_cores: 0.5,
  relay_cpu_cores_by_level: {},
  viewers_per_leaf: spread([1, 2]),
  viewer_processes_cpu_cores: 0.2,
  machine_busy_cores: 1,
});

describe('fleet report', () => {
  it('summarises a per-node value by level with min, median and max', () => {
    expect(spread([])).toEqual({ n: 0, min: null, median: null, max: null });
    expect(spread([3, 1, 2])).toEqual({ n: 3, min: 1, median: 2, max: 3 });
    expect(spread([4, 1, 2, 3])).toMatchObject({ median: 2.5 });
    expect(
      byLevel([
        { level: 2, value: 10 },
        { level: 1, value: 5 },
        { level: 2, value: 30 },
      ]),
    ).toEqual({
      level1: { n: 1, min: 5, median: 5, max: 5 },
      level2: { n: 2, min: 10, median: 20, max: 30 },
    });
  });

  it('checks that every link carried exactly one subscription', () => {
    expect(
      linkSummary([
        { from: 'origin', to: 'r1', kind: 'origin', subscriptions: 1 },
        { from: 'r1', to: 'r2', kind: 'sibling', subscriptions: 1 },
      ]),
    ).toEqual({
      links: 2,
      subscriptions_per_link_max: 1,
      subscriptions_per_link_min: 1,
      all_one: true,
      one_at_a_time: true,
      repulls: 0,
      sibling_links: 1,
    });
    expect(linkSummary([{ from: 'o', to: 'r1', kind: 'origin', subscriptions: 2 }]).all_one).toBe(false);
    expect(linkSummary([]).all_one).toBe(false);
    // Two pulls opened, one after the other (the first ended): never two at once.
    const again = linkSummary([{ from: 'o', to: 'r1', kind: 'origin', subscriptions: 2, ended: 1, open_max: 1 }]);
    expect([again.all_one, again.one_at_a_time, again.repulls]).toEqual([false, true, 1]);
    expect(linkSummary([{ from: 'o', to: 'r1', kind: 'origin', subscriptions: 2, open_max: 2 }]).one_at_a_time).toBe(false);
  });

  it('relates origin egress growth to audience growth', () => {
    const g = egressGrowth([step(10, 84_000), step(100, 85_000), step(300, 84_500)]);
    expect(g.viewers_ratio).toBe(30);
    expect(g.egress_ratio).toBe(1.01);
  });

  it('prints one row per ramp step and per level in its table', () => {
    const t = summaryTable({
      topology: { relays: 30, levels: 3, lans: new Array(15) },
      ramp: { steps: [step(10, 84_000), step(100, 85_000)] },
      links_summary: linkSummary([{ from: 'origin', to: 'r1', kind: 'origin', subscriptions: 1 }]),
      memory: { idle_rss_mb: { level1: spread([80, 90]) } },
    });
    expect(t).toContain('origin egress @10 viewers');
    expect(t).toContain('origin egress @100 viewers');
    expect(t).toContain('all one: true');
    expect(t).toMatch(/RSS MB, no stream, level1 +\| 85 \(80–90, n=2\)/);
  });
});
