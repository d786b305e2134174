import type { IncomingMessage, ServerResponse } from 'node:http';
import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';

// CORS: WHIP/WHEP players and publishers are usually served from another origin.
const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match',
  'Access-Control-Expose-Headers': 'Location, ETag, Link, Accept-Post, Accept-Patch, Retry-After, Canopy-Start, Canopy-Notice',
  'Access-Control-Max-Age': '600',
};

export function setCors(res: ServerResponse): void {
  for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
}

/** Reads a request body up to limit bytes; a larger one is a 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) return reject(new CanopyError(ErrorCode.PAYLOAD_TOO_LARGE, `body over ${limit} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new CanopyError(ErrorCode.PAYLOAD_TOO_LARGE, `body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body.endsWith('\n') ? body : `${body}\n`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Answers an error with its RFC status and a one-line reason. */
export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): void {
  const e = toCanopyError(err);
  const extra = { ...headers };
  if (e.status === 503) extra['Retry-After'] ??= '2';
  sendText(res, e.status, e.message.split('\n')[0]!, extra);
}

export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m ? m[1]!.trim() : null;
}

/** Content-Type without parameters, lower-cased. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export const STREAM_NAME = /^[A-Za-z0-9._~-]{1,128}$/;
