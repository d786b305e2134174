import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { connectLink } from '../../src/link/connect.js';
import { silentLogger } from '../../src/log.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';

// TLS on a node's listener: https:// for WHIP/WHEP, wss:// for relay links, with a CA made
// here by the openssl CLI (a self-signed deployment's situation).

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl) console.warn('TLS test skipped: no openssl CLI');

let dir = '';
let tree: Tree | null = null;

function makeCertificates(): { ca: string; cert: string; key: string } {
  dir = mkdtempSync(join(tmpdir(), 'canopy-tls-'));
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=canopy test CA',
  );
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('node.key'), '-out', f('node.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('node.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('node.pem'),
    '-days',
    '1',
    '-extfile',
    f('san.ext'),
  );
  return { ca: f('ca.pem'), cert: f('node.pem'), key: f('node.key') };
}

function httpsPost(url: string, body: string, ca?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, ca, headers: { 'Content-Type': 'application/sdp' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!hasOpenssl)('TLS', () => {
  let certs: { ca: string; cert: string; key: string };

  beforeAll(async () => {
    certs = makeCertificates();
    const tls = ['--tls-cert', certs.cert, '--tls-key', certs.key];
    tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: tls, relayFlags: ['--tls-ca', certs.ca], originFlags: ['--session-connect-timeout', '1m'] });
  }, 60_000);

  afterAll(async () => {
    await tree?.close();
    await tree?.assertEmpty();
  }, 30_000);

  it('serves https:// and wss:// on the listener, and a relay links to a wss:// parent it trusts through --tls-ca', async () => {
    const t = tree!;
    expect(t.origin.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(t.origin.linkUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/relay$/);
    expect(t.relays[0]!.level).toBe(1);
    const ca = readFileSync(certs.ca);
    expect(await httpsPost(`${t.origin.url}/whip/cam`, await makeOffer({ direction: 'SendOnly' }), ca)).toBe(201);
    // The relay pulls the stream from its parent over wss:// to answer this.
    expect(await httpsPost(`${t.relays[0]!.url}/whep/cam`, await makeOffer({ direction: 'RecvOnly' }), ca)).toBe(201);
    expect(t.origin.node.hub.get('cam')!.consumers.size).toBe(1);
    for (const v of [...t.relays[0]!.node.viewers.values()]) v.close('test done');
    for (const p of [...t.origin.publishers.values()]) p.close('test done');
  });

  it('refuses certificates it cannot verify, and plain http on the TLS port', async () => {
    const t = tree!;
    const link = (ca?: Buffer) =>
      connectLink({ url: t.origin.linkUrl, nodeId: 'x', role: 'child', secret: t.secret!, ca, maxFrameBytes: 65536, timeoutMs: 3000, logger: silentLogger() });
    await expect(link()).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, message: expect.stringMatching(/certificate/) });
    await expect(httpsPost(`${t.origin.url}/healthz`, '')).rejects.toThrow(/certificate/);
    const plain = await new Promise<number | string>((resolve) => {
      const req = plainRequest(t.origin.url.replace('https:', 'http:') + '/healthz', { agent: false }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', (e) => resolve(e.message));
      req.end();
    });
    expect(plain).not.toBe(200);
    const ok = await link(readFileSync(certs.ca));
    expect(ok.link.authenticated).toBe(true);
    ok.link.close(ErrorCode.SHUTDOWN, 'test done');
  });

  it('carries media end to end: WHIP over https, the relay link over wss, WHEP over https', async () => {
    const t = tree!;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/tlsClient.ts', `${t.origin.url}/whip/tls`, `${t.relays[0]!.url}/whep/tls`], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.ca },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await new Promise((r) => child.once('exit', r));
    const result = JSON.parse(out.trim().split('\n').pop()!) as { status?: number; video?: number; error?: string };
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(201);
    expect(result.video).toBeGreaterThanOrEqual(50);
  }, 60_000);
});
