import { WebSocket } from 'ws';
import { CanopyError, ErrorCode, fromWsCloseCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { canopy } from '../gen/link.js';
import { helloToken } from './auth.js';
import { decodeFrame, encodeFrame, PROTOCOL_VERSION, v1 } from './frame.js';
import { Link } from './Link.js';

export interface ConnectOptions {
  url: string;
  nodeId: string;
  role: 'child' | 'sibling';
  secret?: string;
  maxFrameBytes: number;
  timeoutMs: number;
  logger: Logger;
}

export type Welcome = canopy.link.v1.Welcome;

/** Opens a link: WebSocket, Hello, and the peer's Welcome (which tells our level). */
export function connectLink(opts: ConnectOptions): Promise<{ link: Link; welcome: Welcome }> {
  return new Promise((resolve, reject) => {
    // Redirects are followed: a relay cluster's front sends links on to one of its workers.
    const ws = new WebSocket(opts.url, { maxPayload: opts.maxFrameBytes * 2, perMessageDeflate: false, handshakeTimeout: opts.timeoutMs, followRedirects: true, maxRedirects: 3 });
    let done = false;
    const fail = (err: CanopyError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(new CanopyError(ErrorCode.TIMEOUT, `no welcome from ${opts.url} in ${opts.timeoutMs} ms`)), opts.timeoutMs);
    ws.on('error', (err) => fail(new CanopyError(ErrorCode.UNAVAILABLE, `link to ${opts.url}: ${err.message}`)));
    ws.on('close', (code, reason) => fail(new CanopyError(fromWsCloseCode(code) ?? ErrorCode.UNAVAILABLE, `link to ${opts.url} refused: ${reason.toString() || code}`)));
    ws.on('open', () => {
      const timestampMs = Date.now();
      ws.send(
        encodeFrame({
          hello: {
            nodeId: opts.nodeId,
            protocolVersion: PROTOCOL_VERSION,
            timestampMs,
            token: opts.secret ? helloToken(opts.secret, opts.nodeId, timestampMs) : '',
            role: opts.role === 'child' ? v1.Hello.Role.ROLE_CHILD : v1.Hello.Role.ROLE_SIBLING,
          },
        }),
      );
    });
    ws.once('message', (data, isBinary) => {
      if (done) return;
      let welcome: canopy.link.v1.Welcome.$Properties | null | undefined;
      try {
        welcome = isBinary ? decodeFrame(data as Buffer, opts.maxFrameBytes).welcome : null;
      } catch {
        welcome = null;
      }
      if (!welcome?.nodeId) return fail(new CanopyError(ErrorCode.LINK_PROTOCOL, `first frame from ${opts.url} was not a welcome`));
      if (welcome.protocolVersion !== PROTOCOL_VERSION) return fail(new CanopyError(ErrorCode.LINK_VERSION, `peer speaks protocol ${welcome.protocolVersion}`));
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners('error');
      ws.removeAllListeners('close');
      const link = new Link(ws, {
        logger: opts.logger,
        peerId: welcome.nodeId,
        heartbeatMs: welcome.heartbeatMs || 5000,
        maxFrameBytes: opts.maxFrameBytes,
      });
      resolve({ link, welcome: welcome as Welcome });
    });
  });
}
