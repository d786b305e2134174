import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

// deploy/nginx/canopy-hls-cache.conf (docs/hls.md, "A CDN in front") in front of a stand-in for
// the relay that answers as HlsServer does: the file parses, concurrent requests for one URL
// reach the relay once (cache lock), and a part that left the window (404, public, max-age=30)
// is cached while other errors (no-store) are not.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const hasNginx = spawnSync('nginx', ['-v']).status === 0;

describe.skipIf(!hasNginx)('the shipped nginx cache for LL-HLS', () => {
  it('parses, collapses concurrent requests into one, caches gone parts and not other errors', async () => {
    const hits = new Map<string, number>();
    const relay: Server = createServer((req, res) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      const send = (status: number, cache: string, body: string): void => {
        res.writeHead(status, { 'Cache-Control': cache, 'Content-Type': 'text/plain' });
        res.end(body);
      };
      // A blocking reload held until its part exists (here 300 ms), then cacheable.
      if (req.url!.includes('_HLS_msn')) setTimeout(() => send(200, 'public, max-age=6', '#EXTM3U\n'), 300);
      else if (req.url!.endsWith('/p1.0.m4s')) send(404, 'public, max-age=30', 'part 1.0 has left the playlist window');
      else send(404, 'no-store', 'no such part');
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'canopy-nginx-'));
    const port = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const site = readFileSync(join(ROOT, 'deploy/nginx/canopy-hls-cache.conf'), 'utf8')
      .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${(relay.address() as AddressInfo).port};`)
      .replace('listen 8088;', `listen 127.0.0.1:${port};`)
      .replace('/var/cache/nginx/canopy-hls', `${dir}/cache`);
    mkdirSync(join(dir, 'logs'));
    const temps = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t === 'body' ? 'client_body' : t}_temp_path ${dir}/${t};`).join(' ');
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; master_process off; worker_processes 1; error_log ${dir}/error.log warn; pid ${dir}/nginx.pid;\nevents { worker_connections 256; }\nhttp { access_log off; ${temps}\n${site}\n}\n`,
    );
    const check = spawnSync('nginx', ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const nginx = spawn('nginx', ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    const base = `http://127.0.0.1:${port}/hls/cam/run1`;
    try {
      await waitFor(async () => (await fetch(`${base}/missing.m4s`).catch(() => null)) !== null, 5000, 50, 'nginx listening');
      // 20 players ask for the same blocking reload at once: one request reaches the relay.
      const blocking = `${base}/media.m3u8?_HLS_msn=3&_HLS_part=1`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(blocking).then((r) => r.status)));
      expect(answers.every((s) => s === 200)).toBe(true);
      expect(hits.get('/hls/cam/run1/media.m3u8?_HLS_msn=3&_HLS_part=1')).toBe(1);
      // A part gone for good: answered once by the relay, then by the cache.
      for (let i = 0; i < 5; i++) expect((await fetch(`${base}/p1.0.m4s`)).status).toBe(404);
      expect(hits.get('/hls/cam/run1/p1.0.m4s')).toBe(1);
      // Other errors are no-store: each one reaches the relay.
      const before = hits.get('/hls/cam/run1/missing.m4s') ?? 0;
      for (let i = 0; i < 3; i++) await fetch(`${base}/missing.m4s`);
      expect(hits.get('/hls/cam/run1/missing.m4s')).toBe(before + 3);
    } finally {
      nginx.kill();
      await new Promise((r) => nginx.once('exit', r));
      await new Promise((r) => relay.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
