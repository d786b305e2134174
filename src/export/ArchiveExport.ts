import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Authorizer } from '../auth/Authorizer.js';
import { sameSecret } from '../auth/Authorizer.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { bearerToken, clientIp, requestToken, sendError, sendText, STREAM_NAME } from '../http/http.js';
import type { Logger } from '../log.js';
import type { ArchiveStore } from '../media/ArchiveStore.js';
import { writeMp4 } from './Mp4Export.js';

export interface ArchiveExportOptions {
  /** The origin's archive; null at a relay, which forwards to its parent (upstream). */
  archive: ArchiveStore | null;
  /** A relay's current parent as an http(s) base URL, e.g. http://10.0.0.1:8080. */
  upstream?: () => Promise<string | null>;
  authorizer: Authorizer;
  /** The admin token also admits an export (operators pulling recordings). */
  adminToken?: string;
  /** WHEP's `start` parser (epoch ms or ISO 8601). */
  parseStart: (text: string | null) => number | null;
  logger: Logger;
}

/** Longest export one request may ask for. */
export const MAX_EXPORT_S = 6 * 3600;
/** Exports streaming at once at this node; more get 503. */
export const MAX_CONCURRENT_EXPORTS = 8;

/**
 * GET /archive/{stream}.mp4?start=T&duration=S (docs/export.md): the archived media from the
 * keyframe at or before T to T+S as one fragmented MP4, streamed as it is read from disk. The
 * origin answers from its archive; a relay forwards the request to its parent, and so on up.
 */
export class ArchiveExport {
  private running = 0;
  private readonly log: Logger;

  constructor(private readonly opts: ArchiveExportOptions) {
    this.log = opts.logger.child({ component: 'export' });
  }

  get active(): number {
    return this.running;
  }

  async route(req: IncomingMessage, res: ServerResponse, path: string[], url: URL): Promise<boolean> {
    if (path[0] !== 'archive' || path.length !== 2) return false;
    const m = /^(.+)\.mp4$/.exec(path[1]!);
    if (!m) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'use GET', { Allow: 'GET' });
      return true;
    }
    try {
      const stream = m[1]!;
      if (!STREAM_NAME.test(stream)) throw new CanopyError(ErrorCode.BAD_REQUEST, 'bad stream name');
      const startMs = this.opts.parseStart(url.searchParams.get('start'));
      if (startMs === null) throw new CanopyError(ErrorCode.BAD_REQUEST, 'start is required (epoch milliseconds or ISO 8601)');
      const durText = url.searchParams.get('duration') ?? '';
      const durationS = /^\d{1,6}(\.\d{1,3})?$/.test(durText) ? Number(durText) : NaN;
      if (!Number.isFinite(durationS) || durationS > MAX_EXPORT_S)
        throw new CanopyError(ErrorCode.BAD_REQUEST, `duration must be seconds, up to ${MAX_EXPORT_S}`);
      await this.authorize(req, url, stream, startMs);
      if (!this.opts.archive) {
        if (!this.opts.upstream) throw new CanopyError(ErrorCode.NOT_FOUND, 'this origin keeps no archive (--data-dir)');
        await this.forward(req, res, url);
      } else if (durationS === 0) sendText(res, 416, 'the range is empty (duration 0)', { 'Cache-Control': 'no-store' });
      else await this.serve(req, res, this.opts.archive, stream, startMs, startMs + durationS * 1000);
    } catch (err) {
      if (!res.headersSent) res.setHeader('Cache-Control', 'no-store');
      sendError(res, err);
    }
    return true;
  }

  private async authorize(req: IncomingMessage, url: URL, stream: string, startMs: number): Promise<void> {
    const admin = this.opts.adminToken;
    const bearer = bearerToken(req);
    if (admin !== undefined && bearer !== null && sameSecret(bearer, admin)) return;
    await this.opts.authorizer.authorize({ action: 'play', stream, token: requestToken(req, url), ip: clientIp(req), startMs });
  }

  private async serve(req: IncomingMessage, res: ServerResponse, archive: ArchiveStore, stream: string, startMs: number, endMs: number): Promise<void> {
    const range = archive.range(stream);
    if (!range || startMs > range.endMs || endMs <= range.startMs) {
      const held = range
        ? `${stream} is archived from ${new Date(range.startMs).toISOString()} to ${new Date(range.endMs).toISOString()}`
        : `nothing of ${stream} is archived`;
      throw new CanopyError(ErrorCode.NOT_FOUND, `the range is outside the archive window: ${held}`);
    }
    if (this.running >= MAX_CONCURRENT_EXPORTS)
      throw new CanopyError(ErrorCode.UNAVAILABLE, `${MAX_CONCURRENT_EXPORTS} exports are running; try again shortly`);
    // A start before the recording begins at its first keyframe.
    const reader = archive.openReader(stream, Math.max(startMs, range.startMs));
    const info = archive.info(stream, Math.max(startMs, range.startMs));
    if (!reader || !info) throw new CanopyError(ErrorCode.NOT_FOUND, 'the range is outside the archive window');
    const first = await reader.next();
    if (!first || first.captureMs >= endMs) {
      reader.close();
      return void sendText(res, 416, 'no media is recorded in that range', { 'Cache-Control': 'no-store' });
    }
    this.running++;
    try {
      res.writeHead(200, {
        'Content-Type': 'video/mp4',
        'Content-Disposition': `attachment; filename="${stream}-${new Date(first.captureMs).toISOString().replace(/[:.]/g, '-')}.mp4"`,
        'Cache-Control': 'private, no-store',
        'Canopy-Start': String(first.captureMs),
      });
      if (req.method === 'HEAD') {
        reader.close();
        res.end();
        return;
      }
      const seconds = await writeMp4(reader, info, endMs, first, res);
      res.end();
      this.log.info({ stream, startMs: first.captureMs, endMs, seconds }, 'export done');
    } catch (err) {
      this.log.warn({ err, stream }, 'export failed');
      res.destroy();
    } finally {
      this.running--;
    }
  }

  /** A relay: the same request at its parent (which forwards again, up to the origin). */
  private async forward(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const base = await this.opts.upstream?.();
    if (!base) throw new CanopyError(ErrorCode.UNAVAILABLE, 'no parent reachable for the archive');
    const target = new URL(`${url.pathname}${url.search}`, base);
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    return new Promise((resolve) => {
      const up = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: req.method, headers }, (r) => {
        const pass: Record<string, string> = {};
        for (const h of ['content-type', 'content-disposition', 'cache-control', 'canopy-start', 'retry-after', 'content-length']) {
          const v = r.headers[h];
          if (typeof v === 'string') pass[h] = v;
        }
        res.writeHead(r.statusCode ?? 502, pass);
        r.pipe(res);
        r.once('end', () => resolve());
        r.once('error', () => {
          res.destroy();
          resolve();
        });
      });
      up.once('error', (err) => {
        if (!res.headersSent) sendError(res, new CanopyError(ErrorCode.UNAVAILABLE, `parent unreachable: ${err.message}`));
        else res.destroy();
        resolve();
      });
      res.once('close', () => up.destroy());
      up.end();
    });
  }
}
