import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { TreeSnapshot } from '../../src/node/TreeDashboard.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

const ADMIN_TOKEN = 'dashboard-admin-token-0123456789';

let tree: Tree | null = null;
const open: IncomingMessage[] = [];

afterEach(async () => {
  for (const res of open.splice(0)) res.destroy();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An open event stream: its response, and the 'tree' events parsed so far. */
function events(url: string, headers: Record<string, string>): Promise<{ res: IncomingMessage; trees: TreeSnapshot[]; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      open.push(res);
      const trees: TreeSnapshot[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (!block.startsWith('event: tree\n')) continue;
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) trees.push(JSON.parse(data.slice(6)) as TreeSnapshot);
        }
      });
      const ended = new Promise<void>((r) => res.once('close', () => r()));
      resolve({ res, trees, ended });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard endpoints', () => {
  it('with --admin-token: the page loads without it and holds no token; the tree and its event stream need it', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--admin-token', ADMIN_TOKEN] });
    const origin = tree.origin.url;
    for (const path of ['/api/tree', '/api/tree/events']) {
      const anon = await get(`${origin}${path}`);
      expect(anon.status).toBe(401);
      expect(anon.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await get(`${origin}${path}`, { Authorization: 'Bearer wrong' })).status).toBe(401);
    }
    const redirect = await get(`${origin}/dashboard?x=1`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('dashboard/?x=1');
    const page = await get(`${origin}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.text).toContain('dashboard.js');
    expect(page.text).not.toContain(ADMIN_TOKEN);
    for (const file of ['dashboard.js', 'dashboard.css']) expect((await get(`${origin}/dashboard/${file}`)).status).toBe(200);
    expect((await get(`${origin}/dashboard/tree.json`)).status).toBe(404);
    expect((await get(`${origin}/dashboard/..%2Fpackage.json`)).status).toBe(404);

    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const stream = await events(`${origin}/api/tree/events`, auth);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toMatch(/^text\/event-stream/);
    // The first event is the whole tree; the level-2 relay's status reaches the origin through relay-a.
    await waitFor(() => stream.trees.length > 0, 5000);
    expect(stream.trees[0]!.node).toBe('origin');
    await waitFor(() => stream.trees.at(-1)!.nodes.length === 3, 10_000);
    const last = stream.trees.at(-1)!;
    expect(last.nodes.map((n) => [n.id, n.level, n.parent, n.state])).toEqual([
      ['origin', 0, null, 'up'],
      ['relay-a', 1, 'origin', 'up'],
      ['relay-a1', 2, 'relay-a', 'up'],
    ]);
    expect(tree.origin.node.dashboard.clients.size).toBe(1);

    // A relay's own dashboard: itself and its subtree.
    const atRelay = JSON.parse((await get(`${tree.relays[0]!.url}/api/tree`, auth)).text) as TreeSnapshot;
    expect(atRelay.nodes.map((n) => n.id)).toEqual(['relay-a', 'relay-a1']);

    // Closing the node ends the stream and empties its registry.
    await tree.close();
    await stream.ended;
    expect(tree.origin.node.dashboard.clients.size).toBe(0);
  });

  it('serves the dashboard on --admin-listen only, not on the public listener', async () => {
    tree = await startTree({ level1: 1, level2PerLevel1: 0, relayFlags: ['--admin-listen', '127.0.0.1:0'] });
    const relay = tree.relays[0]!;
    expect((await get(`${relay.url}/dashboard/`)).status).toBe(404);
    expect((await get(`${relay.url}/api/tree/events`)).status).toBe(404);
    expect((await get(`${relay.node.adminUrl!}/dashboard/`)).status).toBe(200);
    const stream = await events(`${relay.node.adminUrl!}/api/tree/events`, {});
    await waitFor(() => stream.trees.length > 0, 5000);
    expect(stream.trees[0]!.nodes[0]).toMatchObject({ id: 'relay-a', self: true, parent: 'origin', level: 1 });
    // A client that leaves is dropped from the registry.
    stream.res.destroy();
    await waitFor(() => relay.node.dashboard.clients.size === 0, 5000);
  });
});
