import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOriginConfig } from '../../origin/config.js';
import { loadRelayConfig } from '../../relay/config.js';
import { IceServers, iceServerLink, parseTurnUrl, turnCredential } from '../../src/auth/IceServers.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const TURN_SECRET = 'fedcba9876543210fedcba9876543210';
const relay = ['--id', 'r1', '--parent', 'ws://127.0.0.1:8000/relay', '--ice-address', '127.0.0.1', '--cluster-secret', SECRET];

/** RFC 8288 link-value parameters of one Link header value (quoted-strings unescaped). */
function linkParams(value: string): { target: string; params: Record<string, string> } {
  const m = /^<([^>]*)>((?:\s*;\s*[a-z-]+="(?:[^"\\]|\\.)*")*)$/.exec(value);
  if (!m) throw new Error(`not a link-value: ${value}`);
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/;\s*([a-z-]+)="((?:[^"\\]|\\.)*)"/g)) params[p[1]!] = p[2]!.replace(/\\(.)/g, '$1');
  return { target: m[1]!, params };
}

describe('TURN URLs (RFC 7065 §3.1)', () => {
  it('take turn: and turns: with a host, an optional port and transport', () => {
    expect(parseTurnUrl('turn:turn.example.net')).toEqual({
      url: 'turn:turn.example.net:3478',
      scheme: 'turn',
      host: 'turn.example.net',
      port: 3478,
      transport: 'udp',
    });
    expect(parseTurnUrl('turn:10.0.0.1:3479?transport=tcp')).toMatchObject({ url: 'turn:10.0.0.1:3479?transport=tcp', port: 3479, transport: 'tcp' });
    expect(parseTurnUrl('turns:turn.example.net:443?transport=tcp')).toMatchObject({ scheme: 'turns', port: 443, transport: 'tcp' });
    expect(parseTurnUrl('turns:turn.example.net')).toMatchObject({ port: 5349, transport: 'tcp' });
    expect(parseTurnUrl('turn:[2001:db8::1]:3478?transport=udp')).toMatchObject({ host: '2001:db8::1', url: 'turn:[2001:db8::1]:3478?transport=udp' });
  });

  it('refuse anything else with a reason', () => {
    for (const bad of ['stun:x', 'turn:', 'turn://x', 'turn:x:0', 'turn:x:70000', 'turn:x?transport=sctp', 'turn:user@x', 'turn:x/path', 'http://x']) {
      expect(() => parseTurnUrl(bad), bad).toThrow(/turn:HOST|port/);
    }
    expect(() => parseTurnUrl('turns:x?transport=udp')).toThrow(/DTLS/);
  });
});

describe("coturn's shared-secret credentials (use-auth-secret)", () => {
  it('are expiry:session and base64(HMAC-SHA1(secret, username)), as openssl computes it', () => {
    const now = Date.UTC(2026, 11, 6, 17, 0, 0);
    const c = turnCredential(TURN_SECRET, 'a1b2c3', 3_600_000, now);
    expect(c.username).toBe(`${now / 1000 + 3600}:a1b2c3`);
    expect(c.expiresMs).toBe(now + 3_600_000);
    // An independent implementation of the same HMAC.
    const expected = execFileSync('sh', ['-c', `printf %s '${c.username}' | openssl dgst -sha1 -hmac '${TURN_SECRET}' -binary | base64`], {
      encoding: 'utf8',
    }).trim();
    expect(c.credential).toBe(expected);
  });

  it('never put the separator twice in a username', () => {
    expect(turnCredential(TURN_SECRET, 'a:b', 60_000, 0).username).toBe('60:a-b');
  });
});

describe('Link headers (RFC 9725 §4.6, RFC 8288)', () => {
  it('carry the URL, rel="ice-server", username, credential and credential-type', () => {
    const v = iceServerLink('turn:t.example:3478?transport=tcp', { username: '1700000000:s1', credential: 'abc/+=' });
    expect(v).toBe('<turn:t.example:3478?transport=tcp>; rel="ice-server"; username="1700000000:s1"; credential="abc/+="; credential-type="password"');
    expect(linkParams(v)).toEqual({
      target: 'turn:t.example:3478?transport=tcp',
      params: { rel: 'ice-server', username: '1700000000:s1', credential: 'abc/+=', 'credential-type': 'password' },
    });
  });

  it('quote what needs it', () => {
    const v = iceServerLink('turn:x:3478', { username: 'a"b\\c', credential: 'p' });
    expect(linkParams(v).params.username).toBe('a"b\\c');
  });

  it('one per URL, all with the same short-lived credential', () => {
    const s = new IceServers({ urls: ['turn:h:3478?transport=udp', 'turns:h:443'].map(parseTurnUrl), secret: TURN_SECRET, ttlMs: 3_600_000 });
    const links = s.links('sess', 1_000_000);
    expect(links).toHaveLength(2);
    const [a, b] = links.map(linkParams);
    expect(a!.target).toBe('turn:h:3478?transport=udp');
    expect(b!.target).toBe('turns:h:443');
    expect(a!.params.username).toBe('4600:sess');
    expect(b!.params.credential).toBe(a!.params.credential);
  });
});

describe('TURN options', () => {
  it('default to no TURN and a one-hour lifetime', () => {
    const c = loadRelayConfig(relay, {});
    expect(c.turnUrl).toBeUndefined();
    expect(c.turnTtl).toBe(3_600_000);
    expect(IceServers.fromConfig(c)).toBeNull();
  });

  it('take repeated --turn-url, the secret from CANOPY_TURN_SECRET, and --turn-ttl', () => {
    const c = loadRelayConfig([...relay, '--turn-url', 'turn:t:3478?transport=udp', '--turn-url', 'turns:t:443', '--turn-ttl', '10m'], {
      CANOPY_TURN_SECRET: TURN_SECRET,
    });
    expect(c.turnUrl).toEqual(['turn:t:3478?transport=udp', 'turns:t:443']);
    expect(c.turnSecret).toBe(TURN_SECRET);
    expect(c.turnTtl).toBe(600_000);
    expect(IceServers.fromConfig(c)!.links('x')).toHaveLength(2);
  });

  it('read the secret from --turn-secret-file, like the other secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-turn-'));
    const file = join(dir, 'turn.secret');
    writeFileSync(file, `${TURN_SECRET}\n`);
    const c = loadOriginConfig(['--id', 'o', '--ice-address', '127.0.0.1', '--cluster-secret', SECRET, '--turn-url', 'turn:t', '--turn-secret-file', file], {});
    expect(c.turnSecret).toBe(TURN_SECRET);
    expect(() =>
      loadOriginConfig(['--id', 'o', '--ice-address', '127.0.0.1', '--cluster-secret', SECRET, '--turn-url', 'turn:t', '--turn-secret-file', file], {
        CANOPY_TURN_SECRET: TURN_SECRET,
      }),
    ).toThrow(/either --turn-secret or --turn-secret-file/);
  });

  it('are validated together, each error naming its flag', () => {
    expect(() => loadRelayConfig([...relay, '--turn-url', 'turn:t'], {})).toThrow(/--turn-secret: .*CANOPY_TURN_SECRET/);
    expect(() => loadRelayConfig(relay, { CANOPY_TURN_SECRET: TURN_SECRET })).toThrow(/--turn-url: a TURN secret is set/);
    expect(() => loadRelayConfig([...relay, '--turn-url', 'stun:t'], { CANOPY_TURN_SECRET: TURN_SECRET })).toThrow(/--turn-url: expected turn:/);
    expect(() => loadRelayConfig([...relay, '--turn-url', 'turn:t'], { CANOPY_TURN_SECRET: 'short' })).toThrow(/--turn-secret: must be at least 16/);
    expect(() => loadRelayConfig([...relay, '--turn-ttl', '5s'], {})).toThrow(/--turn-ttl: must be at least/);
  });
});
