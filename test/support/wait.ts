/**
 * Waiting in tests: the one home of `sleep`, and the waits on events that replace it.
 *
 * Tests wait on what they mean (an event, a condition) rather than for a fixed time: a fixed
 * sleep is either too short on a loaded machine (a flaky test) or too long everywhere (a slow
 * suite). `sleep` remains for the few waits that are about time itself (a pacing interval, a
 * sampling window), and as the polling interval of `waitFor`.
 */
import type { EventEmitter } from 'node:events';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Poll `predicate` until it returns true; rejects after `timeoutMs` with `message`
 * (or a generic one). The predicate may be async.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 10, message?: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (performance.now() >= deadline) throw new Error(message ?? `waitFor: condition not met within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** The arguments of the next `event` from `emitter` (that pass `filter`), or a rejection after `timeoutMs`. */
export function waitEvent<T extends unknown[] = unknown[]>(
  emitter: EventEmitter,
  event: string,
  timeoutMs: number,
  filter: (...args: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (...args: unknown[]): void => {
      if (!filter(...(args as T))) return;
      done();
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      emitter.off(event, on);
    };
    emitter.on(event, on);
  });
}
