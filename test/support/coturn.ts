/**
 * A real coturn (Debian's /usr/bin/turnserver) for tests and the reach bench: its own config
 * with a generated shared secret (use-auth-secret, as deploy/ sets it up), TURN over UDP and
 * TCP on `port`, TURN over TLS on `tlsPort` with a self-signed certificate made by openssl.
 *
 *   const turn = await startCoturn({ address: '10.77.71.3' });
 *   // --turn-url turn:10.77.71.3:3478?transport=tcp --turn-secret turn.secret
 *   await turn.close();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedPair } from './selfSigned.js';

export const TURNSERVER = '/usr/bin/turnserver';

export function coturnUnavailable(): string | null {
  if (!existsSync(TURNSERVER)) return 'needs coturn (apt-get install coturn)';
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
  } catch {
    return 'needs openssl';
  }
  return null;
}

export interface Coturn {
  readonly address: string;
  readonly port: number;
  readonly tlsPort: number;
  readonly secret: string;
  /** The --turn-url values for this server: UDP, TCP and TLS. */
  readonly urls: { udp: string; tcp: string; tls: string };
  /** What coturn logged (allocations, errors), for a failing test's message. */
  log(): string;
  close(): Promise<void>;
}

export async function startCoturn(opts: { address: string; port?: number; tlsPort?: number; relayPorts?: [number, number] }): Promise<Coturn> {
  const port = opts.port ?? 3478;
  const tlsPort = opts.tlsPort ?? 5349;
  const [minPort, maxPort] = opts.relayPorts ?? [49152, 49407];
  const dir = mkdtempSync(join(tmpdir(), 'canopy-coturn-'));
  const secret = randomBytes(24).toString('hex');
  const { cert, key } = selfSignedPair(dir, 'cert', 'turn.canopy.test', opts.address);
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(
    conf,
    [
      `listening-ip=${opts.address}`,
      `relay-ip=${opts.address}`,
      `listening-port=${port}`,
      `tls-listening-port=${tlsPort}`,
      `min-port=${minPort}`,
      `max-port=${maxPort}`,
      // The same scheme as production (deploy/): short-lived credentials signed with the secret.
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      'realm=canopy.test',
      `cert=${cert}`,
      `pkey=${key}`,
      'fingerprint',
      'no-cli',
      'no-dtls',
      'no-multicast-peers',
      'simple-log',
      'verbose',
      'log-file=stdout',
      `pidfile=${join(dir, 'turnserver.pid')}`,
      `userdb=${join(dir, 'turndb')}`,
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn(TURNSERVER, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-200_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready once both TCP listeners accept.
  const deadline = Date.now() + 10_000;
  for (const p of [port, tlsPort]) {
    for (;;) {
      if (proc.exitCode !== null) {
        await close();
        throw new Error(`turnserver exited: ${output.slice(-2000)}`);
      }
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect({ host: opts.address, port: p }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) break;
      if (Date.now() > deadline) {
        await close();
        throw new Error(`turnserver did not listen on ${opts.address}:${p}: ${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    address: opts.address,
    port,
    tlsPort,
    secret,
    urls: {
      udp: `turn:${opts.address}:${port}?transport=udp`,
      tcp: `turn:${opts.address}:${port}?transport=tcp`,
      tls: `turns:${opts.address}:${tlsPort}?transport=tcp`,
    },
    log: () => output,
    close,
  };
}
