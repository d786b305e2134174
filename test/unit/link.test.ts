import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { CanopyError, ErrorCode, wsCloseCode } from '../../src/errors.js';
import { checkLinkProof, LinkKeys, linkProof, newLinkNonce, type LinkTranscript } from '../../src/link/auth.js';
import { connectLink } from '../../src/link/connect.js';
import { decodeFrame, encodeFrame, LINK_VERSION_HEADER, PROTOCOL_VERSION, streamInfoFromWire, streamInfoToWire } from '../../src/link/frame.js';
import type { Link } from '../../src/link/Link.js';
import { LinkServer } from '../../src/link/LinkServer.js';
import { silentLogger } from '../../src/log.js';
import { waitFor } from '../support/wait.js';

describe('link frame codec', () => {
  it('round-trips every message type', () => {
    const info = {
      name: 'cam',
      createdMs: 1700000000000,
      tracks: [{ id: 0, kind: 'video' as const, codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
    };
    const frames = [
      { challenge: { protocolVersion: 2, nonce: Buffer.alloc(32, 7), nodeId: 'o', authenticated: true } },
      { hello: { nodeId: 'r1', protocolVersion: 2, role: 1, nonce: Buffer.alloc(32, 1), proof: Buffer.alloc(32, 2) } },
      { welcome: { nodeId: 'o', protocolVersion: 2, level: 0, heartbeatMs: 5000, maxFrameBytes: 65536, proof: Buffer.alloc(32, 3) } },
      { subscribe: { subId: 3, stream: 'cam', startMs: 1234.5, bypass: true } },
      { subscribeOk: { subId: 3, info: streamInfoToWire(info) } },
      { subscribeShared: { subId: 4, mediaSubId: 3, info: streamInfoToWire(info) } },
      { subscribeError: { subId: 3, code: ErrorCode.NOT_FOUND, reason: 'no' } },
      { unsubscribe: { subId: 3 } },
      { media: { subId: 3, track: 1, rtp: Buffer.from([0x80, 96, 0, 1]), captureMs: 1700000000123.25 } },
      { keyframeRequest: { subId: 3, track: 0 } },
      { streamEnded: { subId: 3, code: ErrorCode.STREAM_ENDED, reason: 'bye' } },
      { ping: { sentMs: 1 } },
      { pong: { sentMs: 1 } },
    ];
    for (const f of frames) {
      const back = decodeFrame(encodeFrame(f));
      const key = Object.keys(f)[0] as keyof typeof back;
      expect(back.msg).toBe(key);
      expect(back[key]).toMatchObject((f as Record<string, unknown>)[key] as object);
    }
    const ok = decodeFrame(encodeFrame(frames[4]!));
    expect(streamInfoFromWire(ok.subscribeOk!.info!)).toEqual(info);
  });

  it('marks a live subscribe by leaving the start time absent', () => {
    const f = decodeFrame(encodeFrame({ subscribe: { subId: 1, stream: 'cam' } }));
    expect(f.subscribe!.startMs ?? null).toBeNull();
  });

  it('rejects undecodable bytes with LINK_MALFORMED', () => {
    expect(() => decodeFrame(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(expect.objectContaining({ code: ErrorCode.LINK_MALFORMED }));
    expect(() => decodeFrame(new Uint8Array([0xff]))).toThrow(expect.objectContaining({ code: ErrorCode.LINK_MALFORMED }));
  });

  it('rejects a frame that carries no message, or a subscribe without a stream', () => {
    expect(() => decodeFrame(new Uint8Array(0))).toThrow(expect.objectContaining({ code: ErrorCode.LINK_MALFORMED }));
    expect(() => decodeFrame(encodeFrame({ subscribe: { subId: 1, stream: '' } }))).toThrow(expect.objectContaining({ code: ErrorCode.LINK_MALFORMED }));
    expect(() => decodeFrame(encodeFrame({ subscribeOk: { subId: 1, info: { name: 'x', tracks: [] } } }))).toThrow(/1-8 tracks/);
  });

  it('rejects an oversize frame with LINK_OVERSIZE before decoding it', () => {
    const big = encodeFrame({ media: { subId: 1, track: 0, rtp: new Uint8Array(5000), captureMs: 0 } });
    expect(() => decodeFrame(big, 4096)).toThrow(expect.objectContaining({ code: ErrorCode.LINK_OVERSIZE }));
    expect(decodeFrame(big, 8192).media!.rtp!.length).toBe(5000);
  });
});

const SECRET = 'link-test-secret-0123456789';
const key = Buffer.from(SECRET);

describe('link handshake proofs', () => {
  const t: LinkTranscript = { serverNonce: newLinkNonce(), clientNonce: newLinkNonce(), serverId: 'parent', clientId: 'child', role: 1 };

  it('hold only for the same secret, connection (both nonces), node ids, role and side', () => {
    const p = linkProof(key, 'client', t);
    expect(checkLinkProof(key, 'client', t, p)).toBe(true);
    expect(checkLinkProof(Buffer.from('another-secret-0123456789'), 'client', t, p)).toBe(false);
    expect(checkLinkProof(key, 'server', t, p)).toBe(false);
    expect(checkLinkProof(key, 'client', { ...t, serverNonce: newLinkNonce() }, p)).toBe(false);
    expect(checkLinkProof(key, 'client', { ...t, clientNonce: newLinkNonce() }, p)).toBe(false);
    expect(checkLinkProof(key, 'client', { ...t, clientId: 'mallory' }, p)).toBe(false);
    expect(checkLinkProof(key, 'client', { ...t, serverId: 'other-parent' }, p)).toBe(false);
    expect(checkLinkProof(key, 'client', { ...t, role: 2 }, p)).toBe(false);
    expect(checkLinkProof(key, 'client', t, new Uint8Array(0))).toBe(false);
  });

  it('derive per-link keys that differ by label, length and connection', () => {
    const k = new LinkKeys(key, t);
    expect(k.derive('srtp', 30)).toEqual(new LinkKeys(key, { ...t }).derive('srtp', 30));
    expect(k.derive('srtp', 30)).not.toEqual(k.derive('srtp2', 30));
    expect(k.derive('srtp', 16)).toHaveLength(16);
    expect(k.derive('srtp', 30)).not.toEqual(new LinkKeys(key, { ...t, clientNonce: newLinkNonce() }).derive('srtp', 30));
  });
});

describe('relay link', () => {
  let server: Server | null = null;
  let linkServer: LinkServer | null = null;
  const links: Link[] = [];

  afterEach(async () => {
    for (const l of links) l.close(ErrorCode.SHUTDOWN, 'test done');
    links.length = 0;
    linkServer?.close();
    if (server) await new Promise((r) => server!.close(r));
    expect(linkServer?.links.size ?? 0).toBe(0);
    server = null;
    linkServer = null;
  });

  async function start(opts: { secret?: string | null; level?: number | null; heartbeatMs?: number } = {}): Promise<string> {
    linkServer = new LinkServer({
      nodeId: 'parent',
      instance: 'i1',
      level: () => (opts.level === undefined ? 1 : opts.level),
      secret: opts.secret === null ? undefined : (opts.secret ?? SECRET),
      heartbeatMs: opts.heartbeatMs ?? 5000,
      maxFrameBytes: 4096,
      logger: silentLogger(),
    });
    linkServer.on('link', (l: Link) => links.push(l));
    server = createServer();
    server.on('upgrade', (req, socket, head) => linkServer!.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/relay`;
  }

  const connect = (url: string, secret: string | null = SECRET) =>
    connectLink({ url, nodeId: 'child', role: 'child', secret: secret ?? undefined, maxFrameBytes: 4096, timeoutMs: 2000, logger: silentLogger() });

  it('tells the child its parent level in the welcome', async () => {
    const url = await start({ level: 1 });
    const { link, welcome } = await connect(url);
    links.push(link);
    expect(welcome).toMatchObject({ nodeId: 'parent', level: 1, protocolVersion: PROTOCOL_VERSION });
  });

  it('refuses a hello with a wrong secret or none, and accepts the right one', async () => {
    const url = await start();
    await expect(connect(url, 'wrong-secret-0123456789')).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH });
    await expect(connect(url, null)).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH, message: expect.stringMatching(/requires a cluster secret/) });
    const { link } = await connect(url);
    links.push(link);
    expect(link.authenticated).toBe(true);
  });

  it('refuses children while it does not know its own level', async () => {
    const url = await start({ level: null });
    await expect(connect(url)).rejects.toMatchObject({ code: ErrorCode.LINK_NOT_READY });
  });

  /** A raw v2 handshake: the challenge, then our hello (proof computed with `secret`). */
  async function rawHandshake(
    url: string,
    secret: string | null = SECRET,
  ): Promise<{ ws: WebSocket; hello: Uint8Array; challenge: ReturnType<typeof decodeFrame> }> {
    const ws = new WebSocket(url, { headers: { [LINK_VERSION_HEADER]: String(PROTOCOL_VERSION) } });
    const first = new Promise<Buffer>((r) => ws.once('message', (d) => r(d as Buffer)));
    await new Promise((r) => ws.once('open', r));
    const challenge = decodeFrame(await first);
    const clientNonce = newLinkNonce();
    const t: LinkTranscript = { serverNonce: challenge.challenge!.nonce!, clientNonce, serverId: challenge.challenge!.nodeId!, clientId: 'raw', role: 1 };
    const hello = encodeFrame({
      hello: {
        nodeId: 'raw',
        protocolVersion: PROTOCOL_VERSION,
        role: 1,
        nonce: clientNonce,
        proof: secret ? linkProof(Buffer.from(secret), 'client', t) : new Uint8Array(0),
      },
    });
    ws.send(hello);
    return { ws, hello, challenge };
  }

  async function rawLinked(url: string): Promise<WebSocket> {
    const { ws } = await rawHandshake(url);
    await new Promise((r) => ws.once('message', r));
    return ws;
  }

  const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));
  const closed = (ws: WebSocket) =>
    new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));

  it('refuses a hello replayed on another connection', async () => {
    const url = await start();
    // A real handshake, captured off the wire (as on a plaintext ws:// link).
    const first = await rawHandshake(url);
    const welcome = await new Promise<Buffer>((r) => first.ws.once('message', (d) => r(d as Buffer)));
    expect(decodeFrame(welcome).welcome?.nodeId).toBe('parent');
    expect(linkServer!.links.size).toBe(1);
    // The attacker opens its own connection and sends the captured hello: its proof covers
    // the first connection's nonce, not this one's.
    const ws = new WebSocket(url, { headers: { [LINK_VERSION_HEADER]: String(PROTOCOL_VERSION) } });
    const challenge = new Promise<Buffer>((r) => ws.once('message', (d) => r(d as Buffer)));
    await new Promise((r) => ws.once('open', r));
    const c2 = decodeFrame(await challenge).challenge!;
    expect(Buffer.from(c2.nonce!).equals(Buffer.from(first.challenge.challenge!.nonce!))).toBe(false);
    const done = closed(ws);
    ws.send(first.hello);
    expect(await done).toEqual({ code: wsCloseCode(ErrorCode.LINK_AUTH), reason: expect.stringMatching(/does not prove the cluster secret/) });
    expect(linkServer!.links.size).toBe(1);
    first.ws.close();
  });

  it('lets both ends derive the same keys, different on every link, never sent', async () => {
    const url = await start();
    const accepted: Link[] = [];
    linkServer!.on('link', (l: Link) => accepted.push(l));
    const a = await connect(url);
    const b = await connect(url);
    links.push(a.link, b.link);
    await waitUntil(() => accepted.length === 2);
    const ka = a.link.deriveKey('srtp connecting->accepting', 30);
    expect(accepted[0]!.deriveKey('srtp connecting->accepting', 30)).toEqual(ka);
    expect(accepted[1]!.deriveKey('srtp connecting->accepting', 30)).toEqual(b.link.deriveKey('srtp connecting->accepting', 30));
    expect(b.link.deriveKey('srtp connecting->accepting', 30)).not.toEqual(ka);
    expect(a.link.deriveKey('srtp accepting->connecting', 30)).not.toEqual(ka);
  });

  it('refuses a parent that cannot prove the secret, or offers no authentication at all', async () => {
    const fake = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    fake.on('headers', (h) => h.push(`${LINK_VERSION_HEADER}: ${PROTOCOL_VERSION}`));
    let authenticated = true;
    fake.on('connection', (ws) => {
      ws.send(encodeFrame({ challenge: { protocolVersion: PROTOCOL_VERSION, nonce: newLinkNonce(), nodeId: 'impostor', authenticated } }));
      ws.once('message', () =>
        ws.send(encodeFrame({ welcome: { nodeId: 'impostor', protocolVersion: PROTOCOL_VERSION, level: 0, heartbeatMs: 5000, proof: Buffer.alloc(32) } })),
      );
    });
    await new Promise((r) => fake.once('listening', r));
    const url = `ws://127.0.0.1:${(fake.address() as AddressInfo).port}/relay`;
    try {
      await expect(connect(url)).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH, message: expect.stringMatching(/could not prove/) });
      authenticated = false;
      await expect(connect(url)).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH, message: expect.stringMatching(/runs without a cluster secret/) });
    } finally {
      for (const c of fake.clients) c.terminate();
      await new Promise((r) => fake.close(r));
    }
  });

  it('runs unauthenticated links only when both sides have no secret, and gives them no keys', async () => {
    const url = await start({ secret: null });
    await expect(connect(url)).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH });
    const { link } = await connect(url, null);
    links.push(link);
    expect(link.authenticated).toBe(false);
    expect(() => link.deriveKey('srtp', 30)).toThrow(expect.objectContaining({ code: ErrorCode.LINK_AUTH }));
  });

  it('names a version mismatch in both directions', async () => {
    const url = await start();
    // A version-1 node: no version header, and a Hello at once.
    const old = new WebSocket(url);
    await new Promise((r) => old.once('open', r));
    const done = closed(old);
    old.send(encodeFrame({ hello: { nodeId: 'old', protocolVersion: 1, role: 1 } }));
    expect(await done).toEqual({ code: wsCloseCode(ErrorCode.LINK_VERSION), reason: 'link protocol 1 not supported: this node speaks 2' });
    // A version-1 parent: answers the upgrade without the header.
    const v1 = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => v1.once('listening', r));
    try {
      await expect(connect(`ws://127.0.0.1:${(v1.address() as AddressInfo).port}/relay`)).rejects.toMatchObject({
        code: ErrorCode.LINK_VERSION,
        message: expect.stringMatching(/speaks link protocol 1 .*this node speaks 2/),
      });
    } finally {
      for (const c of v1.clients) c.terminate();
      await new Promise((r) => v1.close(r));
    }
  });

  it('closes a link that sends garbage with LINK_MALFORMED, and keeps serving others', async () => {
    const url = await start();
    const ws = await rawLinked(url);
    const closed = closeCode(ws);
    ws.send(Buffer.from([0xff, 0xff, 0xff]));
    expect(await closed).toBe(wsCloseCode(ErrorCode.LINK_MALFORMED));
    const { link } = await connect(url);
    links.push(link);
    expect(link.closed).toBe(false);
  });

  it("keeps a link up when a frame handler has a bug (our fault, counted), and closes it on a handler's protocol verdict", async () => {
    const url = await start();
    const accepted = new Promise<Link>((r) => linkServer!.once('link', r));
    const { link } = await connect(url);
    links.push(link);
    const parentSide = await accepted;
    const seen: number[] = [];
    parentSide.on('frame', (f) => {
      const track = f.keyframeRequest?.track ?? -1;
      seen.push(track);
      if (track === 1) throw new TypeError('bug in a frame handler');
      if (track === 2) throw new CanopyError(ErrorCode.LINK_PROTOCOL, 'no such track');
    });
    const got = (n: number) => new Promise<void>((r) => parentSide.on('frame', () => seen.length >= n && r()));
    link.send({ keyframeRequest: { subId: 1, track: 1 } });
    link.send({ keyframeRequest: { subId: 1, track: 0 } });
    await got(2);
    expect(seen).toEqual([1, 0]);
    expect(parentSide.closed).toBe(false);
    const closed = new Promise<ErrorCode>((r) => link.once('close', (code) => r(code)));
    link.send({ keyframeRequest: { subId: 1, track: 2 } });
    expect(await closed).toBe(ErrorCode.LINK_PROTOCOL);
  });

  it('closes a link that sends an oversize frame with LINK_OVERSIZE', async () => {
    const url = await start();
    const ws = await rawLinked(url);
    const closed = closeCode(ws);
    ws.send(encodeFrame({ media: { subId: 1, track: 0, rtp: new Uint8Array(5000) } }));
    expect(await closed).toBe(wsCloseCode(ErrorCode.LINK_OVERSIZE));
  });

  it('closes a link that sends text with LINK_MALFORMED', async () => {
    const url = await start();
    const ws = await rawLinked(url);
    const closed = closeCode(ws);
    ws.send('hello?');
    expect(await closed).toBe(wsCloseCode(ErrorCode.LINK_MALFORMED));
  });

  it('refuses a connection whose first frame is not a hello', async () => {
    const url = await start();
    const ws = new WebSocket(url, { headers: { [LINK_VERSION_HEADER]: String(PROTOCOL_VERSION) } });
    await new Promise((r) => ws.once('open', r));
    const closed = closeCode(ws);
    ws.send(encodeFrame({ ping: { sentMs: 1 } }));
    expect(await closed).toBe(wsCloseCode(ErrorCode.LINK_PROTOCOL));
  });

  it('closes a silent peer after three missed heartbeats', async () => {
    const url = await start({ heartbeatMs: 100 });
    const ws = await rawLinked(url);
    // A raw socket that never answers pings, like a hung peer.
    const closed = closeCode(ws);
    expect(await closed).toBe(wsCloseCode(ErrorCode.LINK_HEARTBEAT));
  });
});

function waitUntil(check: () => boolean, timeoutMs = 2000): Promise<void> {
  return waitFor(check, timeoutMs, 10, 'timed out');
}
