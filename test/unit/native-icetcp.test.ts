import { createHmac, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnginePeer } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { addManagedTrack, closePeer, createLoopbackPeer, waitFor, waitGathering } from '../support/webrtc.js';
import nodeDataChannel from 'node-datachannel';
import { nativeAvailable, vp8Spec } from '../support/nativeTest.js';

// Passive ICE-TCP in the native engine (RFC 6544, RFC 4571 framing): the answer's candidate,
// connectivity checks on the shared TCP port, the connection as the selected path, DTLS over
// it, and what a broken or closed connection costs. Chromium over ICE-TCP is in
// test/e2e/reach.test.ts.

const available = nativeAvailable();

let engine: NativeEngine | null = null;
const peers: EnginePeer[] = [];
const sockets: Socket[] = [];
const logger = pino({ level: 'silent' });

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const p of peers.splice(0)) p.close();
  await engine?.close();
  engine = null;
});

const spec = vp8Spec();

/** A real offer (node-datachannel, recvonly VP8), its a=setup replaced. */
async function offer(setup: string): Promise<{ sdp: string; ufrag: string }> {
  const pc = createLoopbackPeer('icetcp-test');
  const v = new nodeDataChannel.Video('0', 'RecvOnly');
  v.addVP8Codec(96);
  const track = addManagedTrack(pc, v);
  pc.setLocalDescription();
  await waitGathering(pc);
  const sdp = pc.localDescription()!.sdp.replace(/a=setup:\w+/g, `a=setup:${setup}`);
  await closePeer(pc, [track]);
  return { sdp, ufrag: /a=ice-ufrag:(\S+)/.exec(sdp)![1]! };
}

/** A Binding request (RFC 8489) with ICE's attributes (RFC 8445 §7.1.2) and MESSAGE-INTEGRITY. */
function bindingRequest(username: string, pwd: string, useCandidate: boolean): { msg: Buffer; txid: Buffer } {
  const txid = randomBytes(12);
  const attr = (type: number, value: Buffer): Buffer => {
    const pad = (4 - (value.length % 4)) % 4;
    const h = Buffer.alloc(4);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(value.length, 2);
    return Buffer.concat([h, value, Buffer.alloc(pad)]);
  };
  const prio = Buffer.alloc(4);
  prio.writeUInt32BE(1_500_000_000);
  const attrs = [
    attr(0x0006, Buffer.from(username)),
    attr(0x0024, prio),
    attr(0x802a, randomBytes(8)),
    ...(useCandidate ? [attr(0x0025, Buffer.alloc(0))] : []),
  ];
  const body = Buffer.concat(attrs);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt16BE(body.length + 24, 2); // RFC 8489 §14.5: the length covers MESSAGE-INTEGRITY
  header.writeUInt32BE(0x2112a442, 4);
  txid.copy(header, 8);
  const mac = createHmac('sha1', pwd)
    .update(Buffer.concat([header, body]))
    .digest();
  return { msg: Buffer.concat([header, body, attr(0x0008, mac)]), txid };
}

function frame(p: Buffer): Buffer {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(p.length);
  return Buffer.concat([h, p]);
}

/** A TCP client that collects RFC 4571 frames. */
async function client(port: number): Promise<{ sock: Socket; frames: Buffer[]; closed: () => boolean }> {
  const sock = connect(port, '127.0.0.1');
  sockets.push(sock);
  const frames: Buffer[] = [];
  let buf = Buffer.alloc(0);
  let closed = false;
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      frames.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      buf = buf.subarray(2 + buf.readUInt16BE(0));
    }
  });
  sock.on('close', () => (closed = true));
  sock.on('error', () => undefined);
  await new Promise<void>((r) => sock.once('connect', () => r()));
  return { sock, frames, closed: () => closed };
}

describe.skipIf(!available.ok)('native engine: passive ICE-TCP', () => {
  it('offers a passive TCP host candidate on its one TCP port, below the UDP candidate', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    expect(engine.tcpPort).toBeGreaterThan(0);
    const peer = engine.createPeer('v1', {});
    peers.push(peer);
    const answer = await peer.answer((await offer('actpass')).sdp, [spec]);
    const lines = answer.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    const udp = lines.find((l) => / udp /.test(l))!;
    const tcp = lines.find((l) => / tcp /.test(l))!;
    expect(tcp).toMatch(/ typ host tcptype passive$/);
    expect(tcp.split(' ').slice(4, 6)).toEqual(['127.0.0.1', String(engine.tcpPort)]);
    // RFC 6544 §4.2 / RFC 8445 §5.1.2: a client whose UDP works never prefers TCP.
    expect(Number(tcp.split(' ')[3])).toBeLessThan(Number(udp.split(' ')[3]));
  });

  it('can be turned off (no TCP candidate, no listening port)', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, tcpPort: -1, logger });
    expect(engine.tcpPort).toBe(0);
    const peer = engine.createPeer('v1', {});
    peers.push(peer);
    expect(await peer.answer((await offer('actpass')).sdp, [spec])).not.toMatch(/ tcp /);
  });

  it('answers framed checks on a connection, selects it, and runs DTLS over it; its close is the path gone', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    const states: string[] = [];
    const peer = engine.createPeer('v1', { onState: (s) => states.push(s) });
    peers.push(peer);
    // An offer with a=setup:passive makes us the DTLS client: our ClientHello must come over TCP.
    const o = await offer('passive');
    const answer = await peer.answer(o.sdp, [spec]);
    const ufrag = /a=ice-ufrag:(\S+)/.exec(answer)![1]!;
    const pwd = /a=ice-pwd:(\S+)/.exec(answer)![1]!;
    const before = engine.stats();
    const c = await client(engine.tcpPort);
    const { msg, txid } = bindingRequest(`${ufrag}:${o.ufrag}`, pwd, true);
    // Cut the frame in two writes: the reader must reassemble it (RFC 4571 §2 is a byte stream).
    const f = frame(msg);
    c.sock.write(f.subarray(0, 7));
    await new Promise((r) => setTimeout(r, 30));
    c.sock.write(f.subarray(7));
    await waitFor(() => c.frames.length >= 2, 5000, 10, 'a STUN answer and a DTLS ClientHello over TCP');
    const res = c.frames[0]!;
    expect(res.readUInt16BE(0)).toBe(0x0101);
    expect(res.subarray(8, 20).equals(txid)).toBe(true);
    expect(c.frames[1]![0]).toBe(22); // a DTLS handshake record (RFC 7983)
    // The connection is the viewer's path (the selected pair, reported once connected: native-pair.test.ts).
    const id = (peer as unknown as { native: number }).native;
    expect(engine.server.viewerAddress(id)).toEqual({ protocol: 'tcp', address: '127.0.0.1', port: c.sock.localPort });
    const mid = engine.stats();
    expect(mid.tcpAccepted - before.tcpAccepted).toBe(1);
    expect(mid.tcpFramesIn - before.tcpFramesIn).toBe(1);
    expect(mid.stunAnswered - before.stunAnswered).toBe(1);
    expect(mid.tcpConnections).toBe(1);
    c.sock.end();
    await waitFor(() => engine!.stats().tcpClosed - before.tcpClosed === 1, 3000, 10, 'the server closed its side');
    expect(engine.server.viewerAddress(id)).toBeNull();
    expect(engine.stats().tcpConnections).toBe(0);
  });

  it('closes a connection whose framing is broken or whose first check is not ours, and counts it', async () => {
    engine = new NativeEngine({ iceAddress: '127.0.0.1', dataThreads: 1, logger });
    const before = engine.stats();
    const bad = await client(engine.tcpPort);
    bad.sock.write(Buffer.from([0xff, 0xff, 1, 2, 3])); // 65535 > the 4 KiB frame bound
    await waitFor(() => bad.closed(), 3000, 10, 'closed on bad framing');
    const stranger = await client(engine.tcpPort);
    stranger.sock.write(frame(bindingRequest('nobody:x', 'p'.repeat(22), true).msg));
    await waitFor(() => engine!.stats().stunUnknownUser - before.stunUnknownUser === 1, 3000, 10, 'unknown user counted');
    const after = engine.stats();
    expect(after.tcpBadFrames - before.tcpBadFrames).toBe(1);
    expect(stranger.frames).toHaveLength(0);
  });
});
