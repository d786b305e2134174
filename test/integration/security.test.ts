import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signStreamToken } from '../../src/auth/jwt.js';
import { ErrorCode } from '../../src/errors.js';
import { connectLink } from '../../src/link/connect.js';
import type { Frame } from '../../src/link/frame.js';
import type { Link } from '../../src/link/Link.js';
import { silentLogger } from '../../src/log.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

// The findings of issue 10, each tried again as an attacker would, and refused or contained.

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];
const links: Link[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const l of links.splice(0)) l.close(ErrorCode.SHUTDOWN, 'test done');
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

const JWT_SECRET = 'jwt-test-secret-0123456789abcdef';

/** One HTTP exchange on its own connection. */
function call(
  method: string,
  url: string,
  opts: { body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...(opts.body !== undefined ? { 'Content-Type': 'application/sdp' } : {}), ...opts.headers };
    const req = request(url, { method, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const relay = (i = 0) => tree!.relays[i]!;

async function publishLive(token?: string): Promise<NodePublisher> {
  const pub = new NodePublisher({ url: `${tree!.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE, token });
  clients.push(pub);
  await pub.start();
  return pub;
}

describe('finding 1: stream takeover', () => {
  it('a takeover attempt with no ICE and no media leaves the first publisher and its viewers untouched', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, originFlags: ['--session-connect-timeout', '3s'] });
    const first = await publishLive();
    const viewer = new NodeViewer({ url: `${relay().url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 30, 15_000, 'video from the broadcaster');
    const firstId = first.sessionUrl!.split('/').pop();
    const feed = tree.origin.node.hub.get('cam')!;

    // The stranger's POST is answered (its session exists) but takes nothing over.
    const attack = await call('POST', `${tree.origin.url}/whip/cam`, { body: await makeOffer({ direction: 'SendOnly' }) });
    expect(attack.status).toBe(201);
    expect(tree.origin.pendingPublishers.size).toBe(1);
    expect(tree.origin.publishers.get('cam')!.id).toBe(firstId);
    const before = viewer.video.packets;
    await viewer.waitFor(() => viewer.video.packets >= before + 60, 10_000, 'video keeps flowing during the attempt');
    // Its session times out unconnected; the stream and the viewer never noticed.
    await waitFor(() => tree!.origin.pendingPublishers.size === 0, 10_000, 50, 'the attacker session reaped');
    const after = viewer.video.packets;
    await viewer.waitFor(() => viewer.video.packets >= after + 30, 10_000, 'video after the attempt');
    expect(tree.origin.publishers.get('cam')!.id).toBe(firstId);
    expect(tree.origin.node.hub.get('cam')).toBe(feed);
    expect(viewer.video.ssrcs.size).toBe(1);
    expect(relay().node.viewers.size).toBe(1);
  });

  it('refuses publishers without a valid token for the stream when JWTs are configured', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0, originFlags: ['--jwt-secret', JWT_SECRET] });
    const offer = await makeOffer({ direction: 'SendOnly' });
    const url = `${tree.origin.url}/whip/cam`;
    const none = await call('POST', url, { body: offer });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await call('POST', url, { body: offer, headers: bearer('not-a-jwt') })).status).toBe(401);
    const other = await signStreamToken(JWT_SECRET, { stream: 'other-*', action: 'publish', ttlSeconds: 60 });
    expect((await call('POST', url, { body: offer, headers: bearer(other) })).status).toBe(403);
    const play = await signStreamToken(JWT_SECRET, { stream: 'cam', action: 'play', ttlSeconds: 60 });
    expect((await call('POST', url, { body: offer, headers: bearer(play) })).status).toBe(403);
    const forged = await signStreamToken('another-secret-0123456789abcdef', { stream: 'cam', action: 'publish', ttlSeconds: 60 });
    expect((await call('POST', url, { body: offer, headers: bearer(forged) })).status).toBe(401);
    const expired = await signStreamToken(JWT_SECRET, { stream: 'cam', action: 'publish', ttlSeconds: -60 });
    expect((await call('POST', url, { body: offer, headers: bearer(expired) })).status).toBe(401);
    expect(tree.origin.publishers.size).toBe(0);
    const good = await signStreamToken(JWT_SECRET, { stream: 'ca*', action: ['publish'], ttlSeconds: 60 });
    const ok = await call('POST', url, { body: offer, headers: bearer(good) });
    expect(ok.status).toBe(201);
    const session = new URL(ok.headers.location as string, url).href;
    // The session resource needs the credential too (RFC 9725 §4.5).
    expect((await call('DELETE', session)).status).toBe(401);
    expect((await call('DELETE', session, { headers: bearer(good) })).status).toBe(200);
  });

  it('answers 409 to a second publisher on a live stream with --publisher-replace never', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0, originFlags: ['--publisher-replace', 'never'] });
    const offer = await makeOffer({ direction: 'SendOnly' });
    const first = await call('POST', `${tree.origin.url}/whip/cam`, { body: offer });
    expect(first.status).toBe(201);
    const second = await call('POST', `${tree.origin.url}/whip/cam`, { body: offer });
    expect(second.status).toBe(409);
    expect(second.text).toMatch(/never replaces a live publisher/);
    expect(tree.origin.publishers.size).toBe(1);
  });

  it('asks the operator webhook for each publish and play: allow, deny, and no answer (fail closed)', async () => {
    const calls: Array<Record<string, unknown>> = [];
    let mode: 'allow' | 'deny' | 'hang' = 'allow';
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push(JSON.parse(body) as Record<string, unknown>);
        if (mode === 'hang') return;
        res.writeHead(mode === 'allow' ? 204 : 403);
        res.end();
      });
    });
    servers.push(hook);
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/auth`;
    tree = await startTree({
      level1: 0,
      level2PerLevel1: 0,
      serveViewers: true,
      originFlags: ['--auth-webhook', hookUrl, '--auth-webhook-timeout', '300ms', '--auth-webhook-cache', '0', '--viewer-auth'],
    });
    const url = `${tree.origin.url}/whip/cam`;
    const pub = await call('POST', url, { body: await makeOffer({ direction: 'SendOnly' }), headers: bearer('opaque-ticket') });
    expect(pub.status).toBe(201);
    expect(calls[0]).toMatchObject({ action: 'publish', stream: 'cam', token: 'opaque-ticket', ip: '127.0.0.1', node: 'origin' });
    const offer = await makeOffer({ direction: 'RecvOnly' });
    mode = 'deny';
    expect((await call('POST', `${tree.origin.url}/whep/cam`, { body: offer })).status).toBe(403);
    expect(calls.at(-1)).toMatchObject({ action: 'play', stream: 'cam', token: null });
    mode = 'hang';
    const hung = await call('POST', `${tree.origin.url}/whep/cam`, { body: offer, headers: bearer('t') });
    expect(hung.status).toBe(503);
    expect(hung.headers['retry-after']).toBeDefined();
    mode = 'allow';
    expect((await call('POST', `${tree.origin.url}/whep/cam`, { body: offer, headers: bearer('t') })).status).toBe(201);
  });
});

describe('finding 2: open relay endpoint and amplification', () => {
  const connect = (url: string, secret?: string) =>
    connectLink({ url, nodeId: 'mallory', role: 'child', secret, maxFrameBytes: 65536, timeoutMs: 3000, logger: silentLogger() });

  it('refuses a relay link that does not prove the cluster secret', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    await expect(connect(tree.origin.linkUrl)).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH });
    await expect(connect(tree.origin.linkUrl, 'guessed-secret-0123456789')).rejects.toMatchObject({ code: ErrorCode.LINK_AUTH });
    expect(tree.origin.node.linkServer.links.size).toBe(0);
    expect(tree.origin.node.downlinks.size).toBe(0);
  });

  it('sends one copy for 1,000 duplicate subscriptions on one link', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0 });
    const pub = await publishLive();
    const { link } = await connect(tree.origin.linkUrl, tree.secret!);
    links.push(link);
    const answers = { ok: 0, shared: 0, error: 0 };
    const mediaBySub = new Map<number, number>();
    link.on('frame', (f: Frame) => {
      if (f.subscribeOk) answers.ok++;
      else if (f.subscribeShared) {
        answers.shared++;
        expect(f.subscribeShared.mediaSubId).toBe(1);
      } else if (f.subscribeError) answers.error++;
      else if (f.media) mediaBySub.set(f.media.subId ?? 0, (mediaBySub.get(f.media.subId ?? 0) ?? 0) + 1);
    });
    for (let subId = 1; subId <= 1000; subId++) link.send({ subscribe: { subId, stream: 'cam' } });
    await waitFor(() => answers.ok + answers.shared + answers.error === 1000, 10_000, 20, '1000 answers');
    expect(answers).toEqual({ ok: 1, shared: 999, error: 0 });
    // Count what the link carries against what the publisher sends, over the same 400 packets.
    await waitFor(() => (mediaBySub.get(1) ?? 0) > 50, 5000, 20, 'media on the link');
    const sentBefore = pub.sentOf('video') + pub.sentOf('audio');
    const gotBefore = mediaBySub.get(1) ?? 0;
    const bytesBefore = tree.origin.node.counters.bytesOut.get();
    await waitFor(() => pub.sentOf('video') + pub.sentOf('audio') - sentBefore >= 400, 10_000, 20, '400 packets published');
    const sent = pub.sentOf('video') + pub.sentOf('audio') - sentBefore;
    const got = (mediaBySub.get(1) ?? 0) - gotBefore;
    const bytes = tree.origin.node.counters.bytesOut.get() - bytesBefore;
    console.log(
      `1000 duplicate subscriptions: ${answers.ok} SubscribeOk, ${answers.shared} SubscribeShared; the publisher sent ${sent} packets, the link carried ${got} media frames (${(got / sent).toFixed(2)} copies), origin bytes out ${bytes}`,
    );
    expect([...mediaBySub.keys()]).toEqual([1]);
    expect(sent).toBeGreaterThan(100);
    // One copy: what arrived is what was published (± packets in flight), not 1000 times it.
    expect(got / sent).toBeGreaterThan(0.8);
    expect(got / sent).toBeLessThan(1.2);
    expect(bytes).toBeLessThan(3 * 2_000_000); // 400 packets of the 2 Mbit/s fixture are ~400 kB; 1000 copies would be ~400 MB
    const downlink = [...tree.origin.node.downlinks][0]!;
    expect(downlink.subs.size).toBe(1000);
    expect(downlink.copies.size).toBe(1);
    expect(tree.origin.node.hub.get('cam')!.consumers.size).toBe(1);
    // Unsubscribing the first keeps the copy for the 999 that share it; the last one ends it.
    link.send({ unsubscribe: { subId: 1 } });
    const still = mediaBySub.get(1)!;
    await waitFor(() => (mediaBySub.get(1) ?? 0) > still + 20, 3000, 20, 'media continues under sub 1 for the sharers');
    link.send({ subscribe: { subId: 1, stream: 'cam' } }); // sub 1 still names a live copy: a protocol error
    await waitFor(() => link.closed, 3000, 20, 'the link is closed');
  });

  it('caps the subscriptions one link may hold', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0, originFlags: ['--max-link-subscriptions', '10'] });
    await call('POST', `${tree.origin.url}/whip/cam`, { body: await makeOffer({ direction: 'SendOnly' }) });
    const { link } = await connect(tree.origin.linkUrl, tree.secret!);
    links.push(link);
    const errors: string[] = [];
    let answered = 0;
    link.on('frame', (f: Frame) => {
      if (f.subscribeOk || f.subscribeShared || f.subscribeError) answered++;
      if (f.subscribeError) errors.push(f.subscribeError.reason ?? '');
    });
    for (let subId = 1; subId <= 11; subId++) link.send({ subscribe: { subId, stream: 'cam' } });
    await waitFor(() => answered === 11, 5000, 20, '11 answers');
    expect(errors).toEqual(['too many subscriptions on this link (limit 10)']);
  });
});

describe('finding 7: who may watch, and who may read the state', () => {
  it('asks viewers at a relay for a play token, in the header or the access_token parameter', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, relayFlags: ['--viewer-auth', '--jwt-secret', JWT_SECRET] });
    await call('POST', `${tree.origin.url}/whip/cam`, { body: await makeOffer({ direction: 'SendOnly' }) });
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const url = `${relay().url}/whep/cam`;
    const none = await call('POST', url, { body: offer });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="canopy"');
    const publishOnly = await signStreamToken(JWT_SECRET, { stream: 'cam', action: 'publish', ttlSeconds: 60 });
    expect((await call('POST', url, { body: offer, headers: bearer(publishOnly) })).status).toBe(403);
    const elsewhere = await signStreamToken(JWT_SECRET, { stream: 'news', action: 'play', ttlSeconds: 60 });
    expect((await call('POST', url, { body: offer, headers: bearer(elsewhere) })).status).toBe(403);
    const play = await signStreamToken(JWT_SECRET, { stream: '*', action: 'play', ttlSeconds: 60 });
    const header = await call('POST', url, { body: offer, headers: bearer(play) });
    expect(header.status).toBe(201);
    const param = await call('POST', `${url}?access_token=${play}`, { body: offer });
    expect(param.status).toBe(201);
    for (const r of [header, param]) expect((await call('DELETE', new URL(r.headers.location as string, url).href)).status).toBe(200);
    // Nothing was pulled for the refused requests.
    expect(relay().node.viewers.size).toBe(0);
  });

  it('serves /api/state and /metrics only with the admin token when one is set, and never with CORS *', async () => {
    tree = await startTree({ level1: 0, level2PerLevel1: 0, originFlags: ['--admin-token', 'admin-token-0123456789'] });
    const origin = tree.origin.url;
    for (const path of ['/api/state', '/metrics']) {
      expect((await call('GET', `${origin}${path}`)).status).toBe(401);
      expect((await call('GET', `${origin}${path}`, { headers: bearer('wrong') })).status).toBe(401);
      const ok = await call('GET', `${origin}${path}`, { headers: { ...bearer('admin-token-0123456789'), Origin: 'http://evil.example' } });
      expect(ok.status).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBeUndefined();
    }
    const health = await call('GET', `${origin}/healthz`);
    expect(health.status).toBe(200);
    // WHIP/WHEP keep their (configurable) CORS.
    const opt = await call('OPTIONS', `${origin}/whip/cam`, { headers: { Origin: 'http://player.example' } });
    expect(opt.headers['access-control-allow-origin']).toBe('*');
  });

  it('moves admin endpoints to --admin-listen, off the public listener', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, relayFlags: ['--admin-listen', '127.0.0.1:0', '--cors-origins', 'https://player.example'] });
    const r = relay();
    const admin = r.node.adminUrl!;
    expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ['/api/state', '/metrics']) {
      expect((await call('GET', `${r.url}${path}`)).status).toBe(404);
      expect((await call('GET', `${admin}${path}`)).status).toBe(200);
    }
    expect((await call('GET', `${r.url}/healthz`)).status).toBe(200);
    expect((await call('GET', `${admin}/healthz`)).status).toBe(200);
    expect((await call('OPTIONS', `${admin}/whep/cam`)).status).toBe(404);
    // CORS for WHEP follows --cors-origins.
    const listed = await call('OPTIONS', `${r.url}/whep/cam`, { headers: { Origin: 'https://player.example' } });
    expect(listed.headers['access-control-allow-origin']).toBe('https://player.example');
    const other = await call('OPTIONS', `${r.url}/whep/cam`, { headers: { Origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
