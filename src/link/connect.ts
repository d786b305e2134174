import type { IncomingMessage } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { CanopyError, ErrorCode, fromWsCloseCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { canopy } from '../gen/link.js';
import { checkLinkProof, LinkKeys, linkProof, newLinkNonce, secretKey, type LinkTranscript } from './auth.js';
import { decodeFrame, encodeFrame, LINK_VERSION_HEADER, PROTOCOL_VERSION, v1 } from './frame.js';
import { Link } from './Link.js';

export interface ConnectOptions {
  url: string;
  nodeId: string;
  role: 'child' | 'sibling';
  /** The cluster secret; absent only on a cluster run with --insecure-no-cluster-secret. */
  secret?: string;
  /** Extra CA certificates (PEM) trusted for wss:// peers, e.g. a self-signed one. */
  ca?: string | Buffer;
  maxFrameBytes: number;
  timeoutMs: number;
  logger: Logger;
}

export type Welcome = canopy.link.v1.Welcome;

/**
 * Opens a link: WebSocket upgrade (with the version header), the accepting side's Challenge,
 * our Hello with its proof, and the peer's Welcome with its own proof (which also tells our
 * level). Without a valid proof from the peer the link is refused: a node holding the secret
 * never talks to one that does not.
 */
export function connectLink(opts: ConnectOptions): Promise<{ link: Link; welcome: Welcome }> {
  return new Promise((resolve, reject) => {
    const key = secretKey(opts.secret);
    // Redirects are followed: a relay cluster's front sends links on to one of its workers.
    const ws = new WebSocket(opts.url, {
      maxPayload: opts.maxFrameBytes * 2,
      perMessageDeflate: false,
      handshakeTimeout: opts.timeoutMs,
      followRedirects: true,
      maxRedirects: 3,
      headers: { [LINK_VERSION_HEADER]: String(PROTOCOL_VERSION) },
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    let done = false;
    let step: 'challenge' | 'welcome' = 'challenge';
    let transcript: LinkTranscript | null = null;
    let addresses: { localAddress?: string; remoteAddress?: string } = {};
    const fail = (err: CanopyError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(new CanopyError(ErrorCode.TIMEOUT, `no ${step} from ${opts.url} in ${opts.timeoutMs} ms`)), opts.timeoutMs);
    ws.on('error', (err) => fail(new CanopyError(ErrorCode.UNAVAILABLE, `link to ${opts.url}: ${err.message}`)));
    ws.on('close', (code, reason) =>
      fail(new CanopyError(fromWsCloseCode(code) ?? ErrorCode.UNAVAILABLE, `link to ${opts.url} refused: ${reason.toString() || code}`)),
    );
    ws.on('upgrade', (res: IncomingMessage) => {
      addresses = { localAddress: res.socket.localAddress, remoteAddress: res.socket.remoteAddress };
      const v = res.headers[LINK_VERSION_HEADER.toLowerCase()];
      if (v !== String(PROTOCOL_VERSION)) {
        fail(
          new CanopyError(
            ErrorCode.LINK_VERSION,
            `${opts.url} speaks link protocol ${v ?? '1 (or is not a Canopy node)'}; this node speaks ${PROTOCOL_VERSION}: run the same Canopy version on both`,
          ),
        );
      }
    });
    const decode = (data: RawData, isBinary: boolean): canopy.link.v1.Frame | null => {
      try {
        return isBinary ? decodeFrame(data as Buffer, opts.maxFrameBytes) : null;
      } catch {
        return null;
      }
    };
    const onChallenge = (frame: canopy.link.v1.Frame | null): void => {
      const c = frame?.challenge;
      if (!c?.nodeId || c.nonce?.length !== 32) return fail(new CanopyError(ErrorCode.LINK_PROTOCOL, `first frame from ${opts.url} was not a challenge`));
      if (c.protocolVersion !== PROTOCOL_VERSION)
        return fail(new CanopyError(ErrorCode.LINK_VERSION, `${opts.url} speaks link protocol ${c.protocolVersion}; this node speaks ${PROTOCOL_VERSION}`));
      if (key && !c.authenticated) {
        return fail(
          new CanopyError(ErrorCode.LINK_AUTH, `${opts.url} runs without a cluster secret (--insecure-no-cluster-secret): refusing an unauthenticated link`),
        );
      }
      if (!key && c.authenticated) {
        return fail(new CanopyError(ErrorCode.LINK_AUTH, `${opts.url} requires a cluster secret and this node has none`));
      }
      const role = opts.role === 'child' ? v1.Hello.Role.ROLE_CHILD : v1.Hello.Role.ROLE_SIBLING;
      const clientNonce = newLinkNonce();
      transcript = { serverNonce: c.nonce, clientNonce, serverId: c.nodeId, clientId: opts.nodeId, role };
      ws.send(
        encodeFrame({
          hello: {
            nodeId: opts.nodeId,
            protocolVersion: PROTOCOL_VERSION,
            role,
            nonce: clientNonce,
            proof: key ? linkProof(key, 'client', transcript) : new Uint8Array(0),
          },
        }),
      );
      step = 'welcome';
    };
    const onWelcome = (frame: canopy.link.v1.Frame | null): void => {
      const welcome = frame?.welcome;
      const t = transcript!;
      if (!welcome?.nodeId) return fail(new CanopyError(ErrorCode.LINK_PROTOCOL, `${opts.url} answered the hello with something other than a welcome`));
      if (welcome.protocolVersion !== PROTOCOL_VERSION) return fail(new CanopyError(ErrorCode.LINK_VERSION, `peer speaks protocol ${welcome.protocolVersion}`));
      if (welcome.nodeId !== t.serverId)
        return fail(new CanopyError(ErrorCode.LINK_PROTOCOL, `welcome from ${welcome.nodeId} after a challenge from ${t.serverId}`));
      if (key && !checkLinkProof(key, 'server', t, welcome.proof)) {
        return fail(new CanopyError(ErrorCode.LINK_AUTH, `${opts.url} could not prove it holds the cluster secret`));
      }
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners('message');
      ws.removeAllListeners('error');
      ws.removeAllListeners('close');
      ws.removeAllListeners('upgrade');
      const link = new Link(ws, {
        logger: opts.logger,
        peerId: welcome.nodeId,
        heartbeatMs: welcome.heartbeatMs || 5000,
        maxFrameBytes: opts.maxFrameBytes,
        side: 'connecting',
        keys: key ? new LinkKeys(key, t) : null,
        ...addresses,
      });
      resolve({ link, welcome: welcome as Welcome });
    };
    ws.on('message', (data, isBinary) => {
      if (done) return;
      const frame = decode(data, isBinary);
      if (step === 'challenge') onChallenge(frame);
      else onWelcome(frame);
    });
  });
}
