/**
 * How fast a Chromium publisher's bit rate reaches its target at the origin (issue 20:
 * "publishers get transport-cc feedback (or an honest REMB), so that their layers reach their
 * targets within a few seconds"), with transport-cc (the default) and with REMB only
 * (`--no-publish-transport-cc`, the origin before docs/abr.md "Publishers: transport-cc").
 *
 *   flock /tmp/canopy-netns.lock npx tsx scripts/bench/pubramp.ts [--runs N] [--seconds S] [--out FILE]
 *
 * Each run: a fresh origin (node-datachannel, as for every WHIP publisher) and a fresh Chromium
 * page publishing the fake camera (1280x720, video only) over WHIP, in one of two shapes:
 *  - simulcast: the abr bench's layers (q ÷4 ≤ 120 kbit/s, h ÷2 ≤ 400 kbit/s, f ≤ 1.2 Mbit/s);
 *  - single: one encoding, no maxBitrate (the issue's "33 s to 1280×720").
 * Sampled every 250 ms from the answer (just after the WHIP 201): the origin's per-layer rate
 * (PublisherSession.simulcastState, a 1 s average; for single, bytes of the stream's packets
 * over 1 s), Chromium's outbound-rtp per rid (frameWidth, targetBitrate) and its candidate
 * pair's availableOutgoingBitrate. Modes alternate run by run (remb, twcc, remb, ...).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from '../demo/static.js';
import { CHROMIUM_ARGS } from '../../test/support/pages.js';
import { ISSUE_LAYERS, publishSimulcastPage } from '../../test/support/simulcastPage.js';
import { startTree } from '../../test/support/tree.js';

const PUBLIC_DIR = fileURLToPath(new URL('../demo/public/', import.meta.url));
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '30' },
    out: { type: 'string' },
    shapes: { type: 'string', default: 'simulcast,single' },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
type Mode = 'remb' | 'twcc';
type Shape = 'simulcast' | 'single';

interface Sample {
  t: number;
  /** Origin-measured kbit/s per rid ('' for single). */
  origin: Record<string, number>;
  /** Chromium per rid: frame width, encoder target (kbit/s), bytes sent (outbound-rtp). */
  chromium: Record<string, { width: number; targetKbps: number; bytesSent: number }>;
  /** Chromium's sent rate per rid over the last second (kbit/s), from bytesSent. */
  sentKbps: Record<string, number>;
  availableKbps: number;
}

async function chromiumStats(page: Page): Promise<{ layers: Sample['chromium']; availableKbps: number }> {
  return page.evaluate(`(async () => {
    const layers = {};
    let availableKbps = 0;
    (await window.__pub.getStats()).forEach((r) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video')
        layers[r.rid ? String(r.rid) : ''] = { width: Number(r.frameWidth || 0), targetKbps: Math.round(Number(r.targetBitrate || 0) / 1000), bytesSent: Number(r.bytesSent || 0) };
      if (r.type === 'candidate-pair' && r.nominated && r.availableOutgoingBitrate) availableKbps = Math.round(r.availableOutgoingBitrate / 1000);
    });
    return { layers, availableKbps };
  })()`) as Promise<{ layers: Sample['chromium']; availableKbps: number }>;
}

const first = (samples: Sample[], ok: (s: Sample) => boolean): number | null => samples.find(ok)?.t ?? null;

async function run(browser: Browser, base: string, mode: Mode, shape: Shape): Promise<Record<string, unknown>> {
  const tree = await startTree({ level1: 0, level2PerLevel1: 0, flags: ['--engine', 'ndc', ...(mode === 'remb' ? ['--no-publish-transport-cc'] : [])] });
  const context = await browser.newContext();
  const load = [loadavg()[0]!];
  try {
    const page = await context.newPage();
    await page.goto(`${base}/publish.html`);
    const stream = `ramp-${mode}`;
    const answer = await publishSimulcastPage(page, `${tree.origin.node.url}/whip/${stream}`, shape === 'simulcast' ? ISSUE_LAYERS : null);
    const t0 = Date.now();
    const negotiated = /transport-wide-cc/.test(answer);
    const session = tree.origin.whip.publishers.get(stream);
    const samples: Sample[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, 250));
      const t = (Date.now() - t0) / 1000;
      const origin: Record<string, number> = {};
      for (const l of session?.simulcastState()[0]?.layers ?? []) origin[l.rid] = Math.round(l.bps / 1000);
      const c = await chromiumStats(page);
      const before = samples.find((x) => x.t >= t - 1.01);
      const sentKbps: Record<string, number> = {};
      for (const [rid, l] of Object.entries(c.layers)) {
        const b = before?.chromium[rid];
        sentKbps[rid] = b && t > before!.t ? Math.round(((l.bytesSent - b.bytesSent) * 8) / (t - before!.t) / 1000) : 0;
      }
      samples.push({ t, origin, chromium: c.layers, sentKbps, availableKbps: c.availableKbps });
    }
    load.push(loadavg()[0]!);
    const top = shape === 'simulcast' ? 'f' : '';
    const r = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
    const last = samples[samples.length - 1]!;
    return {
      mode,
      shape,
      transport_cc_negotiated: negotiated,
      feedback_sent: session?.transportCcState()?.feedbackSent ?? 0,
      load: load.map((l) => Math.round(l * 10) / 10),
      // Seconds after the answer was applied (the WHIP 201 plus setRemoteDescription).
      top_900k_at_origin_s: shape === 'simulcast' ? r(first(samples, (s) => (s.origin[top] ?? 0) >= 900)) : null,
      top_900k_sent_s: r(first(samples, (s) => (s.sentKbps[top] ?? 0) >= 900)),
      top_1500k_sent_s: r(first(samples, (s) => (s.sentKbps[top] ?? 0) >= 1500)),
      top_target_95pct_s: r(first(samples, (s) => (s.chromium[top]?.targetKbps ?? 0) >= (shape === 'simulcast' ? 1140 : 2000))),
      top_width_1280_s: r(first(samples, (s) => (s.chromium[top]?.width ?? 0) >= 1280)),
      available_over_1720k_s: r(first(samples, (s) => s.availableKbps >= 1720)),
      at_5s: samples.find((s) => s.t >= 5),
      at_10s: samples.find((s) => s.t >= 10),
      end: last,
      // Every second: [t, origin kbit/s, sent kbit/s, Chromium's target kbit/s, width, available kbit/s] of the top layer.
      trace_top: samples
        .filter((_, i) => i % 4 === 3)
        .map((s) => [
          Math.round(s.t),
          s.origin[top] ?? 0,
          s.sentKbps[top] ?? 0,
          s.chromium[top]?.targetKbps ?? 0,
          s.chromium[top]?.width ?? 0,
          s.availableKbps,
        ]),
    };
  } finally {
    await context.close();
    await tree.close();
  }
}

async function main(): Promise<void> {
  const pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const results: Array<Record<string, unknown>> = [];
  try {
    for (const shape of String(args.shapes).split(',') as Shape[]) {
      for (let i = 0; i < RUNS; i++) {
        for (const mode of ['remb', 'twcc'] as Mode[]) {
          const res = await run(browser, pages.url, mode, shape);
          results.push(res);
          const { trace_top: _t, at_5s: _a, at_10s: _b, end: _e, ...brief } = res;
          console.log(JSON.stringify(brief));
        }
      }
    }
  } finally {
    await browser.close();
    await pages.close();
  }
  if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 1));
}

await main();
