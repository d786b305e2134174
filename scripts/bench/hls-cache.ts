/**
 * The cache section of `npm run bench -- --only hls` alone (no Chromium, no WebRTC viewers, no
 * export), for diagnosing the CDN figure: origin → relay-1 → relay-2, the H.264 fixture, nginx
 * with deploy/nginx/canopy-hls-cache.conf (or ALT_SITE=file) in front of relay-2, CLIENTS
 * (200) LL-HLS clients for WINDOW (30) seconds. ACCESS_LOG=1 keeps nginx's access log with
 * $upstream_cache_status and the upstream's status and time (its path is printed).
 *
 *   npx tsx scripts/bench/hls-cache.ts
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../test/support/fixture.js';
import { CanopyNode, freePort, HOST, Proc, PublisherWorker, sleep } from './procs.js';
import { nginxConf, ClientProcs } from './hls.js';
const CLIENTS = Number(process.env.CLIENTS ?? 200);
const windowS = Number(process.env.WINDOW ?? 30);
const work = mkdtempSync(join(tmpdir(), 'diag-hls-'));
console.log('work', work, 'load', loadavg());
const origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: [] });
const r1 = await CanopyNode.start({ id: 'relay-1', role: 'relay', parent: origin });
const r2 = await CanopyNode.start({ id: 'relay-2', role: 'relay', parent: r1 });
const publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/cam`, fixture: fixturePath('h264-opus-400k.rtp') });
await sleep(3000);
const nginxDir = join(work, 'nginx');
mkdirSync(join(nginxDir, 'logs'), { recursive: true });
const nginxPort = await freePort();
let conf = process.env.ALT_SITE ? nginxConf(nginxDir, nginxPort, r2.port, process.env.ALT_SITE) : nginxConf(nginxDir, nginxPort, r2.port);
if (process.env.ACCESS_LOG)
  conf = conf.replace(
    'access_log off;',
    `log_format d '$msec $status $upstream_cache_status $upstream_status $request_time $upstream_response_time "$request_uri"';\n  access_log ${nginxDir}/access.log d;`,
  );
writeFileSync(join(nginxDir, 'nginx.conf'), conf);
const nginx = new Proc('nginx', spawn('nginx', ['-p', `${nginxDir}/`, '-c', join(nginxDir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] }));
await sleep(500);
console.log('nginx running', nginx.running);
const front = `http://${HOST}:${nginxPort}`;
const until = Date.now() + windowS * 1000 + 4000;
const clients = new ClientProcs(front, CLIENTS, until);
await sleep(4000);
const s0 = await clients.snap(true);
const m0 = await r2.metrics();
await sleep(windowS * 1000);
const m1 = await r2.metrics();
const s1 = await clients.snap();
const d = (k: string) => (m1.get(k) ?? 0) - (m0.get(k) ?? 0);
const pct = (a: number[], q: number) => {
  const b = [...a].sort((x, y) => x - y);
  return b[Math.floor(b.length * q)];
};
console.log(
  JSON.stringify({
    parts: d('canopy_hls_parts_total'),
    partReq: d('canopy_hls_requests_total{kind="part"}'),
    blocking: d('canopy_hls_requests_total{kind="blocking"}'),
    playlist: d('canopy_hls_requests_total{kind="playlist"}'),
    clientParts: s1.parts - s0.parts,
    playlists: s1.playlists - s0.playlists,
    errors: s1.errors,
    e0: s0.errors,
    skipped: s1.skipped - s0.skipped,
    hits: s1.hits - s0.hits,
    visP50: pct(s1.visibleMs, 0.5),
    visP95: pct(s1.visibleMs, 0.95),
    recvP50: pct(s1.receivedMs, 0.5),
    recvP95: pct(s1.receivedMs, 0.95),
    load: loadavg(),
  }),
);
await clients.close();
await nginx.stop();
await publisher.shutdown();
for (const n of [r2, r1, origin]) await n.stop();
if (process.env.ACCESS_LOG) console.log('nginx access log', join(nginxDir, 'access.log'));
else rmSync(work, { recursive: true, force: true });
