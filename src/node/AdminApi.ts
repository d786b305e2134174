import type { IncomingMessage, ServerResponse } from 'node:http';
import { CanopyError, ErrorCode } from '../errors.js';
import type { RouteHandler } from '../http/HttpRouter.js';
import { sendJson } from '../http/http.js';
import type { Metrics } from '../metrics.js';
import type { Director } from './Director.js';
import type { EventLoopMonitor } from './EventLoopMonitor.js';

export interface AdminApiOptions {
  nodeId: string;
  /** /api/state's body (StateReport.ts). */
  state: () => unknown;
  eventLoop: EventLoopMonitor;
  director: Director;
  metrics: Metrics;
}

/**
 * The node's admin endpoints, served behind the admin gate (HttpRouter, admin.ts): GET /api/state,
 * /api/eventloop?seconds=N, /api/directory?stream=S and /metrics.
 */
export function adminApi(opts: AdminApiOptions): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> => {
    if (req.method !== 'GET') return false;
    // Segments, not a joined string: /api%2Fstate is not /api/state.
    const at = (...segments: string[]): boolean => path.length === segments.length && segments.every((s, i) => path[i] === s);
    if (at('api', 'state')) {
      sendJson(res, 200, opts.state());
      return true;
    }
    if (at('api', 'eventloop')) {
      const seconds = Number(url.searchParams.get('seconds') ?? 10);
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120) throw new CanopyError(ErrorCode.BAD_REQUEST, 'seconds must be an integer from 1 to 120');
      sendJson(res, 200, opts.eventLoop.window(seconds));
      return true;
    }
    if (at('api', 'directory')) {
      const stream = url.searchParams.get('stream');
      sendJson(res, 200, { node: opts.nodeId, stream, candidates: opts.director.directory(stream) });
      return true;
    }
    if (at('metrics')) {
      const text = await opts.metrics.render();
      res.writeHead(200, { 'Content-Type': opts.metrics.contentType });
      res.end(text);
      return true;
    }
    return false;
  };
}
