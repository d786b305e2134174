import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, toCanopyError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Counter } from '../metrics.js';
import type { AdminGate, Listener } from './admin.js';
import { healthRoute, type Health } from './health.js';
import { clientErrorLevel, clientIp, errorReason, pathSegments, requestUrl, RetryLaterError, sendError, sendText, setCors, type CorsPolicy } from './http.js';
import { LogBudget } from './LogBudget.js';

/** Serves a request it knows and returns true; false passes it to the next route. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string[], url: URL) => Promise<boolean> | boolean;

export interface HttpRouterOptions {
  logger: Logger;
  /** Origins allowed to call WHIP/WHEP from a browser. */
  cors: CorsPolicy;
  admin: AdminGate;
  /** Every error response, by status (http_errors_total). */
  errors?: Counter;
  health: () => Health;
  /** An error for a request this node refuses before routing (a new session while draining), else null. */
  refuse?: (req: IncomingMessage, path: readonly string[]) => Error | null;
}

/**
 * Maps a request to its route and an outcome to a status: /healthz, admin endpoints behind the
 * admin gate, the public routes in the order added, 404 for the rest, and any thrown error to
 * its status (errors.ts) with its reason. Counts every error response and logs client errors
 * within a budget.
 */
export class HttpRouter {
  private readonly routes: RouteHandler[] = [];
  private readonly adminRoutes: RouteHandler[] = [];
  /** Client errors logged per second at most (LogBudget.ts). */
  private readonly clientErrorLog = new LogBudget(20);

  constructor(private readonly opts: HttpRouterOptions) {}

  addRoutes(handler: RouteHandler): void {
    this.routes.push(handler);
  }

  /** Routes served behind the admin gate (on the admin listener when there is one), e.g. a dashboard under /dashboard. */
  addAdminRoutes(handler: RouteHandler): void {
    this.adminRoutes.push(handler);
  }

  async handle(req: IncomingMessage, res: ServerResponse, listener: Listener): Promise<void> {
    // WHIP/WHEP CORS from the start, so a browser can read even a 400's reason; the admin gate
    // replaces it with its own for admin endpoints.
    if (listener === 'public') setCors(res, req, this.opts.cors);
    let segments: string[] = [];
    res.once('finish', () => this.responded(req, res, segments));
    try {
      const url = requestUrl(req);
      const path = pathSegments(url);
      segments = path;
      if (healthRoute(req, res, path, this.opts.health)) return;
      if (this.opts.admin.isAdminPath(path)) {
        if (!this.opts.admin.check(req, res, listener, path)) return;
        for (const r of this.adminRoutes) if (await r(req, res, path, url)) return;
        sendText(res, 404, 'not found');
        return;
      }
      if (listener === 'admin') {
        sendText(res, 404, 'not found (the admin listener serves /api/state, /metrics and /healthz)');
        return;
      }
      const refusal = this.opts.refuse?.(req, path);
      if (refusal) throw refusal;
      for (const r of this.routes) if (await r(req, res, path, url)) return;
      sendText(res, 404, 'not found');
    } catch (err) {
      const e = toCanopyError(err);
      // A fault of ours is an error; an upstream or dependency that fails, a warning; a refusal
      // by a limit or a shutdown, a debug line. A client's mistake (4xx) is logged once sent
      // (responded), within a budget: hostile clients must not flood the log.
      const log = this.opts.logger;
      if (e.status === 500) log.error({ err, method: req.method, path: logPath(req) }, 'request failed');
      else if (e.status > 500) {
        const ctx = { status: e.status, reason: e.message, method: req.method, path: logPath(req), ip: clientIp(req) };
        if (e.code !== ErrorCode.SHUTDOWN && !(e instanceof RetryLaterError)) log.warn(ctx, 'request failed');
        else log.debug(ctx, 'request refused');
      }
      sendError(res, e);
    }
  }

  /**
   * Counts every error response once it is sent, wherever it came from (a thrown error or a
   * route's own 404/405), and logs a client error (4xx) with its reason: the path only, as the
   * query may carry an access_token.
   */
  private responded(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): void {
    const status = res.statusCode;
    if (status < 400) return;
    this.opts.errors?.inc({ status: String(status) });
    if (status >= 500) return;
    const level = clientErrorLevel(status, segments);
    const log = this.opts.logger;
    if (!log.isLevelEnabled(level)) return;
    const skipped = this.clientErrorLog.take();
    if (skipped === null) return;
    const ctx = {
      status,
      reason: errorReason(res),
      method: req.method,
      path: logPath(req),
      remote: clientIp(req),
      ...(skipped ? { notLoggedBefore: skipped } : {}),
    };
    log[level](ctx, 'client error');
  }
}

/** A request's path for the log: the path only, as the query may carry an access_token. */
export function logPath(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0]!.slice(0, 200);
}
