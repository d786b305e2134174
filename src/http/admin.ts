import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost } from '../auth/options.js';
import { sameSecret } from '../auth/Authorizer.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { bearerToken, clearCors, clientIp, setCors } from './http.js';

/** First path segments of admin endpoints: /api/..., /metrics, and the dashboard's page. */
const ADMIN_ROOTS = new Set(['api', 'metrics', 'dashboard']);
/**
 * Static files of admin pages (the dashboard's HTML, script and style): they hold no data and
 * no secret, so with --admin-token a browser may load them without it (it cannot send a
 * Bearer token on a navigation); the page then asks for the token and sends it on its data
 * requests, which the gate checks as any other.
 */
const STATIC_ROOTS = new Set(['dashboard']);

export type Listener = 'public' | 'admin';

export interface AdminGateOptions {
  /** Bearer token required on admin endpoints, on any listener. */
  token?: string;
  /** Whether a separate admin listener runs (then admin endpoints are not on the public one). */
  separateListener: boolean;
  /** Origins allowed to read admin endpoints from a browser (never '*'). */
  corsOrigins: readonly string[];
}

/**
 * Who may read /api/state, /metrics and the like (stream names, peers, load):
 *  - with --admin-listen, only that listener serves them (the public one answers 404);
 *  - with --admin-token, every request needs it as a Bearer token;
 *  - with neither, they answer loopback clients only.
 * /healthz is not an admin endpoint: probes reach it everywhere.
 */
export class AdminGate {
  constructor(private readonly opts: AdminGateOptions) {}

  isAdminPath(path: readonly string[]): boolean {
    return path.length > 0 && ADMIN_ROOTS.has(path[0]!);
  }

  /**
   * Vets an admin request: answers OPTIONS preflights itself (returns false: handled) and
   * throws for a refused request; true means serve it.
   */
  check(req: IncomingMessage, res: ServerResponse, listener: Listener, path: readonly string[] = []): boolean {
    clearCors(res);
    if (this.opts.separateListener && listener === 'public') throw new CanopyError(ErrorCode.NOT_FOUND, 'not found');
    setCors(res, req, this.opts.corsOrigins);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return false;
    }
    if (this.opts.token !== undefined) {
      if (path.length > 0 && STATIC_ROOTS.has(path[0]!) && (req.method === 'GET' || req.method === 'HEAD')) return true;
      const t = bearerToken(req);
      if (t === null || !sameSecret(t, this.opts.token)) throw new CanopyError(ErrorCode.UNAUTHORIZED, 'admin endpoints need the admin Bearer token');
      return true;
    }
    if (listener === 'admin' || isLoopbackHost(clientIp(req))) return true;
    throw new CanopyError(ErrorCode.FORBIDDEN, 'admin endpoints answer local clients only here; the operator can set --admin-token or --admin-listen');
  }
}
