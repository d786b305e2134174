import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';

const DASHBOARD = new URL('../../deploy/grafana/canopy.json', import.meta.url);

let tree: Tree | null = null;
let dataDir: string | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

/** Every PromQL expression the dashboard runs: its panels' targets and its variables' queries. */
function queries(dash: { panels: Panel[]; templating: { list: Array<{ definition?: string }> } }): string[] {
  return [...dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dash.templating.list.flatMap((v) => (v.definition ? [v.definition] : []))];
}

/** The metric names a /metrics text declares (# TYPE) and the sample names it carries. */
function exposed(text: string): { types: Map<string, string>; samples: Set<string> } {
  const types = new Map<string, string>();
  const samples = new Set<string>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) types.set(t[1]!, t[2]!);
    else if (line && !line.startsWith('#')) samples.add(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]);
  }
  return { types, samples };
}

function exists(name: string, e: { types: Map<string, string>; samples: Set<string> }): boolean {
  if (e.types.has(name) || e.samples.has(name)) return true;
  // A histogram's series are NAME_bucket, NAME_sum and NAME_count, present or not before the first observation.
  const h = /^(.*)_(bucket|sum|count)$/.exec(name);
  return h !== null && e.types.get(h[1]!) === 'histogram';
}

describe('the Grafana dashboard (deploy/grafana/canopy.json)', () => {
  it('queries only metrics an origin and a relay expose, and the relay shows per-stream series while a viewer watches', async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      uid: string;
      panels: Panel[];
      templating: { list: Array<{ name: string; definition?: string }> };
    };
    expect(dash.uid).toBe('canopy-relay-tree');
    expect(new Set(dash.panels.map((p) => p.id)).size).toBe(dash.panels.length);
    expect(dash.templating.list.map((v) => v.name)).toEqual(['datasource', 'instance', 'stream']);

    const exprs = queries(dash);
    const names = new Set(exprs.flatMap((q) => q.match(/\b(?:canopy|process|nodejs)_[a-z0-9_]+\b/g) ?? []));
    // What the issue asks the dashboard to show.
    for (const n of [
      'canopy_viewers',
      'canopy_stream_viewers',
      'canopy_stream_bitrate_bps',
      'canopy_bytes_out_total',
      'canopy_nacks_received_total',
      'canopy_retransmitted_packets_total',
      'canopy_keyframe_requests_total',
      'canopy_event_loop_delay_seconds',
      'process_resident_memory_bytes',
      'canopy_links',
    ]) {
      expect(names).toContain(n);
    }

    // With an archive, as a production origin runs: the dashboard shows its figures too.
    dataDir = mkdtempSync(join(tmpdir(), 'canopy-grafana-'));
    tree = await startTree({ level1: 1, level2PerLevel1: 0, originFlags: ['--data-dir', dataDir] });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const viewer = new NodeViewer({ url: `${tree.relays[0]!.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 50, 20_000, 'media at the viewer');

    const texts = await Promise.all(
      [tree.origin.url, tree.relays[0]!.url].map(async (url) => {
        const res = await fetch(`${url}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        return res.text();
      }),
    );
    const [origin, relay] = texts.map(exposed) as [ReturnType<typeof exposed>, ReturnType<typeof exposed>];
    const missing = [...names].filter((n) => !exists(n, origin) && !exists(n, relay));
    expect(missing).toEqual([]);

    expect(texts[1]).toMatch(/^canopy_stream_viewers\{stream="cam"\} 1$/m);
    expect(texts[1]).toMatch(/^canopy_stream_packets_total\{stream="cam",direction="in"\} [1-9]\d*$/m);
    expect(texts[1]).toMatch(/^canopy_stream_packets_total\{stream="cam",direction="out"\} [1-9]\d*$/m);
    expect(texts[0]).toMatch(/^canopy_stream_bytes_total\{stream="cam",direction="in"\} [1-9]\d*$/m);
    expect(texts[0]).toMatch(/^canopy_stream_viewers\{stream="cam"\} 0$/m);
  });
});
