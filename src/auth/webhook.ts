import { createHash } from 'node:crypto';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { StreamAction } from './jwt.js';

export interface WebhookRequest {
  action: StreamAction;
  stream: string;
  token: string | null;
  ip: string;
  /** Time-shift start of a play request (epoch ms), else null. */
  startMs?: number | null;
}

export interface AuthWebhookOptions {
  url: string;
  nodeId: string;
  timeoutMs: number;
  /** How long an answer is reused for the same request; 0: never. */
  cacheTtlMs: number;
  maxCacheEntries?: number;
  logger: Logger;
}

/**
 * The operator's authorization service: POSTs `{action, stream, token, ip, node, startMs}` as
 * JSON for each publish and play, and allows on a 2xx answer. Anything else denies: another
 * status, a timeout, a network error (fail closed). Answers are kept for a few seconds, keyed
 * by a hash of the request, so a burst of identical requests costs one call; concurrent
 * identical requests share the call in flight.
 */
export class AuthWebhook {
  private readonly cache = new Map<string, { allow: boolean; until: number }>();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly log: Logger;

  constructor(private readonly opts: AuthWebhookOptions) {
    this.log = opts.logger.child({ component: 'auth-webhook' });
  }

  /** Resolves true (allow) or false (deny); rejects with UNAVAILABLE when the webhook does not answer. */
  async check(req: WebhookRequest): Promise<boolean> {
    const key = createHash('sha256')
      .update(JSON.stringify([req.action, req.stream, req.token, req.ip, req.startMs ?? null]))
      .digest('base64');
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.allow;
    const running = this.inflight.get(key);
    if (running) return running;
    const call = this.call(req).then((allow) => {
      if (this.opts.cacheTtlMs > 0) this.remember(key, allow);
      return allow;
    });
    this.inflight.set(key, call);
    try {
      return await call;
    } finally {
      this.inflight.delete(key);
    }
  }

  private remember(key: string, allow: boolean): void {
    const max = this.opts.maxCacheEntries ?? 10_000;
    if (this.cache.size >= max) {
      const now = Date.now();
      for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
      // Still full of live entries: forget the oldest (Map keeps insertion order).
      while (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, { allow, until: Date.now() + this.opts.cacheTtlMs });
  }

  private async call(req: WebhookRequest): Promise<boolean> {
    let status: number;
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: req.action, stream: req.stream, token: req.token, ip: req.ip, node: this.opts.nodeId, startMs: req.startMs ?? null }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      const why = (err as Error).name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : (err as Error).message;
      this.log.warn({ action: req.action, stream: req.stream, err: why }, 'auth webhook failed; denying');
      throw new CanopyError(ErrorCode.UNAVAILABLE, 'the authorization service is not answering');
    }
    const allow = status >= 200 && status < 300;
    this.log.debug({ action: req.action, stream: req.stream, status, allow }, 'auth webhook answered');
    return allow;
  }
}
