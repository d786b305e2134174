/**
 * The ABR bench (issue 20): per-viewer layers chosen from a bandwidth estimate, with Chromium.
 *
 *   npm run bench -- --only abr [--quick]             (a section of the bench; bench.json key `abr`)
 *   npx tsx scripts/bench/abr.ts [--quick] [--phase S] [--no-janus] [--out FILE]
 *
 * CANOPY_ABR_ENGINE=ndc serves the viewers on node-datachannel instead (ports 47730-47759).
 *
 * Setup: a Chromium publisher (fake camera 1280x720, video only) sends three simulcast layers
 * (rid q/h/f: ÷4 at most 120 kbit/s, ÷2 at most 400 kbit/s, full at most 1.2 Mbit/s) through
 * origin → level 1 → level 2. Three Chromium viewers at the level-2 relay, which serves viewers
 * on the native engine (transport-cc) on one UDP port:
 *   - clean: on the host, no cap;
 *   - capped: in a namespace behind a 500 kbit/s policer on the relay's port towards it
 *     (`limit rate over 62 kbytes/second drop`), from before it joins;
 *   - varying: in a second namespace, its cap 2 Mbit/s → 300 kbit/s → 2 Mbit/s (one phase each).
 *
 * Figures per viewer and phase, from the viewers' getStats (inbound-rtp video), their presented
 * frames (requestVideoFrameCallback) and the relay's per-viewer layer (ViewerSession.describe,
 * sampled every 500 ms):
 *  - settle_s: from the viewer's join (or the cap's change) until it is on a layer whose
 *    measured rate is under its cap and stays under it to the end of the phase;
 *  - fps, fps_ratio against the clean viewer over the same window (from settle + 0 s, or the
 *    phase start for the clean viewer), freeze_count, total_freezes_s (Chromium's freezeCount /
 *    totalFreezesDuration), longest_freeze_ms (longest gap between presented frames);
 *  - layer_share: the share of samples on each layer; switches;
 *  - keyframe_requests_per_min: PLI + FIR the viewer sent, per minute;
 *  - link: the origin → level-1 link's layers (share of samples per layer set, packets per layer).
 * Then, unless --no-janus, the same fixture with Janus's streaming plugin (janus-abr.ts) under
 * `janus`, with the same per-viewer keys.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, type StaticServer } from '../demo/static.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { loopStallSeen } from '../../src/engine/LoopStall.js';
import { PublisherTrace } from './publisherTrace.js';
import { janusAbrSection } from './janus-abr.js';
import type { ViewerSession } from '../../src/session/ViewerSession.js';
import { createLossNet, hostSideFlags, lossNetUnavailable } from '../../test/support/lossNet.js';
import { CHROMIUM_ARGS, poll, proxyThroughHost, recordFrames } from '../../test/support/pages.js';
import { ISSUE_LAYERS, publishedLayers, publishSimulcastPage, viewerStats, watchPage } from '../../test/support/simulcastPage.js';
import {
  CAP_KBPS,
  closeWindow,
  compress,
  firstOn,
  kbytes,
  openWindow,
  round,
  settleOn,
  TracedViewer,
  VARY_KBPS,
  type Layer,
  type Sample,
} from './abr-window.js';
import { startTree, type Tree } from '../../test/support/tree.js';
import { sleep } from '../../test/support/wait.js';

/** CANOPY_ABR_PROBES=1 / 0: the level-2 relay with --layer-probes / --no-layer-probes (docs/abr.md "Probing"); unset: its default. */
function probeFlags(): string[] {
  const v = process.env.CANOPY_ABR_PROBES;
  return v === '1' ? ['--layer-probes'] : v === '0' ? ['--no-layer-probes'] : [];
}

/**
 * CANOPY_ABR_PUBLISH_FEEDBACK=remb: the origin gives the publisher REMB, not transport-cc
 * (--no-publish-transport-cc), as before branch pubtwcc. With transport-cc the origin (on
 * node-datachannel) times arrivals when they reach JavaScript, so on a loaded machine (load 9-11,
 * 2026-12-07 06:30) its event loop's stalls read as queueing to Chromium's estimator, which then
 * stopped sending the top layer about 50 s into the run (runs 1 and 2 of docs/abr.md "Stopping
 * a failing train"): a bench of the viewers' side needs the layers to keep flowing. (Those stops
 * 60-80 s in were TwccRecorder's history ring reporting minute-old arrivals past 8,192 packets,
 * fixed in branch twccstall: docs/abr.md "Publishers: stalls of the origin's loop".)
 */
function originFlags(): string[] {
  return process.env.CANOPY_ABR_PUBLISH_FEEDBACK === 'remb' ? ['--no-publish-transport-cc'] : [];
}

const PUBLIC_DIR = fileURLToPath(new URL('../demo/public/', import.meta.url));
const ICE_PORTS: [number, number] = [47100, 47599];
const NATIVE_PORT = 47720;
/** The level-2 relay's viewer ports on node-datachannel (CANOPY_ABR_ENGINE=ndc): a range of their own, for the policers. */
const NDC_PORTS: [number, number] = [47730, 47759];

/**
 * CANOPY_ABR_ENGINE=ndc: the level-2 relay serves its viewers on node-datachannel (REMB and
 * receiver reports, probe trains judged by NACKs: docs/abr.md "Probing") instead of the native
 * engine (transport-cc); unset or native: the native engine.
 */
function viewerEngine(): 'native' | 'ndc' {
  return process.env.CANOPY_ABR_ENGINE === 'ndc' ? 'ndc' : 'native';
}
const STREAM = 'abr';

export interface AbrOptions {
  quick: boolean;
  /** Seconds per phase of the varying viewer (the capped and clean viewers are measured over all three). */
  phaseS?: number;
  /** The Janus anchor after the Canopy run (janus-abr.ts; default true, `--no-janus` skips it). */
  janus?: boolean;
  log: (line: string) => void;
}

/** One viewer at the level-2 relay: its page, its relay session, its layer trace. */
class Viewer extends TracedViewer {
  constructor(
    name: string,
    page: Page,
    readonly session: () => ViewerSession | undefined,
  ) {
    super(name, page);
  }

  sample(t: number): void {
    const d = this.session()?.describe();
    const e = d?.estimate as { bps?: number } | null | undefined;
    this.trace.push({
      t,
      layer: (d?.layer as Layer | null | undefined) ?? null,
      est: e?.bps ?? null,
      target: (d?.target as Layer | null | undefined) ?? null,
      holdMs: (d?.upHoldMs as number | undefined) ?? null,
      probes: (d?.probes as Record<string, unknown> | undefined) ?? null,
      kbps: (d?.kbps as Record<string, number> | undefined) ?? null,
    });
  }
}

export async function abrSection(o: AbrOptions): Promise<Record<string, unknown>> {
  const why = lossNetUnavailable();
  if (why) return { skipped: `needs network namespaces with nftables: ${why}` };
  const engine = viewerEngine();
  const nat = NativeEngine.available();
  if (engine === 'native' && !nat.ok) return { skipped: `needs the native engine (transport-cc): ${nat.why}` };
  // The ports the policers match: the native engine's one port, or node-datachannel's range.
  const capPorts: [number, number] = engine === 'ndc' ? NDC_PORTS : [NATIVE_PORT, NATIVE_PORT];
  const phaseS = o.phaseS ?? (o.quick ? 25 : 40);
  const load: number[] = [];
  const loadTimer = setInterval(() => load.push(loadavg()[0]!), 5000);
  load.push(loadavg()[0]!);
  const netCap = createLossNet(`c${process.pid % 1000}`, 60 + (process.pid % 50));
  const netVary = createLossNet(`v${process.pid % 1000}`, 60 + ((process.pid + 25) % 50));
  let pages: StaticServer | null = null;
  let tree: Tree | null = null;
  const browsers: Browser[] = [];
  const launch = async (exe: string, proxied: boolean): Promise<BrowserContext> => {
    const b = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
    browsers.push(b);
    const c = await b.newContext();
    if (proxied) await proxyThroughHost(c, [pages!.url]);
    return c;
  };
  const results: Record<string, unknown> = {
    definition:
      'settle_s = from the join (or the cap change) until the viewer is on a layer whose measured rate is under its cap for the rest of the phase; fps_ratio = decoded fps / the clean viewer’s over the same window (from the settle); freeze_count/total_freezes_s = Chromium’s freezeCount/totalFreezesDuration over the window; longest_freeze_ms = longest gap between presented frames; layer_share = share of 500 ms samples of the relay’s describe() per layer; keyframe_requests_per_min = PLI+FIR the viewer sent; link = the origin → level-1 link’s layer set per 500 ms sample and packets per layer',
    layers: ISSUE_LAYERS,
    cap_kbps: CAP_KBPS,
    vary_kbps: VARY_KBPS,
    phase_s: phaseS,
    viewer_engine: engine,
  };
  try {
    pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
    const host = netCap.hostIp;
    tree = await startTree({
      level1: 1,
      level2PerLevel1: 1,
      // The origin and level 1 serve no viewers: node-datachannel there (no native data threads).
      flags: ['--engine', 'ndc', ...hostSideFlags(host, ICE_PORTS)],
      relayFlags: ['--no-siblings'],
      originFlags: originFlags(),
      level2Flags: [
        ...(engine === 'ndc'
          ? ['--engine', 'ndc', '--ice-port-min', String(NDC_PORTS[0]), '--ice-port-max', String(NDC_PORTS[1])]
          : ['--engine', 'native', '--ice-udp-port', String(NATIVE_PORT)]),
        ...probeFlags(),
      ],
    });
    const leaf = tree.relays.find((r) => r.level === 2)!;
    const t0 = Date.now();
    const now = (): number => (Date.now() - t0) / 1000;

    o.log('abr: Chromium publisher, three layers (q 120k, h 400k, f 1.2M)');
    const hostCtx = await launch('/usr/bin/chromium', false);
    const pub = await hostCtx.newPage();
    await pub.goto(`${pages.url}/publish.html`);
    await publishSimulcastPage(pub, `${tree.origin.url}/whip/${STREAM}`, ISSUE_LAYERS);
    const publisher = tree.origin.whip.publishers.get(STREAM);
    await poll('three layers at the origin', 30_000, async () => (publisher?.simulcastState()[0]?.layers ?? []).filter((l) => l.packets > 50).length === 3);
    // The encoder's top layer ramps on the origin's transport-cc feedback (docs/abr.md
    // "Publishers: transport-cc"): the viewers come once it is near its 1.2 Mbit/s (or after 40 s).
    const rampFrom = Date.now();
    await poll('the top layer to ramp', 40_000, async () => (publisher?.simulcastState()[0]?.layers.find((l) => l.rid === 'f')?.bps ?? 0) > 900_000).catch(() =>
      o.log('abr: the top layer stayed under 900 kbit/s for 40 s'),
    );
    results.publisher_ramp_s = round((Date.now() - rampFrom) / 1000, 1);
    results.publisher = {
      at_join: publisher?.simulcastState()[0]?.layers.map((l) => ({ rid: l.rid, kbps: Math.round(l.bps / 1000) })),
      chromium: await publishedLayers(pub),
    };
    // Why a layer stops: the publisher's own estimate and its encoders' targets and limits.
    const pubTrace = new PublisherTrace(pub);
    const pubTimer = setInterval(() => void pubTrace.sample(now()).catch(() => {}), 2000);

    netCap.setRateCap(kbytes(CAP_KBPS), capPorts);
    netVary.setRateCap(kbytes(VARY_KBPS[0]!), capPorts);
    const viewers: Viewer[] = [];
    const sessions = new Map<string, string>();
    const join = async (name: string, ctx: BrowserContext): Promise<Viewer> => {
      const page = await ctx.newPage();
      await page.goto(`${pages!.url}/publish.html`);
      const before = new Set(leaf.node.whep.viewers.keys());
      const url = await watchPage(page, `${leaf.url}/whep/${STREAM}`);
      const id = [...leaf.node.whep.viewers.keys()].find((k) => !before.has(k))!;
      sessions.set(name, url);
      const v = new Viewer(name, page, () => leaf.node.whep.viewers.get(id));
      v.joinedAt = now();
      viewers.push(v);
      return v;
    };
    const linkTrace: Array<{ t: number; layers: string }> = [];
    const linkSample = (tr: Tree, t: number): void => {
      const sets = [...tr.origin.node.downlinks].flatMap((d) =>
        d
          .layerState()
          .filter((l) => l.stream === STREAM)
          .map((l) => [...l.layers].sort().join('+')),
      );
      linkTrace.push({ t, layers: sets.join(',') || 'none' });
    };
    const sampler = setInterval(() => {
      const t = now();
      for (const v of viewers) v.sample(t);
      linkSample(tree!, t);
    }, 500);
    const kf0 = keyframeCounts(tree, leaf);
    o.log(`abr: viewers join: clean (host), capped (${CAP_KBPS} kbit/s), varying (${VARY_KBPS.join(' → ')} kbit/s)`);
    const clean = await join('clean', await hostCtx.browser()!.newContext());
    const capped = await join('capped', await launch(netCap.chromiumWrapper(), true));
    const vary = await join('varying', await launch(netVary.chromiumWrapper(), true));
    const linkPackets = (): Record<string, number> => {
      const s = tree!.origin.node.state().streams.find((x) => x.name === STREAM);
      const out: Record<string, number> = {};
      for (const l of s?.layers?.links ?? []) for (const [q, n] of Object.entries((l.layerPackets ?? {}) as Record<string, number>)) out[q] = (out[q] ?? 0) + n;
      return out;
    };
    for (const v of viewers) {
      await poll(`${v.name} to play`, 45_000, async () => ((await viewerStats(v.page))?.framesDecoded ?? 0) > 10);
      // Presented frames from here on (frameGaps reads any window of them).
      await recordFrames(v.page);
    }

    const open = openWindow;
    const close = async (v: Viewer, w: Awaited<ReturnType<typeof openWindow>>, to: number, capKbps: number | null, changedAt: number) => ({
      ...(await closeWindow(v, w, to, capKbps, changedAt, rates)),
      // Probe trains so far (docs/abr.md "Probing"; absent without --layer-probes).
      probes: (v.session()?.describe().probes as Record<string, unknown> | undefined) ?? null,
    });
    /** The layers' rates as the origin measures them (kbit/s, averaged), for "under the cap". */
    const rates: Record<Layer, number> = { high: 0, mid: 0, low: 0 };
    const rateTimer = setInterval(() => {
      for (const l of publisher?.simulcastState()[0]?.layers ?? []) {
        const q: Layer = l.rid === 'f' ? 'high' : l.rid === 'h' ? 'mid' : 'low';
        // A moving average over ~5 s: the encoder's rate swings with keyframes.
        rates[q] = rates[q] === 0 ? l.bps / 1000 : rates[q] * 0.8 + (l.bps / 1000) * 0.2;
      }
    }, 1000);

    // Phase 1: the capped viewer since its join, the varying one at 2 Mbit/s. Windows start 10 s
    // after the joins (the issue's "settles within 10 s, then plays at ≥ 95 %").
    const joinedAt = Math.max(...viewers.map((v) => v.joinedAt));
    await sleep(Math.max(0, (joinedAt + 10 - now()) * 1000));
    const wClean = await open(clean, now());
    const wCapped = await open(capped, now());
    const phases: Record<string, unknown>[] = [];
    const varying: Record<string, unknown>[] = [];
    let detailFrom = Infinity;
    for (let i = 0; i < VARY_KBPS.length; i++) {
      const kbps = VARY_KBPS[i]!;
      const changedAt = i === 0 ? vary.joinedAt : now();
      if (i > 0) netVary.setRateCap(kbytes(kbps), capPorts);
      if (i === 1) detailFrom = changedAt;
      o.log(`abr: phase ${i + 1}: varying viewer at ${kbps} kbit/s for ${phaseS} s`);
      const start = now();
      const pc = await open(clean, start);
      const pv = await open(vary, start);
      await sleep(phaseS * 1000);
      const end = now();
      const cleanPhase = await close(clean, pc, end, null, start);
      const v = await close(vary, pv, end, kbps, changedAt);
      const lifted = i > 0 && kbps > VARY_KBPS[i - 1]!;
      const backOnTop = lifted ? firstOn(vary.between(changedAt, end), 'high', changedAt) : null;
      const topForGood = lifted ? settleOn(vary.between(changedAt, end), 'high', changedAt) : null;
      varying.push({
        cap_kbps: kbps,
        ...v,
        fps_reference: cleanPhase.fps,
        fps_ratio: cleanPhase.fps > 0 ? round((v.fps as number) / cleanPhase.fps, 3) : null,
        back_on_top_s: backOnTop,
        on_top_for_good_s: topForGood,
      });
      phases.push({ phase: i + 1, cap_kbps: kbps, clean: cleanPhase });
      o.log(`  varying @${kbps}: ${JSON.stringify(varying[varying.length - 1])}`);
    }
    const end = now();
    const cleanAll = await close(clean, wClean, end, null, clean.joinedAt);
    const cappedAll = await close(capped, wCapped, end, CAP_KBPS, capped.joinedAt);
    clearInterval(sampler);
    clearInterval(rateTimer);
    clearInterval(pubTimer);
    results.publisher_trace = pubTrace.samples;
    // The origin's transport-cc to the publisher across its loop's stalls (docs/abr.md "Publishers: stalls of the origin's loop").
    const seen = loopStallSeen();
    // Stalls on the bench's clock (s since t0) with their length (ms), to line up with publisher_trace.
    const stallsAt = seen.recent.map(([at, ms]) => [round((performance.timeOrigin + at - t0) / 1000, 1), Math.round(ms)]);
    results.publisher_twcc = { ...(publisher?.transportCcState() ?? {}), loop: { ...seen, recent: stallsAt } };
    // The origin's loss repair towards the publisher (NACKs sent, recovered, given up on).
    const oc = tree.origin.node.counters;
    results.publisher_repair = { nacks_sent: oc.nacksSent.get(), recovered: oc.recovered.get(), unrecovered: oc.unrecovered.get() };
    results.clean = cleanAll;
    results.capped = {
      cap_kbps: CAP_KBPS,
      ...cappedAll,
      fps_reference: cleanAll.fps,
      fps_ratio: cleanAll.fps > 0 ? round(cappedAll.fps / cleanAll.fps, 3) : null,
    };
    results.varying = varying;
    results.clean_phases = phases;
    const linkFrom = wClean.from;
    const linkSamples = linkTrace.filter((s) => s.t >= linkFrom);
    const linkShare: Record<string, number> = {};
    for (const s of linkSamples) linkShare[s.layers] = (linkShare[s.layers] ?? 0) + 1;
    for (const k of Object.keys(linkShare)) linkShare[k] = round(linkShare[k]! / Math.max(1, linkSamples.length), 3);
    results.link = { origin_to_level1_layer_sets: linkShare, packets_per_layer: linkPackets() };
    results.layer_kbps_at_origin = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(v)]));
    results.traces = Object.fromEntries(viewers.map((v) => [v.name, compress(v.trace)]));
    // The varying viewer from its cap's first change: every change of layer, target, hold or
    // probing state, and the estimate (why it is, or is not, back on the top layer after the lift).
    results.varying_detail = { columns: DETAIL_COLUMNS, rows: detail(vary.between(detailFrom, Infinity)) };
    // nft's counters since the rule was last set: the capped viewer's whole run, the varying one's last phase.
    results.nft = { capped: netCap.counters(), varying_last_phase: netVary.counters() };
    const kf1 = keyframeCounts(tree, leaf);
    const minutes = (now() - joinedAt) / 60;
    results.keyframe_requests_per_min_at_nodes = {
      note: 'keyframe requests from the level-2 relay’s viewers (their PLIs and the layer switches’ own requests), forwarded upstream or suppressed by the limiter, per minute since the joins; and what reached the publisher’s origin',
      level2_forwarded: round((kf1.leafForwarded - kf0.leafForwarded) / minutes),
      level2_suppressed: round((kf1.leafSuppressed - kf0.leafSuppressed) / minutes),
      origin_forwarded: round((kf1.originForwarded - kf0.originForwarded) / minutes),
    };
  } finally {
    clearInterval(loadTimer);
    for (const b of browsers) await b.close().catch(() => undefined);
    await tree?.close().catch(() => undefined);
    await pages?.close().catch(() => undefined);
    netCap.close();
    netVary.close();
  }
  load.push(loadavg()[0]!);
  results.load_1m = { min: round(Math.min(...load)), max: round(Math.max(...load)), samples: load.length };
  // The anchor on the same fixture, once the Canopy tree and browsers are gone (janus-abr.ts).
  if (o.janus === false) results.janus = { skipped: '--no-janus' };
  else {
    o.log('abr: the Janus anchor (janus-abr.ts)');
    results.janus = await janusAbrSection({ phaseS, log: o.log });
  }
  return results;
}

function keyframeCounts(tree: Tree, leaf: Tree['relays'][number]): { leafForwarded: number; leafSuppressed: number; originForwarded: number } {
  const k = (n: Tree['origin']['node'], result: string): number => n.counters.keyframeRequests.get({ result });
  return {
    leafForwarded: k(leaf.node, 'forwarded'),
    leafSuppressed: k(leaf.node, 'suppressed'),
    originForwarded: k(tree.origin.node, 'forwarded'),
  };
}

const DETAIL_COLUMNS = [
  't',
  'layer',
  'target',
  'estimate_kbps',
  'hold_s',
  'trains',
  'passed',
  'failed',
  'streak',
  'probing',
  'probe_wait_s',
  'failed_last_minute',
  'last_verdict',
  'layer_kbps_here',
];

/** The detailed trace: a row per 500 ms sample where anything but the estimate changed, or the estimate by over 10 %. */
function detail(trace: Sample[]): unknown[][] {
  const out: unknown[][] = [];
  let lastKey = '';
  let lastEst = -1;
  for (const s of trace) {
    const p = s.probes ?? {};
    const v = p.last as { layerBps: number; passed: boolean; bps: number | null; aborted?: string; agoMs: number } | undefined;
    const verdict = v
      ? `${v.passed ? 'pass' : 'fail'}${v.aborted ? `(${v.aborted})` : ''} ${Math.round(v.layerBps / 1000)}k@${v.bps === null ? '-' : Math.round(v.bps / 1000)}k`
      : null;
    const row = [
      s.layer,
      s.target ?? null,
      s.holdMs === null || s.holdMs === undefined ? null : s.holdMs / 1000,
      p.trains ?? null,
      p.passed ?? null,
      p.failed ?? null,
      p.streak ?? null,
      p.probing ?? null,
    ];
    const key = JSON.stringify([row, verdict, p.failedLastMinute ?? p.lastMinute ?? null]);
    const est = Math.round((s.est ?? 0) / 1000);
    if (key === lastKey && Math.abs(est - lastEst) <= lastEst * 0.1) continue;
    lastKey = key;
    lastEst = est;
    const wait = typeof p.waitMs === 'number' ? round(p.waitMs / 1000, 1) : null;
    const k = s.kbps;
    out.push([
      round(s.t, 1),
      row[0],
      row[1],
      est,
      ...row.slice(2),
      wait,
      p.failedLastMinute ?? p.lastMinute ?? null,
      verdict,
      k ? `${k.low ?? '-'}/${k.mid ?? '-'}/${k.high ?? '-'}` : null,
    ]);
  }
  return out;
}

/** Rows for the bench's summary table. */
export function abrRows(r: Record<string, unknown>): Array<[string, string, string]> {
  if (r.skipped || r.error) return [['abr', `– (${String(r.skipped ?? r.error)})`, '']];
  const rows: Array<[string, string, string]> = [];
  const f = (v: Record<string, unknown>) =>
    `settle ${v.settle_s ?? '–'} s, fps ${v.fps}${v.fps_ratio === undefined || v.fps_ratio === null ? '' : ` (${Math.round(Number(v.fps_ratio) * 100)}% of clean)`}, freezes ${v.freeze_count} / ${v.total_freezes_s} s (longest ${v.longest_freeze_ms} ms), layers ${JSON.stringify(v.layer_share)}, kf req ${v.keyframe_requests_per_min}/min`;
  rows.push(['abr.clean', f(r.clean as Record<string, unknown>), '']);
  rows.push([`abr.capped ${r.cap_kbps} kbit/s`, f(r.capped as Record<string, unknown>), '']);
  for (const v of (r.varying as Array<Record<string, unknown>>) ?? [])
    rows.push([
      `abr.varying ${v.cap_kbps} kbit/s`,
      `${f(v)}${v.back_on_top_s !== null && v.back_on_top_s !== undefined ? `, back on top ${v.back_on_top_s} s (for good ${v.on_top_for_good_s ?? '–'} s)` : ''}`,
      '',
    ]);
  rows.push(['abr.link origin → level 1', JSON.stringify((r.link as Record<string, unknown>)?.origin_to_level1_layer_sets), '']);
  const j = r.janus as Record<string, unknown> | undefined;
  if (!j || j.skipped || j.error || !j.clean) rows.push(['abr.janus', `– (${String(j?.skipped ?? j?.error ?? 'not run')})`, '']);
  else {
    rows.push(['abr.janus.clean', f(j.clean as Record<string, unknown>), '']);
    rows.push([`abr.janus.capped ${r.cap_kbps} kbit/s`, f(j.capped as Record<string, unknown>), '']);
    if (j.capped_mid) rows.push(['abr.janus.capped, substream 1 pinned', f(j.capped_mid as Record<string, unknown>), '']);
    for (const v of (j.varying as Array<Record<string, unknown>>) ?? []) rows.push([`abr.janus.varying ${v.cap_kbps} kbit/s`, f(v), '']);
  }
  return rows;
}

// Standalone: npx tsx scripts/bench/abr.ts [--quick] [--phase S] [--no-janus] [--out FILE]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      phase: { type: 'string' },
      'no-janus': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const started = Date.now();
  abrSection({
    quick: values.quick,
    phaseS: values.phase ? Number(values.phase) : undefined,
    janus: !values['no-janus'],
    log: (l) => console.log(`[${Math.round((Date.now() - started) / 1000)}s] ${l}`),
  }).then(
    (r) => {
      let git: string | null = null;
      try {
        git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        // not a checkout
      }
      const probes =
        (process.env.CANOPY_ABR_PROBES ? `CANOPY_ABR_PROBES=${process.env.CANOPY_ABR_PROBES} ` : '') +
        (process.env.CANOPY_ABR_ENGINE ? `CANOPY_ABR_ENGINE=${process.env.CANOPY_ABR_ENGINE} ` : '') +
        (process.env.CANOPY_ABR_PUBLISH_FEEDBACK ? `CANOPY_ABR_PUBLISH_FEEDBACK=${process.env.CANOPY_ABR_PUBLISH_FEEDBACK} ` : '');
      const out = { command: `${probes}npx tsx scripts/bench/abr.ts ${process.argv.slice(2).join(' ')}`.trim(), at: new Date().toISOString(), git, abr: r };
      console.log(JSON.stringify(out, null, 2));
      if (values.out) writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
