/**
 * Canopy nodes as separate processes, for tests that kill them with SIGKILL (a crash, not a
 * shutdown): the node gets no chance to close its links or sessions.
 *
 *   const l1 = await NodeProcess.start('relay', ['--id', 'relay-a', '--parent', origin.linkUrl]);
 *   l1.kill9();
 *   await l1.restart();   // same id, same port
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { testEngineFlags } from './engine.js';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = '127.0.0.1';
const live = new Set<NodeProcess>();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class NodeProcess {
  child: ChildProcess | null = null;
  private lines: string[] = [];

  private constructor(
    readonly role: 'origin' | 'relay',
    readonly port: number,
    readonly args: readonly string[],
  ) {}

  /** Starts a node on 127.0.0.1 and a free port; resolves once /healthz reports a level. */
  static async start(role: 'origin' | 'relay', args: readonly string[], port?: number): Promise<NodeProcess> {
    const p = new NodeProcess(role, port ?? (await freePort()), args);
    live.add(p);
    await p.launch();
    return p;
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  get linkUrl(): string {
    return `ws://${HOST}:${this.port}/relay`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private async launch(): Promise<void> {
    const main = this.role === 'origin' ? 'origin/main.ts' : 'relay/main.ts';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        main,
        '--listen',
        `${HOST}:${this.port}`,
        '--ice-address',
        HOST,
        '--log-level',
        process.env.CANOPY_TEST_LOG ?? 'warn',
        ...testEngineFlags(),
        ...this.args,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.lines = [];
    const keep = (b: Buffer): void => {
      this.lines.push(...b.toString().split('\n').filter(Boolean));
      if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
      if (process.env.CANOPY_TEST_LOG) process.stderr.write(b);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await this.waitReady();
  }

  /** Healthy and, for a relay, linked (level known). */
  async waitReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running) {
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { level: number | null };
        if (res.ok && typeof body.level === 'number') return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`${this.args.join(' ')} not ready in ${timeoutMs} ms:\n${this.lines.join('\n')}`);
      await sleep(100);
    }
    throw new Error(`node exited while starting:\n${this.lines.join('\n')}`);
  }

  /** A crash: SIGKILL, and wait until the process is gone. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await gone;
  }

  /** Starts the same node again (same id, flags and port). */
  async restart(): Promise<void> {
    await this.kill9();
    await this.launch();
  }

  /** A clean stop (SIGTERM), bounded. */
  async stop(): Promise<void> {
    const c = this.child;
    live.delete(this);
    if (!c || !this.running) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 8000);
    await gone;
    clearTimeout(timer);
  }

  async state(): Promise<{ node: Record<string, unknown>; streams: Array<Record<string, unknown>> }> {
    return (await (await fetch(`${this.url}/api/state`)).json()) as { node: Record<string, unknown>; streams: Array<Record<string, unknown>> };
  }

  output(): string {
    return this.lines.join('\n');
  }
}

/** Every node process a test started and did not stop: killed (for afterEach). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}
