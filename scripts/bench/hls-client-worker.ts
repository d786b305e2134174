/**
 * LL-HLS clients for `npm run bench -- --only hls` (scripts/bench/hls.ts), in a process of their
 * own: BENCH_HLS_CLIENTS clients of BENCH_HLS_BASE/hls/{BENCH_HLS_STREAM}/index.m3u8 until
 * BENCH_HLS_UNTIL (epoch ms). The parent asks for the counts with {t:'snap'}.
 *
 * Each client plays like a low-latency player: a blocking reload for the hinted part, then
 * every part it has not fetched, one at a time. Like hls.js (liveMaxLatencyDuration), a client
 * more than MAX_BEHIND_S behind the newest part it knows of skips to the live edge instead of
 * fetching everything it missed (`skipped`).
 * node:http with a keep-alive agent, not fetch: 200 clients make ~2,000 requests a second, and
 * fetch's per-request cost made the clients themselves fall behind on a loaded machine
 * (the figure then measured the clients, not the cache).
 */
import { Agent, get } from 'node:http';

const BASE = process.env.BENCH_HLS_BASE!;
const STREAM = process.env.BENCH_HLS_STREAM ?? 'cam';
const CLIENTS = Number(process.env.BENCH_HLS_CLIENTS ?? 50);
const UNTIL = Number(process.env.BENCH_HLS_UNTIL);
const SPREAD_MS = Number(process.env.BENCH_HLS_SPREAD_MS ?? 2000);
/** hls.js liveMaxLatencyDuration as the demo's watch page sets it (docs/hls.md); BENCH_HLS_MAX_BEHIND_S=inf: never skip. */
const MAX_BEHIND_S = Number(process.env.BENCH_HLS_MAX_BEHIND_S ?? 4);
/** Diagnosis only: a pause before each part request, to make slow clients on purpose. */
const PART_DELAY_MS = Number(process.env.BENCH_HLS_PART_DELAY_MS ?? 0);

export interface HlsClientStats {
  playlists: number;
  parts: number;
  /** Answers other than 200, by status ('0': the request failed). */
  errors: Record<string, number>;
  /** Part answers nginx served from its cache (X-Cache-Status HIT). */
  hits: number;
  /** Parts a client skipped to get back to the live edge. */
  skipped: number;
  /** When the playlist listing a part arrived − the capture time of the part's end (ms). */
  visibleMs: number[];
  /** When the part's bytes arrived − the capture time of its end (ms). */
  receivedMs: number[];
}

const stats: HlsClientStats = { playlists: 0, parts: 0, errors: {}, hits: 0, skipped: 0, visibleMs: [], receivedMs: [] };
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function fetchText(url: string): Promise<{ status: number; body: Buffer; cache: string }> {
  return new Promise((resolve) => {
    const req = get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), cache: String(res.headers['x-cache-status'] ?? '') }));
      res.on('error', () => resolve({ status: 0, body: Buffer.alloc(0), cache: '' }));
    });
    req.setTimeout(20_000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0), cache: '' }));
  });
}

function error(status: number): void {
  stats.errors[status] = (stats.errors[status] ?? 0) + 1;
}

/** Each part's URI and end on the capture clock (PROGRAM-DATE-TIME + the durations before it), in order. */
function partsOf(text: string): Array<{ uri: string; end: number }> {
  const out: Array<{ uri: string; end: number }> = [];
  let t = NaN;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) t = Date.parse(line.slice(25));
    const m = /^#EXT-X-PART:DURATION=([\d.]+),URI="([^"]+)"/.exec(line);
    if (m) {
      t += Number(m[1]) * 1000;
      out.push({ uri: m[2]!, end: t });
    }
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function client(): Promise<void> {
  const indexUrl = `${BASE}/hls/${STREAM}/index.m3u8`;
  const index = await fetchText(indexUrl);
  if (index.status !== 200) return error(index.status);
  const variant = index.body
    .toString()
    .split('\n')
    .find((l) => l && !l.startsWith('#'));
  if (!variant) return;
  const media = new URL(variant, indexUrl).href;
  let r = await fetchText(media);
  const seen = new Set<string>();
  let first = true;
  while (Date.now() < UNTIL) {
    if (r.status !== 200) {
      error(r.status);
      await sleep(200);
      r = await fetchText(media);
      continue;
    }
    const text = r.body.toString();
    const listedAt = Date.now();
    const parts = partsOf(text);
    const edge = parts.at(-1)?.end ?? NaN;
    for (const p of parts) {
      if (seen.has(p.uri)) continue;
      seen.add(p.uri);
      if (first) continue; // join at the live edge: parts already listed at the start are history
      if (Number.isFinite(p.end)) stats.visibleMs.push(listedAt - p.end);
      if (edge - p.end > MAX_BEHIND_S * 1000) {
        stats.skipped++;
        continue;
      }
      if (PART_DELAY_MS > 0) await sleep(PART_DELAY_MS);
      const x = await fetchText(new URL(p.uri, media).href);
      stats.parts++;
      if (x.status !== 200) error(x.status);
      else if (Number.isFinite(p.end)) stats.receivedMs.push(Date.now() - p.end);
      if (x.cache === 'HIT') stats.hits++;
    }
    first = false;
    const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(?:[^"]*\/)?p(\d+)\.(\d+)\.m4s"/.exec(text);
    if (!hint) break;
    r = await fetchText(`${media}${media.includes('?') ? '&' : '?'}_HLS_msn=${hint[1]}&_HLS_part=${hint[2]}`);
    stats.playlists++;
  }
}

process.on('message', (m: { t: string; reset?: boolean }) => {
  if (m.t !== 'snap' || !process.connected) return;
  process.send?.({ t: 'snap', stats });
  // The window starts: its samples are those taken from now on (the counters stay cumulative).
  if (m.reset) {
    stats.visibleMs = [];
    stats.receivedMs = [];
  }
});
// The parent disconnects once it has its last snapshot: the clients stop there.
process.on('disconnect', () => process.exit(0));
process.send?.({ t: 'ready' });
await Promise.allSettled(Array.from({ length: CLIENTS }, (_, i) => sleep((i * SPREAD_MS) / CLIENTS).then(client)));
if (process.connected) process.send?.({ t: 'done', stats });
