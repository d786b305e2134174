import { spawn, type ChildProcess } from 'node:child_process';

/** Debian's Python, where python3-aiortc and GStreamer's PyGObject bindings are installed. */
export const PYTHON = '/usr/bin/python3';

/** A Python interop script run as a child process, its output collected. */
export interface PythonRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

export function runPython(script: string, args: string[]): PythonRun {
  const child = spawn(PYTHON, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run: PythonRun = { child, stdout: '', stderr: '', exited: Promise.resolve(null) };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (run.stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (run.stderr += d));
  run.exited = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
  });
  return run;
}

/** The JSON line the script prints last; throws with its output if there is none. */
export function pythonResult(run: PythonRun, what: string): Record<string, unknown> {
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    throw new Error(`${what} printed no JSON result\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}
