// `npm start`: a demo tree of real node processes (origin, 2 level-1 and 4 level-2 relays on
// 127.0.0.1) plus the demo web pages, with their URLs printed once everything answers.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signStreamToken } from '../src/auth/jwt.js';
import { serveStatic, VENDOR_MOUNTS, type StaticServer } from './demo/static.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PUBLIC_DIR = fileURLToPath(new URL('./demo/public/', import.meta.url));
// Loaded into each node: it stops when the demo is gone, however the demo ended (guard.mjs).
const GUARD = new URL('./demo/guard.mjs', import.meta.url).href;
const HOST = '127.0.0.1';
const STREAM = 'demo';
const STOP_GRACE_MS = 5000;
const HEALTH_TIMEOUT_MS = 30_000;

interface NodeSpec {
  id: string;
  level: number;
  port: number;
  parent?: NodeSpec;
}

const { values: args } = parseArgs({
  options: {
    'ice-address': { type: 'string', default: HOST },
    'base-port': { type: 'string', default: '8000' },
    'viewer-auth': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`usage: npm start -- [--ice-address IP] [--base-port N] [--viewer-auth] [--data-dir DIR] [--verbose]

  --ice-address IP  address the nodes announce to WebRTC peers (default ${HOST})
  --base-port N     origin port; relays use N+101.., the web pages N+80 (default 8000)
  --viewer-auth     viewers need a play token too (the watch links carry one)
  --data-dir DIR    keep the origin's time-shift archive in DIR across runs (default: a
                    fresh directory under ${tmpdir()}, removed when the demo stops)
  --verbose         show every log line of every node, not only warnings and errors

The demo makes its own secrets for each run (a cluster secret for relay links and sibling
discovery, a JWT secret for stream tokens) and hands them to the nodes in their environment,
so they never show in ps. The publish page gets a publish token for any stream.`);
  process.exit(0);
}

const basePort = Number(args['base-port']);
if (!Number.isInteger(basePort) || basePort < 1 || basePort + 204 > 65535) {
  console.error(`--base-port must be an integer between 1 and ${65535 - 204}`);
  process.exit(2);
}

const url = (port: number) => `http://${HOST}:${port}`;
const origin: NodeSpec = { id: 'origin', level: 0, port: basePort };
const level1 = ['a', 'b'].map((name, i): NodeSpec => ({ id: `relay-${name}`, level: 1, port: basePort + 101 + i, parent: origin }));
const level2 = level1.flatMap((parent, i) =>
  [1, 2].map((n): NodeSpec => ({ id: `${parent.id}${n}`, level: 2, port: basePort + 201 + 2 * i + (n - 1), parent })),
);
const pagesPort = basePort + 80;
// Per-run secrets, passed to the nodes in their environment (never on a command line: ps
// shows every process's arguments to every user of the machine).
const CLUSTER_SECRET = randomBytes(32).toString('hex');
const JWT_SECRET = randomBytes(32).toString('hex');
const TOKEN_TTL_S = 24 * 3600;
const publishToken = await signStreamToken(JWT_SECRET, { stream: '*', action: 'publish', ttlSeconds: TOKEN_TTL_S, subject: 'demo' });
const playToken = args['viewer-auth'] ? await signStreamToken(JWT_SECRET, { stream: '*', action: 'play', ttlSeconds: TOKEN_TTL_S, subject: 'demo' }) : null;
const nodeEnv = { ...process.env, CANOPY_CLUSTER_SECRET: CLUSTER_SECRET, CANOPY_JWT_SECRET: JWT_SECRET };
// The origin's time-shift archive (window A): fresh for each run and removed when the demo
// stops, so no run replays an earlier one's stream, unless --data-dir names a directory to keep.
const ARCHIVE_DIR = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'canopy-demo-'));
const removeArchive = (): void => {
  if (!args['data-dir']) rmSync(ARCHIVE_DIR, { recursive: true, force: true });
};
// Earlier versions of the demo kept their archive here for good: it only wastes space now.
const LEGACY_ARCHIVE_DIR = join(tmpdir(), 'canopy-demo-archive');
if (existsSync(LEGACY_ARCHIVE_DIR)) {
  rmSync(LEGACY_ARCHIVE_DIR, { recursive: true, force: true });
  console.log(`removed ${LEGACY_ARCHIVE_DIR}, the archive an earlier demo version kept`);
}

function commandLine(spec: NodeSpec): string[] {
  // The secrets come from the environment (nodeEnv). The tree page reads every node's
  // /api/state from the pages' origin.
  const common = ['--id', spec.id, '--listen', `${HOST}:${spec.port}`, '--ice-address', args['ice-address'], '--admin-cors-origins', url(pagesPort)];
  if (args['viewer-auth']) common.push('--viewer-auth');
  if (!spec.parent) return ['origin/main.ts', ...common, '--data-dir', ARCHIVE_DIR];
  // Level-2 relays also list the other level-1 relay as a fallback parent (docs/failover.md).
  const fallback = spec.level === 2 ? level1.find((r) => r !== spec.parent) : undefined;
  return [
    'relay/main.ts',
    ...common,
    '--parent',
    `ws://${HOST}:${spec.parent.port}/relay`,
    ...(fallback ? ['--parent', `ws://${HOST}:${fallback.port}/relay#priority=1`] : []),
    '--siblings',
    '--lan-interface',
    HOST,
  ];
}

class NodeProcess {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  exitReason: string | null = null;

  constructor(readonly spec: NodeSpec) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, ...commandLine(spec)], {
      cwd: ROOT,
      // The origin removes the temporary archive itself if it outlives the demo (guard.mjs).
      env: spec.parent || args['data-dir'] ? nodeEnv : { ...nodeEnv, CANOPY_DEMO_REMOVE_ON_ORPHAN: ARCHIVE_DIR },
      // stdin: a pipe the node watches; its end closes with this process, however it ends.
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group: a terminal Ctrl-C reaches only us, and we stop the nodes in order.
      detached: true,
    });
    this.proc.stdin!.on('error', () => {}); // EPIPE once the node has exited
    this.exited = new Promise((resolve) => {
      this.proc.once('error', (err) => {
        this.exitReason = err.message;
        resolve();
      });
      this.proc.once('exit', (code, signal) => {
        this.exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      });
    });
    for (const stream of [this.proc.stdout!, this.proc.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.log(line));
    }
  }

  private log(line: string): void {
    const text = formatLogLine(line, args.verbose);
    if (text !== null) console.log(`${this.spec.id.padEnd(9)} │ ${text}`);
  }

  get running(): boolean {
    return this.exitReason === null;
  }

  /** SIGINT (close at once; SIGTERM would drain), then SIGKILL if still running at `deadline` (epoch ms). */
  async stop(deadline: number): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGINT');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
    await this.exited;
    clearTimeout(timer);
  }
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN_FIELDS = new Set(['time', 'pid', 'hostname', 'node', 'msg']);

/** A pino JSON line made readable, or null when it is below warn and not verbose. */
function formatLogLine(line: string, verbose: boolean): string | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line; // not pino: a crash trace or similar, always worth showing
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.level !== 'number') return line;
  const severity = entry.level;
  if (severity < 40 && !verbose) return null;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN_FIELDS.has(key) && key !== 'level')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [time, (LEVELS[severity] ?? String(severity)).padEnd(5), entry.msg ?? '', ...fields].filter(Boolean).join(' ');
}

async function waitHealthy(node: NodeProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (node.running) {
    try {
      const res = await fetch(`${url(node.spec.port)}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${node.spec.id} did not answer /healthz within ${HEALTH_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${node.spec.id} exited during startup (${node.exitReason})`);
}

/** Fails when something already listens on `port`: /healthz would then answer for the wrong node. */
async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    await once(probe.listen(port, HOST), 'listening');
  } catch {
    throw new Error(`port ${port} on ${HOST} is in use (another demo running? try --base-port)`);
  }
  await new Promise((resolve) => probe.close(resolve));
}

/** A query string that leaves `:` and `/` readable, for URLs people copy from the terminal. */
function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%3A/g, ':').replace(/%2F/g, '/')}`)
    .join('&');
}

const nodes: NodeProcess[] = [];
let pages: StaticServer | null = null;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (shuttingDown) return new Promise<never>(() => {});
  shuttingDown = true;
  const deadline = Date.now() + STOP_GRACE_MS;
  const closingPages = pages?.close().catch(() => {});
  const running = nodes.filter((n) => n.running).length;
  // Deepest level first, so no relay sees its parent vanish and logs it as a failure.
  for (let level = 2; level >= 0; level--) {
    await Promise.all(nodes.filter((n) => n.spec.level === level).map((n) => n.stop(deadline)));
  }
  await closingPages;
  removeArchive();
  const archive = args['data-dir'] ? `kept the archive in ${ARCHIVE_DIR}` : `removed the archive ${ARCHIVE_DIR}`;
  console.log(`stopped ${running} node${running === 1 ? '' : 's'}; ${archive}`);
  process.exit(code);
}

// Ctrl-C under `npm start` arrives twice (the terminal's, and npm's passing it on), so repeats
// are ignored; the stop deadline bounds the shutdown anyway. SIGHUP: the terminal closed.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!shuttingDown) console.log(`\nstopping the demo tree (${signal})…`);
    void shutdown(0);
  });
}

/**
 * The processes whose death means nobody runs the demo any more: the parent, and under `npm
 * start` every process up to npm itself (npm runs the script through sh, which stays when npm
 * is killed). Linux /proc; elsewhere only the parent.
 */
function launchers(): number[] {
  const pids = [process.ppid];
  if (!process.env.npm_lifecycle_event) return pids;
  try {
    for (let pid = process.ppid, depth = 0; pid > 1 && depth < 4; depth++) {
      if (/(^|\/)npm(-cli\.js)?$|npm-cli\.js/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2).join(' '))) break;
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (pid > 1) pids.push(pid);
    }
  } catch {
    // no /proc: the parent alone
  }
  return pids;
}

// The parent dying (a killed npm, a closed IDE task) sends no signal: watch for it.
const PARENT_POLL_MS = 500;
const watched = launchers();
const parentAtStart = process.ppid;
setInterval(() => {
  const gone = process.ppid !== parentAtStart ? parentAtStart : watched.find((pid) => !alive(pid));
  if (gone === undefined || shuttingDown) return;
  console.log(`\nstopping the demo tree (process ${gone} that started it is gone)…`);
  void shutdown(0);
}, PARENT_POLL_MS).unref();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
// Last resort if we crash: detached children would otherwise outlive us.
process.on('exit', () => {
  for (const node of nodes) if (node.running) node.proc.kill('SIGKILL');
  removeArchive();
});

function launch(spec: NodeSpec): NodeProcess {
  const node = new NodeProcess(spec);
  nodes.push(node);
  void node.exited.then(() => {
    if (shuttingDown) return;
    console.error(`${spec.id} exited unexpectedly (${node.exitReason}); stopping the demo tree`);
    void shutdown(1);
  });
  return node;
}

try {
  for (const port of [origin, ...level1, ...level2].map((s) => s.port).concat(pagesPort)) await assertPortFree(port);
  for (const tier of [[origin], level1, level2]) {
    await Promise.all(tier.map((spec) => waitHealthy(launch(spec))));
  }
  const tree = {
    origin: url(origin.port),
    relays: [...level1, ...level2].map((s) => ({ id: s.id, url: url(s.port), level: s.level, parent: s.parent!.id })),
    stream: STREAM,
    // The pages prefill these; tree.json is served on 127.0.0.1 only.
    publishToken,
    playToken,
  };
  const site = await serveStatic({ host: HOST, port: pagesPort, root: PUBLIC_DIR, mounts: VENDOR_MOUNTS, extra: { '/tree.json': () => tree } });
  pages = site;

  const publish = `${site.url}/publish.html?${query({ origin: tree.origin, stream: STREAM, source: 'pattern', autostart: '1' })}`;
  const rows: [string, string][] = [
    ['tree', `${site.url}/`],
    // Served by the origin itself (any node serves its subtree's); loopback clients need no admin token.
    ['dashboard', `${tree.origin}/dashboard/`],
    ['publish', publish],
    ...level2.map((s): [string, string] => [`watch ${s.id}`, `${site.url}/watch.html?${query({ relay: url(s.port), stream: STREAM, autostart: '1' })}`]),
    ['watch 1 min ago', `${site.url}/watch.html?${query({ relay: url(level2[0]!.port), stream: STREAM, ago: '60', autostart: '1' })}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    `\nCanopy demo tree is up (origin ${tree.origin}, ${nodes.length - 1} relays; the pages fill in the token${args['viewer-auth'] ? 's that publishing and watching need' : ' that publishing needs'}).\n`,
  );
  for (const [label, link] of rows) console.log(`  ${label.padEnd(width)}  ${link}`);
  console.log(`\n${args['data-dir'] ? 'Time-shift archive' : 'Time-shift archive (removed when the demo stops)'}: ${ARCHIVE_DIR}`);
  console.log(`Ctrl-C stops everything.${args.verbose ? '' : ' Node logs: warnings and errors only (--verbose for all).'}\n`);
} catch (err) {
  if (!shuttingDown) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}
