import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode } from '../../src/errors.js';
import { Link } from '../../src/link/Link.js';
import { silentLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { waitFor } from '../support/wait.js';

describe('link control-frame counters', () => {
  it('count every frame but media, in each direction', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((r) => client.once('open', r));
    const m = new Metrics();
    const counters = { controlIn: m.counter('in_total', 'in'), controlOut: m.counter('out_total', 'out') };
    const upper = new Link(await accepted, { logger: silentLogger(), peerId: 'child', heartbeatMs: 60_000, maxFrameBytes: 4096, counters });
    const lower = new Link(client, { logger: silentLogger(), peerId: 'parent', heartbeatMs: 60_000, maxFrameBytes: 4096 });
    const got: string[] = [];
    lower.on('frame', (f) => got.push(String(f.msg)));
    upper.on('frame', (f) => got.push(String(f.msg)));
    lower.send({ subscribe: { subId: 1, stream: 'cam' } });
    lower.send({ ping: { sentMs: 1 } }); // answered by a pong from the upper end
    upper.sendMedia({ subId: 1, track: 0, rtp: new Uint8Array(20), captureMs: 0 });
    upper.send({ streamEnded: { subId: 1, code: ErrorCode.STREAM_ENDED, reason: 'bye' } });
    await waitFor(() => got.length >= 3 && counters.controlOut.get() >= 2, 2000, 10, 'three frames in, two control frames out');
    expect(got.sort()).toEqual(['media', 'streamEnded', 'subscribe']);
    expect(counters.controlIn.get()).toBe(2); // subscribe, ping
    expect(counters.controlOut.get()).toBe(2); // pong, streamEnded
    upper.close(ErrorCode.SHUTDOWN, 'done');
    lower.close(ErrorCode.SHUTDOWN, 'done');
    wss.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
