/**
 * `--split-cpus`: the measured server alone on CPU 0; its clients, the origin, the publisher and
 * the kernel's loopback receive path on the other CPUs (docs/benchmarks.md, "Where the
 * receivers' kernel work is charged").
 *
 * Why: on loopback, a datagram's whole receive path (the UDP socket lookup, the enqueue on the
 * viewer's socket, waking the viewer's thread) runs in the softirq that the sender's own
 * sendmmsg raises, so the kernel charges it to the sender: to the relay being measured. With a
 * NIC the receivers' machines pay it. Receive packet steering (RPS) on `lo` moves that softirq
 * to the other CPUs, and pinning keeps the relay off them, so the relay's CPU is its own work:
 * the rewrite, the SRTP, its send path down to the loopback device. Linux only, as root, with
 * at least 2 CPUs; the bench restores `lo`'s RPS mask when it ends.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const LO_RPS = '/sys/class/net/lo/queues/rx-0/rps_cpus';

let split: { server: string; rest: string } | null = null;
/** Puts lo's RPS mask back as it was (set while the split is on). */
let restoreFn: (() => void) | null = null;

/** Turns the split on; returns why it cannot be, or null. Call restoreSplit() at the end. */
export function enableSplit(): string | null {
  const n = cpus().length;
  if (n < 2) return 'needs at least 2 CPUs';
  let before: string;
  try {
    before = readFileSync(LO_RPS, 'utf8').trim();
    // CPUs 1..n-1 as a hex mask (at most 32 here: enough for the machines the bench runs on).
    const mask = (((2 ** Math.min(n, 32) - 1) >>> 0) & ~1) >>> 0;
    writeFileSync(LO_RPS, mask.toString(16));
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch (err) {
    return `cannot steer lo's receive path or pin (${(err as Error).message.split('\n')[0]})`;
  }
  split = { server: '0', rest: `1-${n - 1}` };
  const restore = () => {
    try {
      writeFileSync(LO_RPS, before);
    } catch {
      // nothing more to do at exit
    }
  };
  restoreFn = restore;
  process.once('exit', restore);
  return null;
}

export function restoreSplit(): void {
  restoreFn?.();
  restoreFn = null;
  split = null;
}

export function splitEnabled(): boolean {
  return split !== null;
}

/** Pins every thread of pid (call again after it has started its threads: new ones inherit). */
function pin(pid: number | undefined, list: string): void {
  if (pid === undefined) return;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
  } catch {
    // gone already, or not permitted: the run's figures then say what they are
  }
}

/** Back on every CPU (a worker that outlives the fan-out section). */
export function unpin(pid: number | undefined): void {
  pin(pid, `0-${cpus().length - 1}`);
}

/** The server being measured (the relay, or Janus): CPU 0 only. */
export function placeServer(pid: number | undefined): void {
  if (split) pin(pid, split.server);
}

/** Anything else the bench runs (clients, origin, publisher): the other CPUs. */
export function placeClient(pid: number | undefined): void {
  if (split) pin(pid, split.rest);
}
