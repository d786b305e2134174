import type { IncomingMessage } from 'node:http';
import { CanopyError, ErrorCode } from '../errors.js';

/** How often a draining node checks whether its last consumer has left. */
const IDLE_POLL_MS = 200;

export type DrainOutcome = 'idle' | 'timeout' | 'closed';

/**
 * A node's graceful drain (SIGTERM): once begun, the node takes no new WHIP/WHEP sessions and
 * no new relay links (503 with Retry-After, so a client or load balancer tries elsewhere),
 * /healthz answers 503 `{"draining": true}` so a readiness probe takes the node out of
 * rotation, and everything already connected keeps being served until it leaves or the drain
 * timeout passes. The owner then closes the node.
 *
 * Kept apart from MediaNode's request handling: the node asks `refuses()` before routing and
 * `status()` for its probe. Redirecting refused viewers and moving child relays elsewhere are
 * left to relay choice.
 */
export class DrainGate {
  private startedAt: number | null = null;
  private deadline: number | null = null;
  private waiting: Promise<DrainOutcome> | null = null;
  private cancel: (() => void) | null = null;

  get draining(): boolean {
    return this.startedAt !== null;
  }

  /** True for requests that would start something new here while draining. */
  refuses(req: IncomingMessage, path: readonly string[]): boolean {
    if (!this.draining) return false;
    // POST /whip/{stream} and POST /whep/{stream} create sessions (RFC 9725 §4.2); requests
    // on existing session resources (DELETE) still work.
    return req.method === 'POST' && path.length === 2 && (path[0] === 'whip' || path[0] === 'whep');
  }

  refusal(): CanopyError {
    return new CanopyError(ErrorCode.SHUTDOWN, 'this node is draining (shutting down): connect to another node');
  }

  /** For /healthz and /api/state while draining. */
  status(): { draining: true; sinceMs: number; deadlineMs: number } | null {
    if (this.startedAt === null || this.deadline === null) return null;
    return { draining: true, sinceMs: this.startedAt, deadlineMs: this.deadline };
  }

  /**
   * Begins the drain (idempotent: a second call returns the first one's promise). Resolves
   * 'idle' once `idle()` holds, 'timeout' after timeoutMs, 'closed' if stop() came first.
   */
  begin(timeoutMs: number, idle: () => boolean): Promise<DrainOutcome> {
    if (this.waiting) return this.waiting;
    this.startedAt = Date.now();
    this.deadline = this.startedAt + timeoutMs;
    this.waiting = new Promise<DrainOutcome>((resolve) => {
      const finish = (outcome: DrainOutcome): void => {
        clearInterval(poll);
        clearTimeout(timer);
        this.cancel = null;
        resolve(outcome);
      };
      const check = (): void => {
        if (idle()) finish('idle');
      };
      const poll = setInterval(check, IDLE_POLL_MS);
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      this.cancel = () => finish('closed');
      check();
    });
    return this.waiting;
  }

  /** Ends a pending wait (the node is closing anyway). */
  stop(): void {
    this.cancel?.();
  }
}
