import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../relay/config.js';
import { loadOriginConfig } from '../../origin/config.js';
import { parseDuration } from '../../src/duration.js';
import { parseHostPort } from '../../src/config.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const required = ['--id', 'r1', '--parent', 'ws://127.0.0.1:8000/relay', '--ice-address', '127.0.0.1', '--cluster-secret', SECRET];
const origin = ['--id', 'o', '--ice-address', '127.0.0.1'];
const withSecret = { CANOPY_CLUSTER_SECRET: SECRET };

describe('durations', () => {
  it('take plain seconds or a number with ms, s, m or h', () => {
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('0.5')).toBe(500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('72h')).toBe(259_200_000);
    expect(parseDuration(3)).toBe(3000);
  });

  it('reject anything else', () => {
    for (const bad of ['', 'abc', '-1', '5 sec', '1e3', '5x']) expect(parseDuration(bad)).toBeNull();
  });
});

describe('config loading', () => {
  it('applies defaults, then the file, then CANOPY_* variables, then flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'relay.json');
    writeFileSync(file, JSON.stringify({ 'idle-close-after': '7s', startTimeout: 3, listen: '127.0.0.1:9000' }));
    const c = loadRelayConfig([...required, '--config', file, '--start-timeout', '250ms'], { CANOPY_LISTEN: '127.0.0.1:9100' });
    expect(c.idleCloseAfter).toBe(7000);
    expect(c.startTimeout).toBe(250);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(c.heartbeat).toBe(1000);
  });

  it('takes every option from the environment', () => {
    const c = loadOriginConfig([], {
      ...withSecret,
      CANOPY_ID: 'o',
      CANOPY_ICE_ADDRESS: '10.0.0.1',
      CANOPY_SERVE_VIEWERS: 'true',
      CANOPY_IDLE_CLOSE_AFTER: '0',
    });
    expect(c).toMatchObject({ id: 'o', iceAddress: '10.0.0.1', serveViewers: true, idleCloseAfter: 0, clusterSecret: SECRET });
  });

  it('names the offending key in every error', () => {
    expect(() => loadRelayConfig([...required, '--idle-close-after', 'soon'], {})).toThrow(/--idle-close-after: expected a duration/);
    expect(() => loadRelayConfig([...required, '--listen', 'nowhere'], {})).toThrow(/--listen: expected HOST:PORT/);
    expect(() => loadRelayConfig(['--id', 'r'], {})).toThrow(/--ice-address: is required|--parent: is required/);
    expect(() => loadRelayConfig([...required, '--parent', 'http://x'], {})).toThrow(/--parent: expected a ws:\/\//);
    expect(() => loadRelayConfig([...required, '--bogus', '1'], {})).toThrow(/unknown flag --bogus/);
    expect(() => loadOriginConfig([], { ...withSecret, CANOPY_ID: 'o', CANOPY_ICE_ADDRESS: 'x', CANOPY_SERVE_VIEWERS: 'maybe' })).toThrow(/--serve-viewers/);
  });

  it('rejects unknown keys in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ idleClose: 1 }));
    expect(() => loadRelayConfig([...required, '--config', file], {})).toThrow(/unknown key "idleClose"/);
  });

  it('reads a commented YAML file by its extension, validated like any other source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'relay.yaml');
    writeFileSync(
      file,
      [
        '# an edge relay',
        'id: edge-1            # unique in the tree',
        'parent: ws://10.0.0.2:8100/relay',
        'ice-address: 203.0.113.7',
        'listen: 0.0.0.0:8100',
        'idle-close-after: 7s',
        'siblings: false',
        'icePortMin: 50000',
        'drain-timeout: 45s',
        'log-format: pretty',
      ].join('\n'),
    );
    const c = loadRelayConfig(['--config', file], withSecret);
    expect(c).toMatchObject({
      id: 'edge-1',
      parent: [{ url: 'ws://10.0.0.2:8100/relay', priority: 0 }],
      iceAddress: '203.0.113.7',
      siblings: false,
      icePortMin: 50000,
      idleCloseAfter: 7000,
      drainTimeout: 45_000,
      logFormat: 'pretty',
    });
    expect(c.listen).toEqual({ host: '0.0.0.0', port: 8100 });
    const yml = join(dir, 'bad.yml');
    writeFileSync(yml, 'id: r\nidle-close-after: soon\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/--idle-close-after: expected a duration/);
    writeFileSync(yml, 'id: r\nidleClose: 1\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/unknown key "idleClose"/);
    writeFileSync(yml, 'id: r\nid: s\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/--config: cannot read .*bad\.yml/);
    writeFileSync(yml, '- a list\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/must hold a mapping/);
  });

  it('accepts only the listed values of a choice', () => {
    expect(loadRelayConfig([...required, '--log-format', 'pretty'], {}).logFormat).toBe('pretty');
    expect(loadRelayConfig(required, {}).logFormat).toBe('json');
    expect(() => loadRelayConfig([...required, '--log-format', 'xml'], {})).toThrow(/--log-format: expected one of json, pretty/);
  });

  it('parses HOST:PORT including IPv6 and port 0', () => {
    expect(parseHostPort('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort(':8000')).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(parseHostPort('h:70000')).toBeNull();
  });
});

describe('secure defaults', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'canopy-sec-'));

  it('refuse to start any node without a cluster secret unless links are explicitly insecure', () => {
    const relay = required.slice(0, -2);
    expect(() => loadRelayConfig(relay, {})).toThrow(/relay links need a cluster secret: set CANOPY_CLUSTER_SECRET or --cluster-secret-file/);
    expect(() => loadOriginConfig(origin, {})).toThrow(/relay links need a cluster secret/);
    expect(loadRelayConfig([...relay, '--insecure-no-cluster-secret'], {}).clusterSecret).toBeUndefined();
    expect(() => loadRelayConfig([...required, '--insecure-no-cluster-secret'], {})).toThrow(/--insecure-no-cluster-secret: contradicts/);
    expect(() => loadRelayConfig([...relay, '--cluster-secret', 'short'], {})).toThrow(/--cluster-secret: must be at least 16 characters/);
  });

  it('take the cluster secret from a file or the environment, keeping it off the command line', () => {
    const file = join(tmp(), 'secret');
    writeFileSync(file, `${SECRET}\n`, { mode: 0o600 });
    const relay = required.slice(0, -2);
    expect(loadRelayConfig([...relay, '--cluster-secret-file', file], {}).clusterSecret).toBe(SECRET);
    expect(loadRelayConfig(relay, withSecret).clusterSecret).toBe(SECRET);
    expect(() => loadRelayConfig([...relay, '--cluster-secret-file', file], withSecret)).toThrow(/either --cluster-secret or --cluster-secret-file/);
    expect(() => loadRelayConfig([...relay, '--cluster-secret-file', join(tmp(), 'nope')], {})).toThrow(/--cluster-secret-file: cannot read/);
  });

  it('refuse an origin on a non-loopback address without publisher authentication, unless anonymous publishing is allowed', () => {
    const open = [...origin, '--listen', '0.0.0.0:8000'];
    expect(() => loadOriginConfig(open, withSecret)).toThrow(/anyone could publish: configure publisher authentication/);
    expect(loadOriginConfig([...open, '--allow-anonymous-publish'], withSecret).allowAnonymousPublish).toBe(true);
    expect(loadOriginConfig([...open, '--jwt-secret', SECRET], withSecret).jwtSecret).toBe(SECRET);
    expect(loadOriginConfig([...open, '--auth-webhook', 'http://127.0.0.1:9/auth'], withSecret).authWebhook).toBeDefined();
    expect(loadOriginConfig([...open], { ...withSecret, CANOPY_PUBLISH_TOKEN: 'tok' }).publishToken).toBe('tok');
    // Loopback needs nothing: the demo and tests publish there.
    expect(loadOriginConfig(origin, withSecret).publisherReplace).toBe('after-media');
  });

  it('check the other security options together', () => {
    expect(() => loadOriginConfig([...origin, '--publisher-replace', 'always'], withSecret)).toThrow(/--publisher-replace: expected after-media or never/);
    expect(() => loadRelayConfig([...required, '--viewer-auth'], {})).toThrow(/--viewer-auth: needs --jwt-secret/);
    expect(() => loadRelayConfig([...required, '--tls-cert', '/etc/hostname'], {})).toThrow(/TLS needs both --tls-cert and --tls-key/);
    expect(() => loadRelayConfig([...required, '--tls-cert', '/nope', '--tls-key', '/nope'], {})).toThrow(/--tls-cert: cannot read \/nope/);
    expect(() => loadRelayConfig([...required, '--admin-cors-origins', '*'], {})).toThrow(/admin endpoints never allow every origin/);
    expect(() => loadRelayConfig([...required, '--auth-webhook', 'ftp://x'], {})).toThrow(/--auth-webhook: expected an http/);
  });
});

describe('several parents', () => {
  it('take repeated --parent flags in order of preference, or URL#priority=N', () => {
    const c = loadRelayConfig(['--id', 'r', '--ice-address', '127.0.0.1', '--parent', 'ws://a:1/relay', '--parent', 'ws://b:2/relay#priority=5'], withSecret);
    expect(c.parent).toEqual([
      { url: 'ws://a:1/relay', priority: 0 },
      { url: 'ws://b:2/relay', priority: 5 },
    ]);
  });

  it('take a list from the config file or a comma-separated CANOPY_PARENT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'relay.json');
    writeFileSync(file, JSON.stringify({ id: 'r', iceAddress: '127.0.0.1', parent: ['ws://a:1/relay', { url: 'wss://b:2/relay', priority: 0 }] }));
    expect(loadRelayConfig(['--config', file], withSecret).parent).toEqual([
      { url: 'ws://a:1/relay', priority: 0 },
      { url: 'wss://b:2/relay', priority: 0 },
    ]);
    expect(loadRelayConfig(['--id', 'r', '--ice-address', 'x'], { ...withSecret, CANOPY_PARENT: 'ws://a:1/relay,ws://b:2/relay#priority=9' }).parent).toEqual([
      { url: 'ws://a:1/relay', priority: 0 },
      { url: 'ws://b:2/relay', priority: 9 },
    ]);
  });

  it('take a media path per parent next to its priority, over --link-media (docs/pipe.md)', () => {
    const c = loadRelayConfig(
      [
        '--id',
        'r',
        '--ice-address',
        'x',
        '--link-media',
        'ws',
        '--parent',
        'ws://a:1/relay#media=udp',
        '--parent',
        'ws://b:2/relay#priority=3&media=auto',
        '--parent',
        'ws://c:3/relay',
      ],
      withSecret,
    );
    expect(c.linkMedia).toBe('ws');
    expect(c.parent).toEqual([
      { url: 'ws://a:1/relay', priority: 0, media: 'udp' },
      { url: 'ws://b:2/relay', priority: 3, media: 'auto' },
      { url: 'ws://c:3/relay', priority: 2 },
    ]);
    expect(loadRelayConfig(['--id', 'r', '--ice-address', 'x', '--parent', 'ws://a:1/relay'], withSecret).linkMedia).toBe('auto');
    expect(loadRelayConfig(['--id', 'r', '--ice-address', 'x', '--parent', 'ws://a:1/relay'], { ...withSecret, CANOPY_LINK_MEDIA: 'udp' }).linkMedia).toBe(
      'udp',
    );
    const base = ['--id', 'r', '--ice-address', 'x', '--cluster-secret', SECRET];
    expect(() => loadRelayConfig([...base, '--parent', 'ws://a/relay#media=quic'], {})).toThrow(/--parent: media must be one of ws, udp, auto/);
    expect(() => loadRelayConfig([...base, '--parent', 'ws://a/relay', '--link-media', 'tcp'], {})).toThrow(/--link-media: expected one of ws, udp, auto/);
  });

  it('refuse a bad URL or priority, naming the flag', () => {
    const base = ['--id', 'r', '--ice-address', 'x', '--cluster-secret', SECRET];
    expect(() => loadRelayConfig([...base, '--parent', 'http://a/relay'], {})).toThrow(/--parent: expected a ws:\/\//);
    expect(() => loadRelayConfig([...base, '--parent', 'ws://a/relay#prio=1'], {})).toThrow(/--parent: expected URL#priority=N/);
    expect(() => loadRelayConfig([...base, '--parent', 'ws://a/relay', '--redirect', 'nearest'], {})).toThrow(
      /--redirect: expected one of region, class, load/,
    );
  });
});

describe('resolved config', () => {
  it('is frozen, lists and parent entries included: options are decided once, at start', () => {
    const c = loadRelayConfig([...required, '--redirect', 'load'], {});
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (c as { startTimeout: number }).startTimeout = 1;
    }).toThrow(TypeError);
    expect(() => (c.redirect as string[]).push('region')).toThrow(TypeError);
    expect(Object.isFrozen(c.parent[0])).toBe(true);
    expect(Object.isFrozen(loadOriginConfig(origin, { CANOPY_CLUSTER_SECRET: SECRET }))).toBe(true);
  });
});
