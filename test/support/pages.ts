/**
 * Driving the demo pages (scripts/demo/public) in Chromium for loss tests and the loss bench:
 * opening them, reading their state, and measuring what a person would see (frames decoded,
 * freezes, the longest time without a new frame).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS } from './browser.js';
import { sleep } from './wait.js';

export const CHROMIUM_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  // Headless tabs in the background must not throttle their timers or video.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Pages from http://127.0.0.1 talk to nodes on a veth address: not a Local Network Access
  // permission prompt nobody can answer.
  '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests',
];

/**
 * For a browser inside a network namespace: the page server on the host's 127.0.0.1 (and any
 * other host-only URL prefix) is fetched by playwright on the host and handed to the page, so
 * pages keep their http://127.0.0.1 origin (a secure context) without a route to the host.
 */
export async function proxyThroughHost(context: BrowserContext, prefixes: string[]): Promise<void> {
  for (const prefix of prefixes) {
    await context.route(`${prefix}/**`, async (route) => {
      try {
        await route.fulfill({ response: await route.fetch({ timeout: 30_000 }) });
      } catch {
        await route.abort().catch(() => undefined);
      }
    });
  }
}

export async function openPage(context: BrowserContext, base: string, file: string, params: Record<string, string>): Promise<Page> {
  const page = await context.newPage();
  await installStatsHook(page);
  await page.goto(`${base}/${file}?${new URLSearchParams(params)}`);
  await page.waitForFunction('window.canopy !== undefined');
  return page;
}

export interface WatchState {
  /** This browser's side of the selected ICE pair: host/udp, relay/tcp, relay/tls ('' before one is selected). */
  route?: string;
  connectionState: string;
  codec: string;
  framesDecoded: number;
  fps: number;
  nackCount: number;
  retransmittedPacketsReceived: number;
  pliCount: number;
  freezeCount: number;
  videoWidth: number;
  videoHeight: number;
  kbps: number;
  packetsReceived: number;
  packetsLost: number;
}

export interface PublishState {
  route?: string;
  connectionState: string;
  codec: string;
  kbps: number;
  framesEncoded: number;
  frameWidth: number;
  bytesSent: number;
}

export function pageState<T>(page: Page): Promise<T> {
  return page.evaluate('window.canopy.state()') as Promise<T>;
}

/** Everything inbound-rtp (video) says, plus firCount, from the page's first RTCPeerConnection in getStats order. */
export interface InboundVideo {
  framesDecoded: number;
  framesReceived: number;
  framesDropped: number;
  freezeCount: number;
  totalFreezesDuration: number;
  nackCount: number;
  pliCount: number;
  firCount: number;
  packetsLost: number;
  packetsReceived: number;
  retransmittedPacketsReceived: number;
  keyFramesDecoded: number;
}

// In-page code is passed as source text: a bundler's helpers (e.g. esbuild's __name, which
// tsx adds around named inner functions) do not exist in the page.

/**
 * Starts recording when each video frame is presented (requestVideoFrameCallback on every
 * <video>), so the longest time without a new frame can be read later (frameGaps).
 */
export async function recordFrames(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__frames = [];
    for (const v of document.querySelectorAll('video')) {
      const step = (now) => { window.__frames.push(now); v.requestVideoFrameCallback(step); };
      v.requestVideoFrameCallback(step);
    }
  })()`);
}

/** The longest interval between two presented frames since `sinceMs` (page clock), a freeze still going on included. */
export async function frameGaps(page: Page, sinceMs: number): Promise<{ longestGapMs: number; frames: number; now: number }> {
  return page.evaluate(`(() => {
    const f = (window.__frames || []).filter((t) => t >= ${Number(sinceMs)});
    let longest = 0;
    for (let i = 1; i < f.length; i++) longest = Math.max(longest, f[i] - f[i - 1]);
    const now = performance.now();
    if (f.length > 0) longest = Math.max(longest, now - f[f.length - 1]);
    return { longestGapMs: longest, frames: f.length, now };
  })()`) as Promise<{ longestGapMs: number; frames: number; now: number }>;
}

export function pageNow(page: Page): Promise<number> {
  return page.evaluate('performance.now()') as Promise<number>;
}

/** Keeps every RTCPeerConnection the page makes (watch pages keep theirs private), for getStats. */
export async function installStatsHook(page: Page): Promise<void> {
  await page.addInitScript(`(() => {
    const Orig = window.RTCPeerConnection;
    const all = [];
    window.__pcs = all;
    window.RTCPeerConnection = class extends Orig {
      constructor(config) { super(config); all.push(this); }
    };
  })()`);
}

const INBOUND_KEYS = [
  'framesDecoded',
  'framesReceived',
  'framesDropped',
  'freezeCount',
  'totalFreezesDuration',
  'nackCount',
  'pliCount',
  'firCount',
  'packetsLost',
  'packetsReceived',
  'retransmittedPacketsReceived',
  'keyFramesDecoded',
] as const;

/** Inbound video stats of the page's live RTCPeerConnection (the newest one). */
export async function inboundVideo(page: Page): Promise<InboundVideo | null> {
  return page.evaluate(`(async () => {
    const pcs = window.__pcs || [];
    for (const pc of [...pcs].reverse()) {
      if (pc.connectionState === 'closed') continue;
      for (const s of (await pc.getStats()).values()) {
        if (s.type !== 'inbound-rtp' || s.kind !== 'video') continue;
        const out = {};
        for (const k of ${JSON.stringify(INBOUND_KEYS)}) out[k] = Number(s[k] ?? 0);
        return out;
      }
    }
    return null;
  })()`) as Promise<InboundVideo | null>;
}

/** The SDP the page's live RTCPeerConnection got from its peer (to check what was negotiated). */
export async function remoteSdp(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const pc = [...(window.__pcs || [])].reverse().find((p) => p.connectionState !== 'closed');
    return pc && pc.remoteDescription ? pc.remoteDescription.sdp : '';
  })()`) as Promise<string>;
}

/**
 * One line on a demo page for a failure message: its status and error text, its newest
 * RTCPeerConnection's states and every candidate pair (state, nominated, checks sent and
 * answered, local and remote type/protocol).
 */
export async function iceReport(page: Page): Promise<string> {
  return (
    page.evaluate(`(async () => {
    const pc = [...(window.__pcs || [])].reverse()[0];
    const text = (id) => { const e = document.getElementById(id); return e && !e.hidden ? e.textContent : ''; };
    const page = 'status "' + text('status') + '" error "' + text('error') + '"; ';
    if (!pc) return page + 'no RTCPeerConnection';
    const stats = [...(await pc.getStats()).values()];
    const byId = new Map(stats.map((s) => [s.id, s]));
    const end = (id) => { const c = byId.get(id); return c ? c.candidateType + '/' + c.protocol + (c.tcpType ? '(' + c.tcpType + ')' : '') + ' ' + c.address + ':' + c.port : '?'; };
    const pairs = stats.filter((s) => s.type === 'candidate-pair').map((s) =>
      end(s.localCandidateId) + ' -> ' + end(s.remoteCandidateId) + ' ' + s.state + (s.nominated ? ' nominated' : '') +
      ' req ' + (s.requestsSent ?? 0) + ' res ' + (s.responsesReceived ?? 0) + ' inreq ' + (s.requestsReceived ?? 0));
    const transport = stats.find((s) => s.type === 'transport');
    return page + 'pc ' + pc.connectionState + ' ice ' + pc.iceConnectionState + ' gathering ' + pc.iceGatheringState +
      ' dtls ' + (transport ? transport.dtlsState : '?') + '; pairs: ' + (pairs.join('; ') || 'none');
  })()`) as Promise<string>
  ).catch((err: Error) => `no report: ${err.message}`);
}

export async function poll(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
