// Faults stay where they happen (docs/architecture.md): a throw in one consumer of a stream (a
// viewer, a child link, the recorder, an event listener) is a bug in that consumer, not in the
// stream, the link it came on or the peer at the other end. It is caught at the consumer,
// counted in canopy_consumer_errors_total{kind}, and logged once per consumer (a consumer that
// throws on every packet would otherwise write a line per packet). mediasoup's safeEmit
// (node/src/enhancedEvents.ts) is the same idea for event listeners.
import type { Logger } from './log.js';
import type { Counter } from './metrics.js';

export interface FaultContext {
  /** What kind of consumer threw: the counter's label (viewer, child, recorder, buffer, listener). */
  kind: string;
  /** Anything that names the consumer in the log line: a session id, a link's peer, an event. */
  [field: string]: unknown;
}

/** Catches, counts and logs (once per consumer) the throws of one scope's consumers. */
export class FaultLog {
  /** Consumers whose first fault was logged (weak: a consumer that leaves is not kept). */
  private readonly logged = new WeakSet<object>();

  constructor(
    private readonly log: Logger,
    /** canopy_consumer_errors_total{kind}; absent where a scope has no node metrics (tests, tools). */
    private readonly counter?: Counter | null,
  ) {}

  /** Records that `who` threw `err`. Never throws. */
  report(who: object, err: unknown, ctx: FaultContext): void {
    try {
      this.counter?.inc({ kind: ctx.kind });
      if (this.logged.has(who)) return;
      this.logged.add(who);
      this.log.error({ ...ctx, err }, `${ctx.kind} threw; caught there (counted in canopy_consumer_errors_total, logged once per consumer)`);
    } catch {
      // A broken logger or counter must not turn a contained fault into an uncontained one.
    }
  }
}
