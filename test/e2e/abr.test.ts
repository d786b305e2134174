import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../scripts/demo/static.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import type { ViewerSession } from '../../src/session/ViewerSession.js';
import { createLossNet, hostSideFlags, lossNetUnavailable, type LossNet } from '../support/lossNet.js';
import { CHROMIUM_ARGS, poll, proxyThroughHost } from '../support/pages.js';
import { publishSimulcastPage, viewerRemoteSdp, viewerStats, watchPage, type Encoding, type ViewerStats } from '../support/simulcastPage.js';
import { startTree, type Tree } from '../support/tree.js';

/** CANOPY_ABR_PROBES=1 / 0: the level-2 relay with --layer-probes / --no-layer-probes (docs/abr.md "Probing"); unset: its default. */
function probeFlags(): string[] {
  const v = process.env.CANOPY_ABR_PROBES;
  return v === '1' ? ['--layer-probes'] : v === '0' ? ['--no-layer-probes'] : [];
}

// Issue 20, "a capped viewer moves down and back up": a Chromium publisher sends three simulcast
// layers through origin → level 1 → level 2; a Chromium viewer at the level-2 relay, in a
// network namespace, watches on the native engine (transport-cc: docs/abr.md "Estimate").
// It starts on the top layer; a policer on the relay's port towards it (`limit rate over
// 61 kbytes/second drop`: nft's kbyte is 1,024 bytes, so 499.7 kbit/s) must move it to a layer under the cap, and after the cap
// lifts it must come back to the top layer. Run under `flock /tmp/canopy-netns.lock`.
// CANOPY_ABR_FIGURES=1 prints the trace (figures belong in `npm run bench -- --only abr`).

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));
const ICE_PORTS: [number, number] = [47100, 47599];
const NATIVE_PORT = 47710;
/** node-datachannel's viewers at level 2: a port range of their own, for the policer. */
const NDC_PORTS: [number, number] = [47720, 47739];
const CAP_KBYTES = 61;
const CAP_BPS = CAP_KBYTES * 1024 * 8;
/** The top layer well over the cap, the middle one under it (Chromium's encoder stays under maxBitrate). */
const LAYERS: Encoding[] = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 350_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];
const native = NativeEngine.available();
const netUnavailable = lossNetUnavailable();
const unavailable = netUnavailable ?? (native.ok ? null : `native engine: ${native.why}`);
if (unavailable) console.warn(`abr tests skipped: ${unavailable}`);
/** CANOPY_ABR_ENGINES=ndc (or native): the level-2 relay's viewer engines to run (both by default). */
const engines = (process.env.CANOPY_ABR_ENGINES ?? 'native,ndc').split(',');
const figures = process.env.CANOPY_ABR_FIGURES === '1';

let tree: Tree | null = null;
let net: LossNet | null = null;
let pages: StaticServer | null = null;
const browsers: Browser[] = [];

afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close().catch(() => undefined);
  const [t, n] = [tree, net];
  tree = null;
  net = null;
  try {
    await t?.close();
    await t?.assertEmpty();
  } finally {
    n?.close(); // even when the tree's close failed: a namespace left behind holds its subnet
  }
  await pages?.close();
  pages = null;
});

async function launch(executablePath: string): Promise<BrowserContext> {
  const b = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  browsers.push(b);
  return b.newContext();
}

const ENGINES = [
  { engine: 'native', skip: unavailable },
  { engine: 'ndc', skip: netUnavailable },
].filter((e) => engines.includes(e.engine));

describe.each(ENGINES)('a Chromium simulcast viewer behind a rate cap ($engine engine, level 2)', ({ engine, skip }) => {
  it.skipIf(skip !== null)(
    'starts on the top layer, moves under a 500 kbit/s cap, and returns to the top layer after the cap lifts',
    async () => {
      const ndc = engine === 'ndc';
      // The ports the policer matches: the native engine's one port, or node-datachannel's range.
      const capPorts: [number, number] = ndc ? NDC_PORTS : [NATIVE_PORT, NATIVE_PORT];
      net = createLossNet(`a${process.pid % 1000}`, 120 + (process.pid % 50));
      pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
      tree = await startTree({
        level1: 1,
        level2PerLevel1: 1,
        // The origin and level 1 serve no viewers: node-datachannel there (no native data threads).
        flags: ['--engine', 'ndc', ...hostSideFlags(net.hostIp, ICE_PORTS)],
        relayFlags: ['--no-siblings'],
        // The viewers' relay on the engine under test, on known ports for the policer.
        level2Flags: [
          ...(ndc
            ? ['--engine', 'ndc', '--ice-port-min', String(NDC_PORTS[0]), '--ice-port-max', String(NDC_PORTS[1])]
            : ['--engine', 'native', '--ice-udp-port', String(NATIVE_PORT)]),
          ...probeFlags(),
        ],
      });
      const leaf = tree.relays.find((r) => r.level === 2)!;
      expect(leaf.engine.constructor.name === 'NdcEngine').toBe(ndc);

      const pub = await (await launch('/usr/bin/chromium')).newPage();
      await pub.goto(`${pages.url}/publish.html`);
      const answer = await publishSimulcastPage(pub, `${tree.origin.url}/whip/abr`, LAYERS);
      expect(answer).toMatch(/^a=simulcast:recv q;h;f\r?$/m);

      const viewCtx = await launch(net.chromiumWrapper());
      await proxyThroughHost(viewCtx, [pages.url]);
      const view: Page = await viewCtx.newPage();
      await view.goto(`${pages.url}/publish.html`);
      await watchPage(view, `${leaf.url}/whep/abr`);
      // transport-cc on the native engine; node-datachannel cannot number packets for it (REMB).
      if (ndc) expect(await viewerRemoteSdp(view)).not.toMatch(/a=rtcp-fb:\d+ transport-cc/);
      else expect(await viewerRemoteSdp(view)).toMatch(/a=rtcp-fb:\d+ transport-cc/);

      const session = (): ViewerSession => [...leaf.node.whep.viewers.values()][0]!;
      const t0 = Date.now();
      const trace: Array<Record<string, unknown>> = [];
      // The last sample: the viewer's getStats and its layer in the relay's describe().
      const cur: { stats: ViewerStats | null; layer: unknown } = { stats: null, layer: null };
      const sample = async (): Promise<void> => {
        const st = await viewerStats(view);
        const d = session()?.describe() ?? {};
        cur.stats = st;
        cur.layer = d.layer;
        const e = d.estimate as { bps?: number } | null;
        trace.push({
          t: Date.now() - t0,
          layer: d.layer,
          target: d.target,
          est: e?.bps ?? null,
          w: st?.frameWidth,
          frames: st?.framesDecoded,
          freezes: st?.freezeCount,
          // The temporal layers sent (docs/abr.md "Temporal layers while a switch down waits").
          tl: d.temporal,
          // A layer that stopped at the publisher (docs/abr.md "A layer that stops").
          ...(d.fallback ? { fallback: d.fallback, awaiting: d.awaiting } : {}),
          probes: d.probes,
        });
      };
      const until = async (what: string, ms: number, ok: () => boolean): Promise<number> => {
        const from = Date.now();
        try {
          await poll(what, ms, async () => {
            await sample();
            return ok();
          });
        } catch (err) {
          throw new Error(`${(err as Error).message}: ${JSON.stringify(trace.slice(-30))}`);
        }
        return Date.now() - from;
      };
      const width = (): number => cur.stats?.frameWidth ?? 0;
      const decoded = (): number => cur.stats?.framesDecoded ?? 0;
      const layer = (): unknown => cur.layer;

      // Uncapped: the top layer, decoded at the camera's full width.
      await until('the viewer on the top layer, decoding 1280 px', 30_000, () => layer() === 'high' && width() > 640 && decoded() > 30);
      const before = (await viewerStats(view))!;
      // /api/state lists the viewer with its layer and its transport-cc estimate.
      const listed = leaf.node.state().streams.find((s) => s.name === 'abr')?.viewerList?.[0] as { layer?: string; estimate?: { source: string } } | undefined;
      expect(listed?.layer).toBe('high');
      // node-datachannel: REMB, or receiver-report loss until the first REMB.
      expect(ndc ? ['remb', 'loss'] : ['twcc']).toContain(listed?.estimate?.source);

      // The publisher's top layer ramps on the origin's transport-cc feedback (docs/abr.md): the
      // cap means something once that layer is well over it.
      const top = (): number =>
        tree!.origin.whip.publishers
          .get('abr')
          ?.simulcastState()[0]
          ?.layers.find((l) => l.rid === 'f')?.bps ?? 0;
      await until('the top layer over 1.2 x the cap at the origin', 30_000, () => top() > 1.2 * CAP_BPS);
      const topKbpsAtCap = Math.round(top() / 1000);
      net.setRateCap(CAP_KBYTES, capPorts);
      const downMs = await until('the layer to go under the cap', 15_000, () => layer() === 'mid' || layer() === 'low');
      const frames = decoded();
      const smallMs = await until('smaller frames decoded under the cap', 10_000, () => width() > 0 && width() <= 640 && decoded() > frames + 15);
      // The cap's rule sees the viewer's media (its ports match). Whether it has dropped any yet
      // depends on which came first: a node-datachannel viewer's REMB, lowered on a loaded
      // machine, can move it down before the policer drains (the suite failed here once, at
      // 16:51 with other Chromium tests running beside it); the failed train below shows drops.
      expect(net.counters().seen).toBeGreaterThan(0);
      const capped = session().describe();
      expect(['mid', 'low']).toContain(capped.layer);
      expect(cur.stats!.ssrc).toBe(before.ssrc);

      // With probing (the default; docs/abr.md "Probing"), a train for the top layer under the cap
      // fails (on node-datachannel, on the viewer's NACKs: "node-datachannel: trains paced in
      // JavaScript"), and the viewer never moves to the top layer while capped.
      const probes = (): { failed?: number } => (session().describe().probes as { failed?: number } | undefined) ?? {};
      let trainFailMs: number | null = null;
      if (process.env.CANOPY_ABR_PROBES !== '0') {
        const failedBefore = probes().failed ?? 0;
        let onTop = false;
        trainFailMs = await until('a probe train to fail under the cap', 30_000, () => {
          if (layer() === 'high') onTop = true;
          return (probes().failed ?? 0) > failedBefore;
        });
        expect(onTop).toBe(false);
        expect(['mid', 'low']).toContain(layer());
        // The train drained the policer's bucket: it dropped.
        expect(net.counters().dropped).toBeGreaterThan(0);
      }
      const cappedStats = cur.stats;

      net.setRateCap(0, capPorts);
      // Back on the top layer and playing it (15 frames over 640 px in a row there). A first move up
      // may fail and come back down (no probing: docs/abr.md); the hold then doubles and it tries again.
      let topFrom = -1;
      const upMs = await until('the top layer playing again after the cap lifted', 30_000, () => {
        if (layer() !== 'high' || width() <= 640) {
          topFrom = -1;
          return false;
        }
        if (topFrom < 0) topFrom = decoded();
        return decoded() > topFrom + 15;
      });
      expect(session().describe().layer).toBe('high');
      expect(cur.stats!.ssrc).toBe(before.ssrc);
      expect(cur.stats!.connectionState).toBe('connected');
      if (figures)
        console.log(
          JSON.stringify({
            engine,
            capKbps: CAP_BPS / 1000,
            topKbpsAtCap,
            downMs,
            smallMs,
            trainFailMs,
            // Chromium's freezes up to the lift (freezeCount, totalFreezesDuration).
            cappedFreezes: cappedStats ? { count: cappedStats.freezeCount, seconds: cappedStats.totalFreezesDuration } : null,
            upMs,
            capped,
            end: session().describe(),
            trace,
          }),
        );
    },
    120_000,
  );
});
