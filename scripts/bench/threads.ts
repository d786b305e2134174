/**
 * Per-thread CPU of a process from /proc/<pid>/task, grouped by thread name: the native data
 * plane names its threads (canopy-data, canopy-recv), so the bench can say how busy the
 * busiest data thread was, which bounds what one process serves before its threads saturate.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

export type ThreadCpu = Map<number, { name: string; cpu: number }>;

export function threadCpu(pid: number | undefined): ThreadCpu {
  const out: ThreadCpu = new Map();
  if (pid === undefined) return out;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      out.set(Number(t), { name, cpu: (Number(f[11]) + Number(f[12])) / TICK });
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Cores used per thread name over a window: the sum and the busiest single thread. */
export function threadCores(a: ThreadCpu, b: ThreadCpu, seconds: number): Record<string, { threads: number; cores: number; max_thread_cores: number }> {
  const out: Record<string, { threads: number; cores: number; max_thread_cores: number }> = {};
  for (const [tid, t] of b) {
    const before = a.get(tid)?.cpu ?? 0;
    const c = Math.max(0, (t.cpu - before) / seconds);
    const o = (out[t.name] ??= { threads: 0, cores: 0, max_thread_cores: 0 });
    o.threads++;
    o.cores += c;
    o.max_thread_cores = Math.max(o.max_thread_cores, c);
  }
  for (const o of Object.values(out)) {
    o.cores = Math.round(o.cores * 1000) / 1000;
    o.max_thread_cores = Math.round(o.max_thread_cores * 1000) / 1000;
  }
  return out;
}
