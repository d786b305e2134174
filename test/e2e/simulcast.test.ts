import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../scripts/demo/static.js';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../support/browser.js';
import { startTree } from '../support/tree.js';
import { nativeAvailable } from '../support/nativeTest.js';

// Chromium publishes three simulcast layers (RTCRtpSendParameters.encodings with rids) over
// WHIP; the origin must answer with the simulcast and receive every layer (docs/abr.md).

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));
let browser: Browser;
let pages: StaticServer;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

/** Publishes from the page; returns the answer SDP. Encodings low to high, as LiveKit and OBS list them. */
async function publish(page: Page, whip: string, audio: boolean): Promise<string> {
  return page.evaluate(
    async ({ whip, audio }) => {
      const s = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio });
      const pc = new RTCPeerConnection();
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
      if (audio) pc.addTransceiver(s.getAudioTracks()[0]!, { direction: 'sendonly' });
      pc.addTransceiver(s.getVideoTracks()[0]!, {
        direction: 'sendonly',
        sendEncodings: [
          { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
          { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
          { rid: 'f', maxBitrate: 1_500_000 },
        ],
      });
      await pc.setLocalDescription(await pc.createOffer());
      const res = await fetch(whip, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
      if (res.status !== 201) throw new Error(`WHIP ${res.status}: ${await res.text()}`);
      const answer = await res.text();
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      return answer;
    },
    { whip, audio },
  );
}

/** What Chromium says it sends per rid (outbound-rtp). */
async function sent(page: Page): Promise<Array<{ rid: string; ssrc: number; frameWidth: number; packetsSent: number }>> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    const out: Array<{ rid: string; ssrc: number; frameWidth: number; packetsSent: number }> = [];
    (await pc.getStats()).forEach((r: Record<string, unknown>) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video')
        out.push({ rid: String(r.rid), ssrc: Number(r.ssrc), frameWidth: Number(r.frameWidth ?? 0), packetsSent: Number(r.packetsSent) });
    });
    return out;
  });
}

// libdatachannel 0.24.5 routes the layers' unsignalled SSRCs to a track only when the
// connection has one track (docs/abr.md, "Audio beside simulcast"): with audio beside them the
// origin gives the publisher to the native engine, which routes by payload type, with the
// default flags.
const nativePublisher = nativeAvailable().ok;
describe.each([
  ['video only', false],
  ['audio and video', true],
] as const)('a Chromium simulcast publish (%s)', (_name, audio) => {
  it.skipIf(audio && !nativePublisher)(
    'gets an answer with the simulcast, and the origin receives three layers',
    async () => {
      const tree = await startTree({ level1: 0, level2PerLevel1: 0 });
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${pages.url}/publish.html`);
        const stream = `sim-${audio ? 'av' : 'v'}`;
        const answer = await publish(page, `${tree.origin.node.url}/whip/${stream}`, audio);
        expect(answer).toMatch(/^a=simulcast:recv q;h;f\r?$/m);
        expect(answer).toMatch(/^a=rid:f recv\r?$/m);
        expect(answer).toMatch(/^a=extmap:\d+ urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r?$/m);

        const deadline = Date.now() + 20_000;
        let st = tree.origin.whip.publishers.get(stream)?.simulcastState()[0];
        while (Date.now() < deadline) {
          st = tree.origin.whip.publishers.get(stream)?.simulcastState()[0];
          if (st && st.layers.every((l) => l.packets > 50 && l.ssrc >= 0)) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const browserSide = await sent(page);
        if (process.env.CANOPY_SIMULCAST_FIGURES) console.log(JSON.stringify({ origin: st, chromium: browserSide }));
        const detail = JSON.stringify({ origin: st, chromium: browserSide });
        expect(st, detail).toBeDefined();
        expect(st!.layers.map((l) => l.rid)).toEqual(['q', 'h', 'f']);
        for (const l of st!.layers) expect(l.packets, detail).toBeGreaterThan(50);
        // Three distinct media SSRCs, each the one Chromium reports for that rid.
        expect(new Set(st!.layers.map((l) => l.ssrc)).size).toBe(3);
        for (const l of st!.layers) expect(browserSide.find((b) => b.rid === l.rid)?.ssrc, detail).toBe(l.ssrc);
        // Each layer is a track of its own in the stream, best first (docs/abr.md).
        const tracks = tree.origin.node.hub.get(stream)?.info?.tracks ?? [];
        if (audio) expect(tracks.filter((t) => t.kind === 'audio' && !t.layer)).toHaveLength(1);
        const layers = tracks.filter((t) => t.layer).map((t) => [t.layer!.rid, t.layer!.quality]);
        expect(layers).toEqual([
          ['f', 'high'],
          ['h', 'mid'],
          ['q', 'low'],
        ]);
        if (process.env.CANOPY_SIMULCAST_FIGURES) {
          // After 20 s more: where the publisher's encoder settled on each layer.
          await new Promise((r) => setTimeout(r, 20_000));
          const later = tree.origin.whip.publishers.get(stream)?.simulcastState()[0];
          console.log(JSON.stringify({ after20s: later, chromium: await sent(page) }));
        }
      } finally {
        await context.close();
        await tree.close();
      }
      await tree.assertEmpty();
    },
    60_000,
  );
});

/** A WHEP viewer in the page (video only); getStats's inbound-rtp video says what it decodes. */
async function watch(page: Page, whep: string): Promise<string> {
  return page.evaluate(async (whep) => {
    const pc = new RTCPeerConnection();
    (window as unknown as { viewer: RTCPeerConnection }).viewer = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch(whep, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
    if (res.status !== 201) throw new Error(`WHEP ${res.status}: ${await res.text()}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    return new URL(res.headers.get('location')!, whep).toString();
  }, whep);
}

interface Received {
  frameWidth: number;
  framesDecoded: number;
  freezeCount: number;
  totalFreezesDuration: number;
  ssrc: number;
}

async function received(page: Page): Promise<Received | null> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { viewer: RTCPeerConnection }).viewer;
    let out: Received | null = null;
    (await pc.getStats()).forEach((r: Record<string, unknown>) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video')
        out = {
          frameWidth: Number(r.frameWidth ?? 0),
          framesDecoded: Number(r.framesDecoded ?? 0),
          freezeCount: Number(r.freezeCount ?? 0),
          totalFreezesDuration: Number(r.totalFreezesDuration ?? 0),
          ssrc: Number(r.ssrc),
        };
    });
    return out;
  });
}

describe('Chromium simulcast through a two-level tree', () => {
  it('gives a level-2 viewer pinned to low the low layer, and a pinned switch to high lands without a freeze', async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--idle-close-after', '500ms'] });
    const context = await browser.newContext();
    try {
      const pub = await context.newPage();
      await pub.goto(`${pages.url}/publish.html`);
      await publish(pub, `${tree.origin.node.url}/whip/simtree`, false);
      const leaf = tree.relays.find((r) => r.level === 2)!;
      const view = await context.newPage();
      await view.goto(`${pages.url}/publish.html`);
      const session = await watch(view, `${leaf.node.url}/whep/simtree?layer=low`);
      let st: Received | null = null;
      const until = async (ok: (r: Received) => boolean, ms: number): Promise<Received> => {
        const deadline = Date.now() + ms;
        while (Date.now() < deadline) {
          st = await received(view);
          if (st && ok(st)) return st;
          await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`not reached: ${JSON.stringify(st)}`);
      };
      const low = await until((r) => r.framesDecoded > 30 && r.frameWidth > 0, 20_000);
      // q is the camera's 1280 divided by 4.
      expect(low.frameWidth).toBeLessThanOrEqual(320);
      const link = (): string => [...tree.origin.node.downlinks].flatMap((d) => d.layerState().map((l) => l.layers.join('+'))).join(',');
      expect(link()).toBe('low');

      // A baseline on the low layer (the machine may be loaded: freezes happen without a switch too).
      await new Promise((r) => setTimeout(r, 3000));
      const pre = await until(() => true, 1000);
      const r = await fetch(session, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ layer: 'high' }) });
      expect(r.status).toBe(200);
      // Sampled every 100 ms: the freeze Chromium records when the first high frame renders
      // (a freeze is counted when the frame that ends it arrives) is the switch's.
      let last = pre;
      let high: Received | null = null;
      const deadline = Date.now() + 20_000;
      while (!high && Date.now() < deadline) {
        const x = await received(view);
        if (x && x.frameWidth > 640) high = x;
        else if (x) last = x;
        await new Promise((r) => setTimeout(r, 100));
      }
      const later = await until((x) => x.framesDecoded > (high?.framesDecoded ?? 0) + 30, 10_000);
      const figures = JSON.stringify({ low, pre, last, high, later, link: link() });
      if (process.env.CANOPY_SIMULCAST_FIGURES) console.log(figures);
      expect(high, figures).not.toBeNull();
      // One SSRC towards the viewer, and no freeze at the switch (Chromium counts a freeze from
      // 150 ms or three frame durations).
      expect(high!.ssrc).toBe(low.ssrc);
      expect(high!.freezeCount - last.freezeCount, figures).toBe(0);
      await new Promise((r) => setTimeout(r, 1500));
      expect(link()).toBe('high');
    } finally {
      await context.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});
