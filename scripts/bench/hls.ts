/**
 * `npm run bench -- --only hls` (issue 22; docs/hls.md, docs/export.md):
 *  - latency: hls.js in Chromium plays /hls/cam/index.m3u8 from a level-2 relay; capture time
 *    (the origin's clock, carried as EXT-X-PROGRAM-DATE-TIME) to the player's current time;
 *    ffprobe reads the same playlist;
 *  - cache: nginx with deploy/nginx/canopy-hls-cache.conf in front of the level-2 relay, 200
 *    LL-HLS clients in 4 processes (scripts/bench/hls-client-worker.ts: blocking playlist
 *    reloads, then each new part; past 4 s behind they skip to live); requests that reached the
 *    relay per part, the clients' errors and lag, and the relay's CPU beside 200 WebRTC viewers
 *    of the same stream (scripts/bench/hls-cache.ts runs this part alone);
 *  - export: a 60 s /archive/cam.mp4 checked with ffprobe, the origin's RSS while it streams.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chromium } from 'playwright-core';
import { serveStatic, VENDOR_MOUNTS } from '../demo/static.js';
import { fixturePath } from '../../test/support/fixture.js';
import { CHROMIUM_ARGS } from '../../test/support/browser.js';
import type { HlsClientStats } from './hls-client-worker.js';
import type { ViewerPool } from './pool.js';
import { CanopyNode, freePort, HOST, Proc, PublisherWorker, ROOT, sleep } from './procs.js';
import { round, summary } from './stats.js';

export interface HlsContext {
  quick: boolean;
  pool: ViewerPool;
  log: (line: string) => void;
}

const STREAM = 'cam';
const CLIENTS = 200;
const EXPORT_S = 60;

/** Processes the 200 LL-HLS clients run in (scripts/bench/hls-client-worker.ts). */
const CLIENT_PROCS = 4;

/**
 * nginx's configuration: deploy/nginx/canopy-hls-cache.conf, the file an operator includes,
 * with this run's relay address, port and cache directory, inside a minimal nginx.conf.
 */
export function nginxConf(dir: string, port: number, upstream: number, file = join(ROOT, 'deploy/nginx/canopy-hls-cache.conf')): string {
  const site = readFileSync(file, 'utf8')
    .replace('server 127.0.0.1:8080;', `server ${HOST}:${upstream};`)
    .replace('listen 8088;', `listen ${HOST}:${port};`)
    .replace('/var/cache/nginx/canopy-hls', `${dir}/cache`);
  return `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
}

type ClientStats = HlsClientStats;

/** The clients' processes: started together, each with its share of the clients; snap() sums their counts. */
export class ClientProcs {
  private readonly procs: ChildProcess[] = [];
  private readonly done: Array<Promise<void>> = [];

  constructor(base: string, clients: number, until: number) {
    const path = join(ROOT, 'scripts/bench/hls-client-worker.ts');
    for (let i = 0; i < CLIENT_PROCS; i++) {
      const n = Math.floor(clients / CLIENT_PROCS) + (i < clients % CLIENT_PROCS ? 1 : 0);
      const env = { ...process.env, BENCH_HLS_BASE: base, BENCH_HLS_STREAM: STREAM, BENCH_HLS_CLIENTS: String(n), BENCH_HLS_UNTIL: String(until) };
      const child = fork(path, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
      this.procs.push(child);
      this.done.push(new Promise((r) => child.on('exit', () => r())));
    }
  }

  /** The clients' counts (cumulative) and samples (since the last reset; `reset` starts anew). */
  async snap(reset = false): Promise<ClientStats> {
    const all = await Promise.all(
      this.procs.map(
        (c) =>
          new Promise<ClientStats>((resolve) => {
            const on = (m: { t: string; stats: ClientStats }): void => {
              if (m.t !== 'snap') return;
              c.off('message', on);
              resolve(m.stats);
            };
            c.on('message', on);
            c.send({ t: 'snap', reset });
          }),
      ),
    );
    const sum: ClientStats = { playlists: 0, parts: 0, errors: {}, hits: 0, skipped: 0, visibleMs: [], receivedMs: [] };
    for (const x of all) {
      sum.playlists += x.playlists;
      sum.parts += x.parts;
      sum.hits += x.hits;
      sum.skipped += x.skipped;
      for (const [k, v] of Object.entries(x.errors)) sum.errors[k] = (sum.errors[k] ?? 0) + v;
      sum.visibleMs.push(...x.visibleMs);
      sum.receivedMs.push(...x.receivedMs);
    }
    return sum;
  }

  async close(): Promise<void> {
    for (const c of this.procs) c.disconnect();
    await Promise.race([Promise.all(this.done), sleep(30_000)]);
    for (const c of this.procs) if (c.exitCode === null) c.kill();
  }
}

export async function hlsSection(ctx: HlsContext): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'canopy-bench-hls-'));
  const dataDir = join(work, 'archive');
  const windowS = ctx.quick ? 15 : 30;
  let origin: CanopyNode | null = null;
  let r1: CanopyNode | null = null;
  let r2: CanopyNode | null = null;
  let publisher: PublisherWorker | null = null;
  let nginx: Proc | null = null;
  const out: Record<string, unknown> = {
    definition:
      'tree origin → relay-1 → relay-2 on 127.0.0.1, fixture h264-opus-400k.rtp (H.264 CB 640x360@30, keyframe every 1 s, + Opus) published over WHIP; latency_ms = Date.now() − hls.playingDate in Chromium (PROGRAM-DATE-TIME = the origin capture time of the segment), sampled every 0.5 s; cache: nginx with deploy/nginx/canopy-hls-cache.conf in front of relay-2, 200 LL-HLS clients in 4 processes (blocking reload of the hinted part, then each new part; more than 4 s behind: skip to live) for the window; relay_requests_per_part = part requests that reached relay-2 / parts it made; export: 60 s from the origin archive, ffprobe durations against the keyframe-aligned range',
  };
  try {
    origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: ['--data-dir', dataDir] });
    r1 = await CanopyNode.start({ id: 'relay-1', role: 'relay', parent: origin });
    r2 = await CanopyNode.start({ id: 'relay-2', role: 'relay', parent: r1 });
    publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${STREAM}`, fixture: fixturePath('h264-opus-400k.rtp') });
    const t0 = Date.now();
    await sleep(3000);

    // ---- latency in Chromium (hls.js), and ffprobe
    ctx.log(`hls: hls.js in Chromium from relay-2, ${windowS} s`);
    const site = await serveStatic({ host: HOST, port: 0, root: join(ROOT, 'scripts/demo/public'), mounts: VENDOR_MOUNTS });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`${site.url}/watch.html?${new URLSearchParams({ relay: r2.url, stream: STREAM, transport: 'hls', autostart: '1' })}`);
      type S = { framesDecoded: number; latencyMs: number | null; hlsLatencyS: number | null; hlsTargetLatencyS: number | null };
      const state = (): Promise<S> => page.evaluate(() => (window as unknown as { canopy: { state(): Promise<S> } }).canopy.state());
      const ready = Date.now() + 30_000;
      const tStart = Date.now();
      while (Date.now() < ready) {
        const s = await state().catch(() => null);
        if (s && s.framesDecoded > 15 && s.latencyMs !== null) break;
        await sleep(250);
      }
      const startupMs = Date.now() - tStart;
      await sleep(3000); // hls.js settles on its live edge
      const lat: number[] = [];
      const hlsLat: number[] = [];
      const load0 = loadavg();
      const first = await state();
      const end = Date.now() + windowS * 1000;
      while (Date.now() < end) {
        const s = await state();
        if (s.latencyMs !== null) lat.push(s.latencyMs);
        if (s.hlsLatencyS !== null) hlsLat.push(s.hlsLatencyS * 1000);
        await sleep(500);
      }
      const last = await state();
      const load1 = loadavg();
      out.latency = {
        // The machine's 1-minute load average at the start and end of the window (2 cores).
        load_average: [round(load0[0]!, 1), round(load1[0]!, 1)],
        // Frames the video element decoded during the window (a stalled player adds none).
        frames_in_window: last.framesDecoded - first.framesDecoded,
        capture_to_player_ms: { ...summary(lat, 0), min: round(Math.min(...lat), 0), max: round(Math.max(...lat), 0) },
        hlsjs_latency_ms: summary(hlsLat, 0),
        hlsjs_target_latency_ms: round((last.hlsTargetLatencyS ?? NaN) * 1000, 0),
        startup_ms: startupMs,
        frames_decoded: last.framesDecoded,
        goal_ms: 2500,
      };
      await page.close();
    } finally {
      await browser.close();
      await site.close();
    }
    const probe = spawnSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', `${r2.url}/hls/${STREAM}/index.m3u8`],
      { encoding: 'utf8', timeout: 30_000 },
    );
    out.ffprobe_playlist = {
      ok: probe.status === 0,
      streams: probe.stdout.trim().split('\n').filter(Boolean),
      stderr: probe.stderr.trim().slice(0, 300) || undefined,
    };

    // ---- nginx cache in front of relay-2, 200 clients
    const nginxDir = join(work, 'nginx');
    mkdirSync(join(nginxDir, 'logs'), { recursive: true });
    const nginxPort = await freePort();
    writeFileSync(join(nginxDir, 'nginx.conf'), nginxConf(nginxDir, nginxPort, r2.port));
    nginx = new Proc('nginx', spawn('nginx', ['-p', `${nginxDir}/`, '-c', join(nginxDir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await sleep(500);
    if (!nginx.running) throw new Error(`nginx did not start: ${nginx.lastLines()}`);
    const front = `http://${HOST}:${nginxPort}`;
    ctx.log(`hls: ${CLIENTS} LL-HLS clients through nginx, ${windowS} s`);
    const until = Date.now() + windowS * 1000 + 4000;
    const clients = new ClientProcs(front, CLIENTS, until);
    await sleep(4000); // everyone joined
    const s0 = await clients.snap(true);
    const m0 = await r2.metrics();
    const cpu0 = r2.cpu();
    const w0 = Date.now();
    const load0 = loadavg();
    await sleep(windowS * 1000);
    const wall = (Date.now() - w0) / 1000;
    const cpu = (r2.cpu() - cpu0) / wall;
    const m1 = await r2.metrics();
    const load1 = loadavg();
    const s1 = await clients.snap();
    const d = (k: string) => (m1.get(k) ?? 0) - (m0.get(k) ?? 0);
    const parts = d('canopy_hls_parts_total');
    const partReq = d('canopy_hls_requests_total{kind="part"}');
    const blocking = d('canopy_hls_requests_total{kind="blocking"}');
    await clients.close();
    const errors: Record<string, number> = {};
    for (const [k, v] of Object.entries(s1.errors)) if (v - (s0.errors[k] ?? 0) > 0) errors[k] = v - (s0.errors[k] ?? 0);
    out.cache = {
      clients: CLIENTS,
      client_processes: CLIENT_PROCS,
      window_s: round(wall, 1),
      // The machine's 1-minute load average at the start and end of the window (2 cores).
      load_average: [round(load0[0]!, 1), round(load1[0]!, 1)],
      parts_made: parts,
      relay_part_requests: partReq,
      relay_playlist_requests: blocking + d('canopy_hls_requests_total{kind="playlist"}'),
      relay_requests_per_part: round(partReq / Math.max(1, parts), 2),
      relay_playlist_requests_per_part: round((blocking + d('canopy_hls_requests_total{kind="playlist"}')) / Math.max(1, parts), 2),
      client_part_requests: s1.parts - s0.parts,
      client_playlist_requests: s1.playlists - s0.playlists,
      client_errors: errors,
      client_parts_skipped_to_live: s1.skipped - s0.skipped,
      cache_hit_share: round((s1.hits - s0.hits) / Math.max(1, s1.parts - s0.parts), 3),
      part_visible_after_capture_ms: summary(s1.visibleMs, 0),
      part_received_after_capture_ms: summary(s1.receivedMs, 0),
      relay_cpu_cores_hls_via_cache: round(cpu, 3),
      goal_requests_per_part: 1,
    };
    await nginx.stop();
    nginx = null;

    // ---- the same relay with 200 WebRTC viewers (the worker offers H.264 too)
    ctx.log(`hls: ${CLIENTS} WebRTC viewers on relay-2 for comparison, ${windowS} s`);
    const ids = await ctx.pool.add(Array.from({ length: CLIENTS }, () => ({ mode: 'whep' as const, url: r2!.whep(STREAM), tag: 'hls-compare' })));
    const joined = await ctx.pool.waitJoined(ids, 120_000);
    await sleep(3000);
    const c0 = r2.cpu();
    const x0 = Date.now();
    await sleep(windowS * 1000);
    (out.cache as Record<string, unknown>).relay_cpu_cores_200_webrtc = round((r2.cpu() - c0) / ((Date.now() - x0) / 1000), 3);
    (out.cache as Record<string, unknown>).webrtc_viewers_joined = joined.filter((j) => j.ok).length;
    await ctx.pool.close(ids);

    // ---- a 60 s export from the origin archive
    const start = t0 + 2000;
    const wait = start + EXPORT_S * 1000 + 2000 - Date.now();
    if (wait > 0) {
      ctx.log(`hls: waiting ${Math.round(wait / 1000)} s for ${EXPORT_S} s of archive`);
      await sleep(wait);
    }
    ctx.log(`hls: ${EXPORT_S} s export`);
    const file = join(work, 'export.mp4');
    const rss: number[] = [origin.rss()];
    const sampler = setInterval(() => rss.push(origin!.rss()), 100);
    const e0 = Date.now();
    const res = await fetch(`${origin.url}/archive/${STREAM}.mp4?start=${start}&duration=${EXPORT_S}`);
    const k = Number(res.headers.get('canopy-start'));
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    const took = Date.now() - e0;
    clearInterval(sampler);
    rss.push(origin.rss());
    const p = spawnSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' });
    const j = JSON.parse(p.stdout || '{}') as { format?: { duration: string }; streams?: Array<{ codec_type: string; codec_name: string; duration: string }> };
    const want = (start + EXPORT_S * 1000 - k) / 1000;
    const got = Number(j.format?.duration);
    const dur = (t: string) => Number(j.streams?.find((s) => s.codec_type === t)?.duration);
    out.export = {
      status: res.status,
      ffprobe_ok: p.status === 0,
      streams: (j.streams ?? []).map((s) => s.codec_name),
      bytes: statSync(file).size,
      expected_s: round(want, 3),
      duration_s: round(got, 3),
      duration_error_s: round(Math.abs(got - want), 3),
      video_s: round(dur('video'), 3),
      audio_s: round(dur('audio'), 3),
      av_span_diff_s: round(Math.abs(dur('video') - dur('audio')), 3),
      keyframe_before_start_ms: start - k,
      took_ms: took,
      origin_rss_mb: { before: round(rss[0]!, 1), max: round(Math.max(...rss), 1), after: round(rss[rss.length - 1]!, 1) },
    };
    return out;
  } finally {
    await nginx?.stop().catch(() => undefined);
    await publisher?.shutdown().catch(() => undefined);
    for (const n of [r2, r1, origin]) await n?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

export function hlsRows(r: Record<string, unknown>): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [];
  const f = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  const l = r.latency as { capture_to_player_ms: Record<string, number | null> } | undefined;
  if (l) rows.push(['hls.latency_ms p50/p95 (capture → hls.js)', `${f(l.capture_to_player_ms.p50)} / ${f(l.capture_to_player_ms.p95)}`, 'goal ≤ 2500']);
  const c = r.cache as Record<string, unknown> | undefined;
  if (c) {
    const v = c.part_visible_after_capture_ms as Record<string, number | null>;
    const g = c.part_received_after_capture_ms as Record<string, number | null>;
    rows.push(['hls.part listed after capture ms p50/p95 (via nginx)', `${f(v.p50)} / ${f(v.p95)}`, '']);
    rows.push(['hls.part received after capture ms p50/p95 (via nginx)', `${f(g.p50)} / ${f(g.p95)}`, '']);
    rows.push([
      'hls.cache clients: errors, parts skipped to live, load avg',
      `${JSON.stringify(c.client_errors)}, ${f(c.client_parts_skipped_to_live)}, ${f((c.load_average as number[]).join('–'))}`,
      '',
    ]);
    rows.push([
      'hls.cache relay requests per part (200 clients)',
      `${f(c.relay_requests_per_part)} parts, ${f(c.relay_playlist_requests_per_part)} playlists`,
      'goal 1',
    ]);
    rows.push(['hls.relay_cpu_cores 200 HLS via nginx / 200 WebRTC', `${f(c.relay_cpu_cores_hls_via_cache)} / ${f(c.relay_cpu_cores_200_webrtc)}`, '']);
  }
  const e = r.export as Record<string, unknown> | undefined;
  if (e)
    rows.push([
      'export 60 s: duration error s, a/v diff s',
      `${f(e.duration_error_s)}, ${f(e.av_span_diff_s)} (${f((e.streams as string[] | undefined)?.join('+'))})`,
      'goal ≤ 0.1',
    ]);
  return rows;
}
