import { EventEmitter } from 'node:events';
import type { FaultLog } from './faults.js';

/**
 * A typed EventEmitter for the long-lived objects: `Events` maps each event to its arguments,
 * so `on`, `once` and `emit` are checked (Node's own typing, @types/node's EventEmitter<T>).
 *
 * safeEmit() calls each listener on its own: one listener's throw is caught there, reported to
 * the object's FaultLog (counted as kind "listener", logged once per listener) and the other
 * listeners still run, like mediasoup's safeEmit. Without a FaultLog it is emit().
 */
export class TypedEmitter<Events extends Record<keyof Events, unknown[]>> extends EventEmitter<Events> {
  /** Where listener faults go; set by the subclass that has a logger (null: they propagate). */
  protected listenerFaults: FaultLog | null = null;

  /** Fields naming this object in a listener fault's log line. */
  protected faultFields(): Record<string, unknown> {
    return {};
  }

  protected safeEmit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    const faults = this.listenerFaults;
    const untyped = this as unknown as EventEmitter;
    if (!faults) return untyped.emit(event, ...args);
    const listeners = untyped.rawListeners(event) as Array<(...a: unknown[]) => unknown>;
    for (const l of listeners) {
      try {
        l.apply(this, args);
      } catch (err) {
        faults.report(l, err, { kind: 'listener', event, ...this.faultFields() });
      }
    }
    return listeners.length > 0;
  }
}
