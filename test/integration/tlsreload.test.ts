import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { selfSignedPair } from '../support/selfSigned.js';
import { afterEach, describe, expect, it } from 'vitest';
import { makeOffer } from '../support/offer.js';
import { freePort } from '../support/procs.js';
import { startTree, type Tree } from '../support/tree.js';

// Issue 17 item 5: TLS files are read once, at start (a WHIP POST used to re-read them), and
// again on SIGHUP, so an operator rotates certificates without a restart.

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dir = '';
let tree: Tree | null = null;
let child: ChildProcess | null = null;

afterEach(async () => {
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
  child = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** A self-signed pair for 127.0.0.1 under name; returns its paths and SHA-256 fingerprint. */
function makePair(name: string): { cert: string; key: string; fingerprint: string } {
  dir ||= mkdtempSync(join(tmpdir(), 'canopy-tlsreload-'));
  const { cert, key } = selfSignedPair(dir, name, name, '127.0.0.1');
  return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
}

/** Installs a pair at the paths the node was started with (as an operator's renewal would). */
function install(pair: { cert: string; key: string }, live: { cert: string; key: string }): void {
  copyFileSync(pair.cert, `${live.cert}.new`);
  copyFileSync(pair.key, `${live.key}.new`);
  renameSync(`${live.key}.new`, live.key);
  renameSync(`${live.cert}.new`, live.cert);
}

/** The fingerprint of the certificate a new TLS connection to port is shown. */
function presented(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
  });
}

function httpsPost(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, rejectUnauthorized: false, headers: { 'Content-Type': 'application/sdp' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!hasOpenssl)('TLS certificate rotation', () => {
  it('reads the files once (a WHIP POST does not touch them), and the reload hook makes new connections see the new pair', async () => {
    const a = makePair('a');
    const b = makePair('b');
    const live = { cert: join(dir, 'live.pem'), key: join(dir, 'live.key') };
    install(a, live);
    tree = await startTree({ level1: 0, level2PerLevel1: 0, flags: ['--tls-cert', live.cert, '--tls-key', live.key] });
    const port = Number(new URL(tree.origin.url).port);
    expect(await presented(port)).toBe(a.fingerprint);

    // The files are gone: a node that read them once still answers a publisher.
    rmSync(live.cert);
    rmSync(live.key);
    expect(await httpsPost(`${tree.origin.url}/whip/cam`, await makeOffer({ direction: 'SendOnly' }))).toBe(201);
    for (const p of [...tree.origin.publishers.values()]) p.close('test done');

    // A reload that cannot read the files keeps the pair in use.
    expect(() => tree!.origin.reload()).toThrow(/cannot load TLS certificate/);
    expect(await presented(port)).toBe(a.fingerprint);
    // A key that does not match the certificate is refused too.
    copyFileSync(b.cert, live.cert);
    copyFileSync(a.key, live.key);
    expect(() => tree!.origin.reload()).toThrow(/cannot load TLS certificate/);
    expect(await presented(port)).toBe(a.fingerprint);

    install(b, live);
    tree.origin.reload();
    expect(await presented(port)).toBe(b.fingerprint);
  });

  it('reloads on SIGHUP in a running origin', async () => {
    const a = makePair('a');
    const b = makePair('b');
    const live = { cert: join(dir, 'live.pem'), key: join(dir, 'live.key') };
    install(a, live);
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'origin/main.ts',
        '--id',
        'origin',
        '--listen',
        `127.0.0.1:${port}`,
        '--ice-address',
        '127.0.0.1',
        '--insecure-no-cluster-secret',
        '--log-level',
        'error',
        '--tls-cert',
        live.cert,
        '--tls-key',
        live.key,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit'] },
    );
    let first: string | null = null;
    for (const deadline = Date.now() + 20_000; first === null && Date.now() < deadline;) {
      first = await presented(port).catch(() => null);
      if (first === null) await new Promise((r) => setTimeout(r, 100));
    }
    expect(first).toBe(a.fingerprint);
    install(b, live);
    child.kill('SIGHUP');
    let now = first;
    for (const deadline = Date.now() + 10_000; now !== b.fingerprint && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
      now = await presented(port);
    }
    expect(now).toBe(b.fingerprint);
    expect(child.exitCode).toBeNull();
  }, 40_000);
});
