import { afterEach, describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayCluster } from '../../relay/RelayCluster.js';
import { sendText } from '../../src/http/http.js';
import { HttpServer, listenerUrl } from '../../src/http/HttpServer.js';
import { silentLogger } from '../../src/log.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('listener URLs', () => {
  it('brackets an IPv6 host (RFC 3986 §3.2.2) and names loopback for a wildcard', () => {
    expect(listenerUrl('http', '::1', 8080)).toBe('http://[::1]:8080');
    expect(listenerUrl('https', 'fd00::5', 443)).toBe('https://[fd00::5]:443');
    expect(listenerUrl('http', '[::1]', 80)).toBe('http://[::1]:80');
    expect(listenerUrl('http', '0.0.0.0', 80)).toBe('http://127.0.0.1:80');
    expect(listenerUrl('http', '::', 80)).toBe('http://127.0.0.1:80');
    expect(listenerUrl('http', '127.0.0.2', 80)).toBe('http://127.0.0.2:80');
  });

  it('a server listening on ::1 is reached at its bracketed URL', async () => {
    const http = new HttpServer({ listen: { host: '::1', port: 0 }, handle: (_req, res) => sendText(res, 200, 'here') });
    closers.push(() => http.close());
    await http.listen();
    expect(http.url).toBe(`http://[::1]:${http.port}`);
    const res = await fetch(`${http.url}/`);
    expect((await res.text()).trim()).toBe('here');
  });

  it('a --workers front on an IPv6 address reports a bracketed URL (it shares the node listener code)', async () => {
    const config = loadRelayConfig(
      ['--id', 'front6', '--listen', '[::1]:0', '--ice-address', '127.0.0.1', '--parent', 'ws://127.0.0.1:9/relay', '--workers', '2', '--log-level', 'warn'],
      {
        CANOPY_CLUSTER_SECRET: 'front6-secret-0123456789abcdef',
      },
    );
    const front = new RelayCluster(config, silentLogger());
    closers.push(() => front.close());
    // Only the front's listener: no worker is started.
    await front.http.listen();
    expect(front.url).toBe(`http://[::1]:${front.http.port}`);
    const health = await fetch(`${front.url}/healthz`);
    expect(((await health.json()) as { workers: number }).workers).toBe(0);
  });
});

describe('WebSocket upgrades', () => {
  it('go to the handler for their path, 404 elsewhere, and 503 while refused', async () => {
    let refuse = false;
    const seen: string[] = [];
    const http = new HttpServer({
      listen: { host: '127.0.0.1', port: 0 },
      handle: (_req, res) => sendText(res, 404, 'no'),
      upgrades: {
        '/relay': (req, socket) => {
          seen.push(req.url ?? '');
          socket.end('HTTP/1.1 418 Teapot\r\nConnection: close\r\n\r\n');
        },
      },
      refuseUpgrades: () => refuse,
    });
    closers.push(() => http.close());
    await http.listen();
    const statusOf = async (path: string): Promise<string> => {
      const { connect } = await import('node:net');
      return new Promise((resolve, reject) => {
        const s = connect(http.port, '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`));
        let got = '';
        s.on('data', (d) => (got += d.toString()));
        s.on('end', () => resolve(got.split('\r\n')[0]!));
        s.on('error', reject);
      });
    };
    expect(await statusOf('/relay?x=1')).toBe('HTTP/1.1 418 Teapot');
    expect(seen).toEqual(['/relay?x=1']);
    expect(await statusOf('/other')).toBe('HTTP/1.1 404 Not Found');
    refuse = true;
    expect(await statusOf('/relay')).toBe('HTTP/1.1 503 Service Unavailable');
    expect(seen).toHaveLength(1);
  });
});
