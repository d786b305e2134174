import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from './HttpRouter.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { mediaType, readBody, sendJson, sendText } from './http.js';

/** Query parameter a redirected WHEP request carries (the redirecting node's id). */
export const REDIRECT_MARK = 'canopy_redirected_by';

/** A WHIP or WHEP session as its resource URL sees it. */
export interface SessionLike {
  stream: string;
  etag: string;
  /** byClient: the client ended the session itself (DELETE, RFC 9725 §4.3). */
  close(reason: string, opts?: { byClient?: boolean }): void;
  /** What GET on the session resource answers (viewers: playing, or paused and why). */
  status?(): object;
  /** PATCH with a JSON body (a WHEP viewer's layer: docs/abr.md); returns the new state. */
  patch?(body: Record<string, unknown>): object;
}

/** A session resource's PATCH body in JSON (a few fields; RFC 9725 leaves PATCH bodies other than SDP fragments to extensions). */
const MAX_PATCH_BYTES = 1024;

/**
 * What the WHIP server (origin/WhipServer.ts) and the WHEP server (session/WhepServer.ts) have in
 * common: one signaling endpoint with its sessions, admitted against the node's limits.
 */
export interface SignalingServer {
  /** Serves /{whip|whep}/{stream}[/{id}]; false for other paths. */
  readonly route: RouteHandler;
  /** Sessions held and those not yet connected (including offers being negotiated), for admission. */
  counts(): { sessions: number; pending: number };
  /** Closes every session; new offers are refused from then on. */
  close(reason: string): void;
}

/** A session resource's Location (RFC 9725 §4.2): relative, or absolute on the Host the client used. */
export function sessionLocation(req: IncomingMessage, path: string, opts: { absolute: boolean; scheme: 'http' | 'https' }): string {
  // A redirected client resolves a relative Location against the front it first asked;
  // name this node in full.
  const absolute = opts.absolute || (req.url ?? '').includes(`${REDIRECT_MARK}=`);
  return absolute && req.headers.host ? `${opts.scheme}://${req.headers.host}${path}` : path;
}

/**
 * A WHIP or WHEP endpoint `/{whip|whep}/{stream}` (POST, OPTIONS) and its session resources
 * `/{whip|whep}/{stream}/{id}` (RFC 9725 §4). `authorize` vets requests on an existing session.
 */
export async function signalingRoute(
  req: IncomingMessage,
  res: ServerResponse,
  path: string[],
  on: { post: (stream: string) => Promise<void>; session: (id: string) => SessionLike | undefined; authorize?: (session: SessionLike) => Promise<void> | void },
): Promise<boolean> {
  const m = req.method ?? 'GET';
  if (path.length === 2) {
    if (m === 'OPTIONS') {
      res.writeHead(204, { 'Accept-Post': 'application/sdp' });
      res.end();
    } else if (m === 'POST') await on.post(path[1]!);
    else sendText(res, 405, 'use POST', { Allow: 'POST, OPTIONS' });
    return true;
  }
  if (path.length !== 3) return false;
  const session = on.session(path[2]!);
  if (m !== 'OPTIONS' && session) await on.authorize?.(session);
  if (m === 'PATCH' && session?.patch && session.stream === path[1] && mediaType(req) === 'application/json') {
    const text = await readBody(req, MAX_PATCH_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CanopyError(ErrorCode.BAD_REQUEST, 'the PATCH body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'the PATCH body must be a JSON object');
    sendJson(res, 200, session.patch(body as Record<string, unknown>));
    return true;
  }
  sessionResource(req, res, session, path[1]!);
  return true;
}

/** DELETE / PATCH / OPTIONS on a WHIP or WHEP session resource (RFC 9725 §4.3, §4.4). */
function sessionResource(req: IncomingMessage, res: ServerResponse, session: SessionLike | undefined, stream: string): void {
  const m = req.method ?? 'GET';
  if (!session || session.stream !== stream) {
    if (m === 'OPTIONS') {
      res.writeHead(204);
      res.end();
    } else sendText(res, 404, 'no such session');
    return;
  }
  if (m === 'DELETE') {
    session.close('deleted by client', { byClient: true });
    sendText(res, 200, 'session ended');
  } else if (m === 'GET' && session.status) {
    sendJson(res, 200, session.status());
  } else if (m === 'OPTIONS') {
    res.writeHead(204, { Allow: 'DELETE, OPTIONS' });
    res.end();
  } else if (m === 'PATCH') {
    // Trickle ICE and ICE restarts are not supported yet; clients send complete offers.
    sendText(res, 405, 'trickle ICE and ICE restart are not supported', { Allow: 'DELETE, OPTIONS' });
  } else sendText(res, 405, 'use DELETE', { Allow: 'DELETE, OPTIONS' });
}
