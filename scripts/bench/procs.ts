/**
 * Child processes of the bench and what it reads about them: CPU time and RSS from /proc,
 * Canopy's /metrics and /api/state, free ports, health checks.
 */
import { fork, spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sleep } from '../../test/support/wait.js';
import type {
  FromPublisherWorker,
  FromViewerWorker,
  JoinRecord,
  PublisherCounters,
  PublisherStart,
  ToPublisherWorker,
  ToViewerWorker,
  ViewerSpec,
  WorkerCounters,
} from './protocol.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const HOST = '127.0.0.1';
/** Nice value of the viewer processes (the servers and the publisher run at 0). */
export const VIEWER_NICE = 10;

/**
 * The environment of every Canopy node the bench starts: a cluster secret for this run (relay
 * links and sibling discovery are authenticated, as in a deployment; through the environment,
 * out of ps), and no admission limits: every viewer comes from 127.0.0.1 in bursts, and the
 * bench measures capacity, not the limits. Variables an older checkout does not know are
 * ignored by it.
 */
export const NODE_ENV_VARS: Record<string, string> = {
  CANOPY_CLUSTER_SECRET: randomBytes(32).toString('hex'),
  // Admin endpoints answer loopback only without a token; nodes in namespaces need one.
  CANOPY_ADMIN_TOKEN: randomBytes(16).toString('hex'),
  CANOPY_MAX_NEW_SESSIONS_PER_IP: '0',
  CANOPY_MAX_PENDING_SESSIONS: '0',
  CANOPY_MAX_SESSIONS: '0',
};

/** The Authorization header for the nodes' admin endpoints. */
export const ADMIN = { Authorization: `Bearer ${NODE_ENV_VARS.CANOPY_ADMIN_TOKEN}` };

/** Nice value of the Canopy nodes the bench starts (default 0; --server-nice). */
let serverNice = 0;
export function setServerNice(n: number): void {
  serverNice = n;
}
export function getServerNice(): number {
  return serverNice;
}

/** Where origin/main.ts and relay/main.ts are run from (default: this checkout). */
let serverRoot = ROOT;
export function setServerRoot(dir: string): void {
  serverRoot = dir;
}
export function getServerRoot(): string {
  return serverRoot;
}

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // keep 100
}

/** utime + stime of a process (all its threads), in seconds; NaN once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / clkTck;
  } catch {
    return NaN;
  }
}

/** Resident set size in MiB. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Whole-machine CPU: busy and total jiffies since boot (from /proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, HOST, () => resolve());
  });
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

// One home for sleep (test/support/wait.ts); the bench's modules import it from here.
export { sleep };

/** Something the bench started: a process with a name, its stderr tail, and a stop(). */
export class Proc {
  readonly exited: Promise<void>;
  exitReason: string | null = null;
  private tail: string[] = [];

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.exitReason = err.message;
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      });
    });
    // BENCH_LOG_DIR keeps every line a process prints (warnings included), for reading a run afterwards.
    const logFile = process.env.BENCH_LOG_DIR ? join(process.env.BENCH_LOG_DIR, `${name.replace(/[^\w.-]/g, '_')}.log`) : null;
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding('utf8');
      s?.on('data', (d: string) => {
        if (logFile) appendFileSync(logFile, d);
        for (const line of d.split('\n')) if (line.trim()) this.tail.push(line.slice(0, 400));
        if (this.tail.length > 40) this.tail = this.tail.slice(-40);
      });
    }
    live.add(this);
    void this.exited.then(() => live.delete(this));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitReason === null;
  }

  cpu(): number {
    return cpuSeconds(this.pid);
  }

  rss(): number {
    return rssMb(this.pid);
  }

  lastLines(n = 10): string {
    return this.tail.slice(-n).join('\n');
  }

  /** What stop() sends first. */
  protected stopSignal: NodeJS.Signals = 'SIGTERM';

  /** stopSignal, then SIGKILL after `graceMs`. */
  async stop(graceMs = 6000): Promise<void> {
    if (!this.running) return;
    this.child.kill(this.stopSignal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

const live = new Set<Proc>();

/** CPU seconds of this process and of every process the bench started that is still running. */
export function benchCpuSeconds(): number {
  const own = process.cpuUsage();
  let sum = (own.user + own.system) / 1e6;
  for (const p of live) {
    const c = p.cpu();
    if (Number.isFinite(c)) sum += c;
  }
  return sum;
}

/** Last resort at exit: nothing the bench started may outlive it. */
export function killAll(): void {
  for (const p of live) if (p.running) p.child.kill('SIGKILL');
}

// ---- Canopy nodes ----

export interface NodeOpts {
  id: string;
  role: 'origin' | 'relay';
  parent?: CanopyNode;
  flags?: string[];
  /** Extra node arguments, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  /** Address to listen on and announce in ICE (default 127.0.0.1). */
  host?: string;
  /** Fixed port (default: a free one on 127.0.0.1). */
  port?: number;
  /** Network namespace to run in (`ip netns exec`; the fleet). */
  netns?: string;
  /** How long to wait for /healthz and a known level. */
  readyTimeoutMs?: number;
}

/** argv that runs `node <args>` in a network namespace, or as is. */
function inNetns(netns: string | undefined, nodeArgs: string[]): [string, string[]] {
  return netns ? ['ip', ['netns', 'exec', netns, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
}

export class CanopyNode extends Proc {
  // A node closes at once on SIGINT; SIGTERM would drain it for up to --drain-timeout.
  protected override stopSignal: NodeJS.Signals = 'SIGINT';

  constructor(
    readonly opts: NodeOpts,
    readonly port: number,
    child: ChildProcess,
  ) {
    super(opts.id, child);
  }

  static async start(opts: NodeOpts): Promise<CanopyNode> {
    const host = opts.host ?? HOST;
    const port = opts.port ?? (await freePort());
    const args = [
      ...(opts.nodeArgs ?? []),
      '--import',
      'tsx',
      opts.role === 'origin' ? 'origin/main.ts' : 'relay/main.ts',
      '--id',
      opts.id,
      '--listen',
      `${host}:${port}`,
      '--ice-address',
      host,
      '--log-level',
      process.env.BENCH_NODE_LOG_LEVEL ?? 'warn',
      ...(opts.parent ? ['--parent', opts.parent.linkUrl] : []),
      ...(opts.flags ?? []),
    ];
    const [cmd, argv] = inNetns(opts.netns, args);
    const child = spawn(cmd, argv, { cwd: serverRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...NODE_ENV_VARS } });
    // A --workers front's workers inherit it.
    if (serverNice !== 0 && child.pid !== undefined) setPriority(child.pid, serverNice);
    const node = new CanopyNode(opts, port, child);
    await node.waitReady(opts.readyTimeoutMs);
    return node;
  }

  get host(): string {
    return this.opts.host ?? HOST;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get linkUrl(): string {
    return `ws://${this.host}:${this.port}/relay`;
  }

  whep(stream: string): string {
    return `${this.url}/whep/${stream}`;
  }

  /** Healthy and, for a relay (or a --workers front), linked to its parent (level known). */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running) {
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          const body = (await res.json()) as { level?: number | null; workers?: number };
          if (typeof body.level === 'number' && body.level >= 0) return;
          // A --workers front: ready once its merged state shows the workers' level.
          if (body.workers !== undefined && typeof (await this.state()).node.level === 'number') return;
        }
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.lastLines()}`);
      await sleep(150);
    }
    throw new Error(`${this.name} exited during startup (${this.exitReason}):\n${this.lastLines()}`);
  }

  /** Prometheus text parsed into `name{labels}` → value. */
  async metrics(): Promise<Map<string, number>> {
    // A loaded node may answer slowly: be patient, the numbers are cumulative anyway.
    const res = await fetch(`${this.url}/metrics`, { headers: ADMIN, signal: AbortSignal.timeout(15_000) });
    const out = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const i = line.lastIndexOf(' ');
      out.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return out;
  }

  async state(): Promise<{
    node: { id: string; level: number; siblings?: unknown[] };
    streams: Array<{
      name: string;
      viewers: number;
      children: number;
      upstream: { kind: string; peer: string; state: string } | null;
      publisher?: boolean;
      buffer?: { bytes: number } | null;
    }>;
  }> {
    const res = await fetch(`${this.url}/api/state`, { headers: ADMIN, signal: AbortSignal.timeout(30_000) });
    return (await res.json()) as Awaited<ReturnType<CanopyNode['state']>>;
  }

  /** Event-loop delay over the last `seconds` (null when the node does not measure it). */
  async eventLoop(seconds: number): Promise<LoopDelay | null> {
    return eventLoopAt(this.url, seconds);
  }
}

export interface LoopDelay {
  seconds: number;
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** GET /api/eventloop of a node (a relay, or one worker of a cluster). */
export async function eventLoopAt(url: string, seconds: number): Promise<LoopDelay | null> {
  try {
    const res = await fetch(`${url}/api/eventloop?seconds=${Math.max(1, Math.min(120, Math.round(seconds)))}`, {
      headers: ADMIN,
      signal: AbortSignal.timeout(15_000),
    });
    return res.ok ? ((await res.json()) as LoopDelay) : null;
  } catch {
    return null;
  }
}

/** A process and all its descendants (a relay cluster's front and its workers), from /proc. */
export function processTree(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** Sum of a metric over all label sets. */
export function metric(m: Map<string, number>, name: string): number {
  let sum = 0;
  for (const [k, v] of m) if (k === name || k.startsWith(`${name}{`)) sum += v;
  return sum;
}

// ---- workers ----

/** Where a worker process runs: another network namespace, and extra environment. */
export interface WorkerPlace {
  netns?: string;
  env?: Record<string, string>;
}

function forkWorker(script: string, name: string, place: WorkerPlace = {}): ChildProcess {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const env = { ...process.env, ...place.env, BENCH_WORKER: name };
  if (!place.netns)
    return fork(path, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', env });
  // `ip netns exec` execs node in place: same pid, and the IPC channel's fd is inherited.
  const [cmd, argv] = inNetns(place.netns, ['--import', 'tsx', path]);
  return spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', env });
}

abstract class IpcWorker<In extends { t: string }, Out extends { t: string; req?: number }> extends Proc {
  private req = 0;
  private readonly pending = new Map<number, (m: Out) => void>();
  readonly ready: Promise<void>;

  constructor(name: string, child: ChildProcess) {
    super(name, child);
    let resolveReady!: () => void;
    this.ready = new Promise((r) => (resolveReady = r));
    child.on('message', (raw) => {
      const m = raw as Out;
      if (m.t === 'ready') resolveReady();
      if (m.req !== undefined && this.pending.has(m.req)) {
        const cb = this.pending.get(m.req)!;
        this.pending.delete(m.req);
        cb(m);
        return;
      }
      this.onMessage(m);
    });
    void this.exited.then(() => {
      for (const cb of this.pending.values()) cb({ t: 'exited' } as unknown as Out);
      this.pending.clear();
    });
  }

  protected abstract onMessage(m: Out): void;

  post(m: In): void {
    if (this.running && this.child.connected) this.child.send(m);
  }

  request<T extends Out>(make: (req: number) => In, timeoutMs = 60_000): Promise<T> {
    const req = ++this.req;
    return new Promise<T>((resolve, reject) => {
      if (!this.running) return reject(new Error(`${this.name} is not running (${this.exitReason}):\n${this.lastLines()}`));
      const timer = setTimeout(() => {
        this.pending.delete(req);
        reject(new Error(`${this.name}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(req, (m) => {
        clearTimeout(timer);
        if (m.t === 'exited') reject(new Error(`${this.name} exited (${this.exitReason}):\n${this.lastLines()}`));
        else resolve(m as T);
      });
      this.post(make(req));
    });
  }
}

export class ViewerWorker extends IpcWorker<ToViewerWorker, FromViewerWorker> {
  status: WorkerCounters | null = null;
  assigned = 0;
  onJoin: (rec: JoinRecord) => void = () => {};
  onLog: (msg: string) => void = () => {};

  /**
   * script: './viewer-worker.ts' (node-datachannel viewers) or './sink-worker.ts' (native sinks);
   * nice: the process's nice value (sinks are cheap enough to run at the server's priority).
   */
  static async start(name: string, place?: WorkerPlace, script = './viewer-worker.ts', nice = VIEWER_NICE): Promise<ViewerWorker> {
    const w = new ViewerWorker(name, forkWorker(script, name, place));
    // The load generator must not starve the server it loads: viewers run at a lower
    // priority, so the server gets the CPU it asks for (it is what is measured) and an
    // overloaded machine shows up as loss at the viewers rather than as a starved server.
    try {
      if (w.pid !== undefined && nice !== 0) setPriority(w.pid, nice);
    } catch {
      // not permitted: leave it
    }
    await Promise.race([w.ready, w.exited.then(() => Promise.reject(new Error(`${name} exited: ${w.lastLines()}`)))]);
    return w;
  }

  protected onMessage(m: FromViewerWorker): void {
    if (m.t === 'status') this.status = m.counters;
    else if (m.t === 'join') this.onJoin(m.rec);
    else if (m.t === 'log') this.onLog(`${this.name}: ${m.msg}`);
  }

  add(viewers: ViewerSpec[]): void {
    this.assigned += viewers.length;
    this.post({ t: 'add', viewers });
  }

  async snap(): Promise<{ counters: WorkerCounters; at: number }> {
    const m = await this.request<Extract<FromViewerWorker, { t: 'snap' }>>((req) => ({ t: 'snap', req }), 20_000);
    return { counters: m.counters, at: m.at };
  }

  async close(ids: number[]): Promise<void> {
    this.assigned -= ids.length;
    await this.request((req) => ({ t: 'close', req, ids }), 60_000);
  }

  async closeAll(): Promise<void> {
    this.assigned = 0;
    await this.request((req) => ({ t: 'closeAll', req }), 90_000);
  }

  async probe(on: boolean): Promise<number[]> {
    const m = await this.request<Extract<FromViewerWorker, { t: 'probe' }>>((req) => ({ t: 'probe', req, on }), 20_000);
    return m.samples;
  }

  async exit(): Promise<void> {
    this.post({ t: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
    await this.exited;
    clearTimeout(timer);
  }
}

export class PublisherWorker extends IpcWorker<ToPublisherWorker, FromPublisherWorker> {
  static async start(name: string, start: PublisherStart, place?: WorkerPlace): Promise<PublisherWorker> {
    const w = new PublisherWorker(name, forkWorker('./publisher-worker.ts', name, place));
    // The stream's source runs at the servers' priority (--server-nice): on a shared machine a
    // starved publisher would show up as every server's loss.
    try {
      if (serverNice !== 0 && w.pid !== undefined) setPriority(w.pid, serverNice);
    } catch {
      // not permitted: leave it
    }
    await Promise.race([w.ready, w.exited.then(() => Promise.reject(new Error(`${name} exited: ${w.lastLines()}`)))]);
    const r = await w.request<Extract<FromPublisherWorker, { t: 'started' }>>((req) => ({ t: 'start', req, start }), 60_000);
    if (r.error) {
      await w.stop();
      throw new Error(`publisher: ${r.error}`);
    }
    return w;
  }

  protected onMessage(): void {}

  async snap(): Promise<PublisherCounters> {
    const m = await this.request<Extract<FromPublisherWorker, { t: 'snap' }>>((req) => ({ t: 'snap', req }), 10_000);
    return m.counters;
  }

  async probe(on: boolean): Promise<number[]> {
    const m = await this.request<Extract<FromPublisherWorker, { t: 'probe' }>>((req) => ({ t: 'probe', req, on }), 10_000);
    return m.samples;
  }

  async shutdown(): Promise<void> {
    try {
      await this.request((req) => ({ t: 'stop', req }), 10_000);
    } catch {
      // fall through to stop()
    }
    await this.stop(3000);
  }
}
