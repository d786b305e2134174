import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ErrorCode, wsCloseCode } from '../../src/errors.js';
import { checkHelloToken, helloToken } from '../../src/link/auth.js';
import { connectLink } from '../../src/link/connect.js';
import { decodeFrame, encodeFrame, PROTOCOL_VERSION, streamInfoFromWire, streamInfoToWire } from '../../src/link/frame.js';
import type { Link } from '../../src/link/Link.js';
import { LinkServer } from '../../src/link/LinkServer.js';
import { silentLogger } from '../../src/log.js';

describe('link frame codec', () => {
  it('round-trips every message type', () => {
    const info = { name: 'cam', createdMs: 1700000000000, tracks: [{ id: 0, kind: 'video' as const, codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }] };
    const frames = [
      { hello: { nodeId: 'r1', protocolVersion: 1, token: 'abc', timestampMs: 5, role: 1 } },
      { welcome: { nodeId: 'o', protocolVersion: 1, level: 0, heartbeatMs: 5000, maxFrameBytes: 65536 } },
      { subscribe: { subId: 3, stream: 'cam', startMs: 1234.5, bypass: true } },
      { subscribeOk: { subId: 3, info: streamInfoToWire(info) } },
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
    const ok = decodeFrame(encodeFrame(frames[3]!));
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

describe('hello tokens', () => {
  it('accept the right secret within the allowed skew only', () => {
    const t = helloToken('s3cret', 'r1', 1000);
    expect(checkHelloToken('s3cret', 'r1', 1000, t, 2000)).toBe(true);
    expect(checkHelloToken('other', 'r1', 1000, t, 2000)).toBe(false);
    expect(checkHelloToken('s3cret', 'r2', 1000, t, 2000)).toBe(false);
    expect(checkHelloToken('s3cret', 'r1', 1000, t, 1000 + 10 * 60_000)).toBe(false);
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

  async function start(opts: { secret?: string; level?: number | null; heartbeatMs?: number } = {}): Promise<string> {
    linkServer = new LinkServer({
      nodeId: 'parent',
      instance: 'i1',
      level: () => (opts.level === undefined ? 1 : opts.level),
      secret: opts.secret,
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

  const connect = (url: string, secret?: string) =>
    connectLink({ url, nodeId: 'child', role: 'child', secret, maxFrameBytes: 4096, timeoutMs: 2000, logger: silentLogger() });

  it('tells the child its parent level in the welcome', async () => {
    const url = await start({ level: 1 });
    const { link, welcome } = await connect(url);
    links.push(link);
    expect(welcome).toMatchObject({ nodeId: 'parent', level: 1, protocolVersion: PROTOCOL_VERSION });
  });

  it('refuses a hello with a wrong token, and accepts the right one', async () => {
    const url = await start({ secret: 'k' });
    await expect(connect(url, 'wrong')).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH });
    await expect(connect(url)).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH });
    const { link } = await connect(url, 'k');
    links.push(link);
  });

  it('refuses children while it does not know its own level', async () => {
    const url = await start({ level: null });
    await expect(connect(url)).rejects.toMatchObject({ code: ErrorCode.LINK_NOT_READY });
  });

  async function rawLinked(url: string): Promise<WebSocket> {
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    ws.send(encodeFrame({ hello: { nodeId: 'raw', protocolVersion: PROTOCOL_VERSION } }));
    await new Promise((r) => ws.once('message', r));
    return ws;
  }

  const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));

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
    const ws = new WebSocket(url);
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
