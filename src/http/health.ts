import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/** What /healthz reports: `ok` sets the status, the rest is for people and probes. */
export type Health = { ok: boolean } & Record<string, unknown>;

/**
 * GET/HEAD /healthz: 200 while `ok`, else 503 (draining, closing, not ready), so readiness probes
 * and load balancers stop sending traffic here. Not an admin endpoint: probes reach it on every
 * listener. False when the request is not a health check.
 */
export function healthRoute(req: IncomingMessage, res: ServerResponse, path: readonly string[], probe: () => Health): boolean {
  const m = req.method ?? 'GET';
  if (path.length !== 1 || path[0] !== 'healthz' || (m !== 'GET' && m !== 'HEAD')) return false;
  const health = probe();
  sendJson(res, health.ok ? 200 : 503, health);
  return true;
}
