import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { parseOrigins, SECRET_KEYS } from '../src/auth/options.js';
import { envName, toArgv } from '../src/config.js';
import { CanopyError, ErrorCode } from '../src/errors.js';
import { AdminGate } from '../src/http/admin.js';
import { HttpRouter } from '../src/http/HttpRouter.js';
import { redirectPath, sendJson, sendText } from '../src/http/http.js';
import { endUpgrade, HttpServer } from '../src/http/HttpServer.js';
import type { Logger } from '../src/log.js';
import { nodeSecurity } from '../src/node/engineFromConfig.js';
import type { TlsIdentity } from '../src/http/TlsIdentity.js';
import type { DrainOutcome } from '../src/node/DrainGate.js';
import { serveNodePage } from '../src/node/nodePage.js';
import { relayOptions, type RelayConfig } from './config.js';

interface Worker {
  id: string;
  proc: ChildProcess;
  url: string | null;
  viewers: number;
  /**
   * When viewers were sent there that its last state may not count yet (spreads a burst
   * evenly). A redirect is dropped only by a state asked for over FOLLOW_MS after it: a state
   * asked for sooner may have been read before the client's POST reached the worker.
   */
  sentAt: number[];
  state: Record<string, unknown> | null;
}

const POLL_MS = 1000;
/** Time for a client to follow a 307 to its worker and be counted there (counted twice meanwhile: the safe side). */
const FOLLOW_MS = 1000;
/** Redirects remembered per worker between its state polls. */
const MAX_SENT_TRACKED = 4096;
const START_TIMEOUT_MS = 30_000;

/**
 * Runs a relay as several processes on one host, so fan-out uses every core: N worker relays,
 * all children of the same parent, find each other as siblings on loopback multicast (so one
 * copy of a stream enters the host), and this front redirects each WHEP viewer (RFC 9725 §4.6,
 * 307) to the least loaded worker, and child relays' links to the first worker. A viewer's
 * Bearer token rides along in the redirect URL (access_token): browsers drop Authorization
 * when they follow a redirect to another origin, and each worker is one.
 */
export interface RelayClusterEvents {
  close: [reason: string];
}

export class RelayCluster extends EventEmitter<RelayClusterEvents> {
  readonly workers: Worker[] = [];
  readonly http: HttpServer;
  private poll: NodeJS.Timeout | null = null;
  private redirects = 0;
  private readonly router: HttpRouter;
  private readonly log: Logger;
  /** Set once drain() began: the front refuses new viewers and links, the workers drain. */
  private drainingSince: number | null = null;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  private readonly tls: TlsIdentity | null;

  constructor(
    readonly config: RelayConfig,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ node: config.id, component: 'cluster' });
    const sec = nodeSecurity(config);
    this.tls = sec.tls ?? null;
    // The front serves its merged /api/state on its public listener (behind the admin gate);
    // the workers serve theirs on their own listeners, to this front on loopback.
    this.router = new HttpRouter({
      logger: this.log,
      cors: parseOrigins(config.corsOrigins),
      admin: new AdminGate({ token: sec.adminToken, separateListener: false, corsOrigins: sec.adminCorsOrigins }),
      health: () =>
        this.drainingSince !== null
          ? { ok: false, draining: true, sinceMs: this.drainingSince, workers: this.workers.length }
          : { ok: this.workers.every((w) => w.url) && !this.closed, workers: this.workers.length },
    });
    this.router.addAdminRoutes((req, res, path) => {
      if (path.length === 2 && path[0] === 'api' && path[1] === 'state' && req.method === 'GET') sendJson(res, 200, this.state());
      else sendText(res, 404, 'not found (metrics live on the workers)');
      return true;
    });
    this.router.addRoutes((req, res, path, url) => this.route(req, res, path, url));
    this.http = new HttpServer({
      listen: config.listen,
      tls: sec.tls,
      handle: (req, res, listener) => void this.router.handle(req, res, listener),
      // A child relay's link goes to the first worker that is up.
      upgrades: {
        '/relay': (req, socket) => {
          const to = this.target(
            req,
            this.workers.find((x) => x.url)!,
          );
          endUpgrade(socket, '307 Temporary Redirect', { Location: `${to.replace(/^http/, 'ws')}/relay` });
        },
      },
      refuseUpgrades: () => this.drainingSince !== null || !this.workers.some((x) => x.url),
    });
  }

  async listen(): Promise<void> {
    // Built (dist/relay/RelayCluster.js): fork the compiled main.js with plain node. From
    // source (tsx, vitest): fork main.ts through tsx's loader.
    const fromSource = import.meta.url.endsWith('.ts');
    const main = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', import.meta.url));
    // Secrets go to the workers in their environment, never on their command line (ps).
    const secretEnv: Record<string, string> = {};
    const skip: string[] = [
      'id',
      'listen',
      'pipeListen',
      'workers',
      'absoluteLocation',
      'adminListen',
      'clusterSecretFile',
      'adminTokenFile',
      'jwtSecretFile',
      'turnSecretFile',
    ];
    for (const key of SECRET_KEYS) {
      skip.push(key);
      const v = (this.config as unknown as Record<string, unknown>)[key];
      if (typeof v === 'string') secretEnv[envName(key)] = v;
    }
    const base = toArgv(relayOptions, this.config as unknown as Record<string, unknown>, skip);
    const started = Array.from({ length: this.config.workers }, (_, i) => {
      const id = `${this.config.id}-w${i + 1}`;
      // Each worker has its own pipe socket (docs/pipe.md): the --pipe-listen host, a port of its own.
      const pipe = this.config.pipeListen
        ? ['--pipe-listen', `${this.config.pipeListen.host.includes(':') ? `[${this.config.pipeListen.host}]` : this.config.pipeListen.host}:0`]
        : [];
      const proc = fork(main, [...base, ...pipe, '--id', id, '--listen', `${this.config.listen.host}:0`, '--absolute-location', '--workers', '1'], {
        execArgv: fromSource ? ['--import', 'tsx'] : [],
        env: { ...process.env, ...secretEnv, CANOPY_WORKERS: '1' },
        stdio: 'inherit',
      });
      const w: Worker = { id, proc, url: null, viewers: 0, sentAt: [], state: null };
      this.workers.push(w);
      proc.on('exit', (code, signal) => {
        w.url = null;
        if (!this.closed && this.drainingSince === null) this.log.error({ worker: id, code, signal }, 'worker exited');
      });
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new CanopyError(ErrorCode.TIMEOUT, `worker ${id} did not start`)), START_TIMEOUT_MS);
        proc.on('message', (m: { canopy?: string; url?: string }) => {
          if (m?.canopy !== 'listening' || !m.url) return;
          clearTimeout(timer);
          w.url = m.url;
          resolve();
        });
        proc.once('exit', () => reject(new CanopyError(ErrorCode.UNAVAILABLE, `worker ${id} exited while starting`)));
      });
    });
    await Promise.all(started);
    await this.http.listen();
    this.poll = setInterval(() => void this.refresh(), POLL_MS);
    this.log.info({ url: this.url, workers: this.workers.map((w) => w.url) }, 'listening');
  }

  get url(): string {
    return this.http.url;
  }

  private async refresh(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (!w.url) return;
        const asked = Date.now();
        try {
          const st = (await this.getJson(`${w.url}/api/state`)) as { streams: Array<{ viewers: number }> };
          w.state = st as unknown as Record<string, unknown>;
          w.viewers = st.streams.reduce((n, s) => n + s.viewers, 0);
          // Resetting every redirect here sent a burst's next viewer to a worker whose state was
          // read before the last one arrived: 3 and 1 instead of 2 and 2, the likely cause of the
          // cluster test's one failure (its state never showed 2 on each worker).
          w.sentAt = w.sentAt.filter((t) => t > asked - FOLLOW_MS);
        } catch {
          // counted as before until it answers again
        }
      }),
    );
  }

  /** A worker's admin JSON: with the admin token when there is one; a worker's own TLS certificate is not checked (it is our child, on this host). */
  private getJson(url: string): Promise<unknown> {
    const headers: Record<string, string> = this.config.adminToken ? { Authorization: `Bearer ${this.config.adminToken}` } : {};
    const https = url.startsWith('https:');
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(url, { headers, timeout: POLL_MS, ...(https ? { rejectUnauthorized: false } : {}) }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          try {
            if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
            resolve(JSON.parse(body));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
  }

  /** The worker's URL on the host the client used to reach this front. */
  private target(req: IncomingMessage, w: Worker): string {
    const u = new URL(w.url!);
    let host = '127.0.0.1';
    try {
      host = new URL(`http://${req.headers.host ?? '127.0.0.1'}`).hostname;
    } catch {
      // a malformed Host: the worker's own address
    }
    return `${u.protocol}//${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${u.port}`;
  }

  /** The front's own routes: its page, its merged state, and WHEP POSTs redirected to a worker. */
  private route(req: IncomingMessage, res: ServerResponse, path: string[], url: URL): boolean {
    const m = req.method ?? 'GET';
    const level = (): number | null => (this.workers.find((w) => w.state)?.state as { node?: { level?: number | null } } | null)?.node?.level ?? null;
    if (serveNodePage(req, res, path, () => ({ id: this.config.id, role: 'relay', level: level(), draining: this.drainingSince !== null }))) return true;
    if (path.length === 2 && path[0] === 'whep' && m === 'OPTIONS') {
      res.writeHead(204, { 'Accept-Post': 'application/sdp' });
      res.end();
    } else if (path.length === 2 && path[0] === 'whep' && m === 'POST') {
      if (this.drainingSince !== null) throw new CanopyError(ErrorCode.SHUTDOWN, 'this relay is draining (shutting down): connect to another relay');
      const live = this.workers.filter((w) => w.url);
      if (live.length === 0) throw new CanopyError(ErrorCode.UNAVAILABLE, 'no worker is up');
      const w = live.reduce((a, b) => (b.viewers + b.sentAt.length < a.viewers + a.sentAt.length ? b : a));
      w.sentAt.push(Date.now());
      // A worker that stops answering keeps its redirects until it does: bounded.
      if (w.sentAt.length > MAX_SENT_TRACKED) w.sentAt.shift();
      this.redirects++;
      req.resume();
      res.writeHead(307, { Location: `${this.target(req, w)}${redirectPath(req, url)}` });
      res.end();
    } else sendText(res, 404, 'not found (sessions live on the workers)');
    return true;
  }

  /** Every worker's streams, merged: one entry per stream, viewers and children summed. */
  private state(): Record<string, unknown> {
    const streams = new Map<string, Record<string, unknown> & { viewers: number; children: number }>();
    let level: unknown = null;
    for (const w of this.workers) {
      const st = w.state as {
        node?: { level?: unknown };
        streams?: Array<Record<string, unknown> & { name: string; start: unknown; viewers: number; children: number }>;
      } | null;
      level ??= st?.node?.level ?? null;
      for (const s of st?.streams ?? []) {
        const key = `${s.name}@${String(s.start)}`;
        const cur = streams.get(key);
        if (!cur) streams.set(key, { ...s });
        else {
          cur.viewers += s.viewers;
          cur.children += s.children;
          if (!cur.upstream || (cur.upstream as { kind: string }).kind === 'sibling') cur.upstream = s.upstream;
        }
      }
    }
    return {
      node: {
        id: this.config.id,
        role: 'relay',
        level,
        parent: this.config.parent,
        workers: this.workers.map((w) => ({ id: w.id, url: w.url, viewers: w.viewers })),
        redirects: this.redirects,
      },
      streams: [...streams.values()],
    };
  }

  /**
   * Graceful drain: the front refuses new viewers and links, and each worker gets SIGTERM and
   * drains itself (it has the same --drain-timeout). Resolves once every worker has exited, or
   * a little after the drain timeout.
   */
  /** SIGHUP: the front re-reads its TLS files, and each worker is told to re-read its own. */
  reload(): void {
    this.tls?.reload();
    for (const w of this.workers) if (w.proc.exitCode === null) w.proc.kill('SIGHUP');
  }

  async drain(timeoutMs: number): Promise<DrainOutcome> {
    if (this.closed) return 'closed';
    this.drainingSince ??= Date.now();
    this.log.info({ timeoutMs }, 'draining');
    const exited = this.workers.map((w) =>
      w.proc.exitCode !== null || w.proc.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => w.proc.once('exit', () => resolve())),
    );
    for (const w of this.workers) w.proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    // Workers close after their own drain; allow them their close time too.
    const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs + 5000)));
    const outcome = await Promise.race([Promise.all(exited).then(() => 'idle' as const), late]);
    clearTimeout(timer);
    return outcome;
  }

  async close(reason = 'shutdown'): Promise<void> {
    if (this.closed) return;
    this.#closed = true;
    if (this.poll) clearInterval(this.poll);
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.proc.exitCode !== null || w.proc.signalCode !== null) return resolve();
            const kill = setTimeout(() => w.proc.kill('SIGKILL'), 5000);
            w.proc.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            // SIGINT closes a worker at once; SIGTERM would make it drain.
            w.proc.kill('SIGINT');
          }),
      ),
    );
    await this.http.close();
    this.log.info(`closed: ${reason}`);
    this.emit('close', reason);
  }
}
