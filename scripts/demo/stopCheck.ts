/**
 * Starts the demo (through `npm start`, as a user does), stops it one way, and reports what is
 * left: node processes, listening ports, the temporary archive. Used by the stop test
 * (test/integration/demo-stop.test.ts) and the stop bench (scripts/bench/demo-stop.ts), both
 * with CPU hogs running so the machine is as loaded as the one that left orphans (issue 18).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const STOP_METHODS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'parent-killed', 'demo-killed'] as const;
export type StopMethod = (typeof STOP_METHODS)[number];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = '127.0.0.1';
const UP_TIMEOUT_MS = 90_000;

export interface StopResult {
  method: StopMethod;
  /** Milliseconds from the stop until nothing was left; null when something was left at the deadline. */
  cleanMs: number | null;
  left: string[];
  startMs: number;
}

export function demoPorts(basePort: number): number[] {
  return [basePort, basePort + 101, basePort + 102, basePort + 201, basePort + 202, basePort + 203, basePort + 204, basePort + 80];
}

/** Busy loops, one per `n`, at normal priority: a loaded machine. stop() ends them. */
export function cpuHogs(n: number): { stop(): void } {
  const hogs: ChildProcess[] = [];
  for (let i = 0; i < n; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  return { stop: () => hogs.forEach((h) => h.kill('SIGKILL')) };
}

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  cmd: string[];
}

function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(name), ppid: Number(ppid), state: state!, cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function descendants(root: number, all: ProcInfo[]): ProcInfo[] {
  const found: ProcInfo[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const p of all) {
      if (p.ppid !== pid) continue;
      found.push(p);
      queue.push(p.pid);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, HOST);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/**
 * `command` runs in a shell from the repository root, with `--base-port N` appended; default
 * `npm start --silent --`.
 */
export async function stopOnce(method: StopMethod, opts: { basePort: number; command?: string; log?: (line: string) => void }): Promise<StopResult> {
  const command = `${opts.command ?? 'npm start --silent --'} --base-port ${opts.basePort}`;
  const started = Date.now();
  // Its own process group, as a terminal's foreground job: a Ctrl-C reaches the whole group.
  const launcher = spawn('sh', ['-c', command], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const up = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo was not up within ${UP_TIMEOUT_MS / 1000} s:\n${output.join('')}`)), UP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      opts.log?.(chunk.toString());
      if (output.join('').includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolve();
      }
    };
    launcher.stdout!.on('data', onData);
    launcher.stderr!.on('data', onData);
    launcher.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the demo exited (${code}) before it was up:\n${output.join('')}`))));
  });
  const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
  const ports = demoPorts(opts.basePort);
  try {
    await up;
  } catch (err) {
    try {
      process.kill(-launcher.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    throw err;
  }
  const startMs = Date.now() - started;
  const all = processes();
  const tree = descendants(launcher.pid!, all);
  const demo = tree.find(
    (p) =>
      p.cmd.some((a) => a.endsWith('scripts/demo.ts') || a.endsWith('scripts/demo-old.ts')) &&
      !p.cmd.some((a) => a.includes('tsx/dist/cli') || a.endsWith('/tsx')),
  );
  const nodes = all.filter((p) => p.cmd.includes('--listen') && ports.some((port) => p.cmd.includes(`${HOST}:${port}`)));
  const origin = nodes.find((p) => p.cmd.includes('--data-dir'));
  const archive = origin ? origin.cmd[origin.cmd.indexOf('--data-dir') + 1]! : null;
  if (!demo || nodes.length !== 7 || !archive || !existsSync(archive))
    throw new Error(`could not find the demo's processes (demo ${demo?.pid}, ${nodes.length} nodes, archive ${archive})`);

  const stopped = Date.now();
  switch (method) {
    case 'SIGINT': // Ctrl-C in a terminal: the foreground process group
    case 'SIGHUP': // the terminal closed
      process.kill(-launcher.pid!, method);
      break;
    case 'SIGTERM': // kill PID, systemd, an IDE's stop button
      process.kill(demo.pid, 'SIGTERM');
      break;
    case 'parent-killed': // npm (the demo's launcher) killed outright
      process.kill(tree.find((p) => p.cmd.some((a) => /npm/.test(a)))?.pid ?? launcher.pid!, 'SIGKILL');
      break;
    case 'demo-killed': // the demo itself killed outright: no handler of its runs
      process.kill(demo.pid, 'SIGKILL');
      break;
  }
  const deadline = stopped + 30_000;
  let left: string[] = [];
  for (;;) {
    left = [
      ...nodes.filter((p) => alive(p.pid)).map((p) => `node ${p.cmd[p.cmd.indexOf('--id') + 1]} (pid ${p.pid})`),
      ...(alive(demo.pid) ? [`demo (pid ${demo.pid})`] : []),
      ...(await Promise.all(ports.map(async (port) => ((await listening(port)) ? `port ${port} listening` : null)))).filter((x): x is string => x !== null),
      ...(existsSync(archive) ? [`archive ${archive}`] : []),
    ];
    if (left.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cleanMs = left.length === 0 ? Date.now() - stopped : null;
  // Leave nothing behind for the next run, whatever happened.
  for (const p of [...nodes, demo]) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
  try {
    process.kill(-launcher.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  return { method, cleanMs, left, startMs };
}
