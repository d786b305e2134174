import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Authorizer } from '../../src/auth/Authorizer.js';
import { JwtVerifier, signStreamToken, streamMatches } from '../../src/auth/jwt.js';
import { ErrorCode } from '../../src/errors.js';
import { AdminGate } from '../../src/http/admin.js';
import { addressKey, Admission } from '../../src/http/Admission.js';
import { silentLogger } from '../../src/log.js';

const SECRET = 'unit-jwt-secret-0123456789abcdef';

describe('stream tokens (JWT)', () => {
  it('match exact names, prefixes ending in * and *', () => {
    expect(streamMatches('cam', 'cam')).toBe(true);
    expect(streamMatches('cam', 'cam2')).toBe(false);
    expect(streamMatches('team-a/*', 'team-a/x')).toBe(true);
    expect(streamMatches('team-*', 'team-b')).toBe(true);
    expect(streamMatches('team-*', 'other')).toBe(false);
    expect(streamMatches('*', 'anything')).toBe(true);
  });

  it('verify HS256 with the secret: action, stream, expiry and signature', async () => {
    const v = new JwtVerifier({ secret: SECRET });
    const tok = await signStreamToken(SECRET, { stream: ['cam', 'news-*'], action: ['publish', 'play'], ttlSeconds: 60 });
    await expect(v.verify(tok, 'play', 'news-1')).resolves.toMatchObject({ stream: ['cam', 'news-*'] });
    await expect(v.verify(tok, 'publish', 'other')).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    const noExp = await new SignJWT({ stream: '*', action: 'play' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    await expect(v.verify(noExp, 'play', 'cam')).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED, message: expect.stringMatching(/exp/) });
    const tampered = tok.slice(0, -4) + (tok.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(v.verify(tampered, 'play', 'cam')).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED });
  });

  it('verify RS256 and ES256 with a public key or a JWKS, and never take an HS256 token signed with the public key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const claims = { stream: 'cam', action: 'play', exp: Math.floor(Date.now() / 1000) + 60 };
    const rs = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    const es = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'ec1' }).sign(ec.privateKey);
    const byKey = new JwtVerifier({ publicKeyPem: pem });
    await expect(byKey.verify(rs, 'play', 'cam')).resolves.toBeDefined();
    await expect(byKey.verify(es, 'play', 'cam')).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec1', alg: 'ES256' };
    const byJwks = new JwtVerifier({ jwks: { keys: [jwk] } });
    await expect(byJwks.verify(es, 'play', 'cam')).resolves.toBeDefined();
    // Algorithm confusion (RFC 8725 §2.1): the public key's bytes as an HMAC secret.
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pem));
    await expect(byKey.verify(confused, 'play', 'cam')).rejects.toMatchObject({
      code: ErrorCode.UNAUTHORIZED,
      message: expect.stringMatching(/HS256 tokens are not accepted/),
    });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    await expect(byKey.verify(unsigned, 'play', 'cam')).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED });
  });

  it('let the authorizer try the publish token, then the JWT; anonymous only where nothing is required', async () => {
    const base = { id: 'n', viewerAuth: false, authWebhookTimeout: 1000, authWebhookCache: 0 };
    const open = Authorizer.create(base, 'origin', silentLogger());
    await expect(open.authorize({ action: 'publish', stream: 'cam', token: null, ip: '1.2.3.4' })).resolves.toBe('anonymous');
    const a = Authorizer.create({ ...base, publishToken: 'static-token', jwtSecret: SECRET, viewerAuth: true }, 'origin', silentLogger());
    await expect(a.authorize({ action: 'publish', stream: 'cam', token: 'static-token', ip: '' })).resolves.toBe('publish-token');
    await expect(a.authorize({ action: 'play', stream: 'cam', token: 'static-token', ip: '' })).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    const play = await signStreamToken(SECRET, { stream: 'cam', action: 'play', ttlSeconds: 60 });
    await expect(a.authorize({ action: 'play', stream: 'cam', token: play, ip: '' })).resolves.toBe('jwt');
    await expect(a.authorize({ action: 'play', stream: 'cam', token: null, ip: '' })).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    // A relay ignores --publish-token: it never takes publishers.
    expect(Authorizer.create({ ...base, publishToken: 'x' }, 'relay', silentLogger()).required('publish')).toBe(false);
  });
});

describe('admission', () => {
  it('groups IPv6 clients by /64 and IPv4 by address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
  });

  it('refills each address bucket over time and counts requests in flight as pending', () => {
    let held = { sessions: 0, pending: 0 };
    const adm = new Admission({ maxSessions: 10, maxPending: 3, perIpPerSecond: 2 }, () => held);
    const t = 1_000_000;
    const a = adm.admit('192.0.2.1', t);
    adm.admit('192.0.2.1', t).release();
    expect(() => adm.admit('192.0.2.1', t)).toThrow(/too many new sessions/);
    expect(() => adm.admit('192.0.2.1', t + 400)).toThrow(/too many new sessions/);
    adm.admit('192.0.2.1', t + 600).release(); // 1.2 tokens back after 600 ms
    held = { sessions: 1, pending: 2 };
    expect(() => adm.admit('192.0.2.2', t)).toThrow(/too many sessions connecting/); // 2 pending + 1 in flight
    a.release();
    expect(adm.admit('192.0.2.2', t)).toBeDefined();
    held = { sessions: 10, pending: 0 };
    expect(() => adm.admit('192.0.2.3', t)).toThrow(/this node is full/);
    expect(adm.refused).toEqual({ sessions: 1, pending: 1, rate: 2 });
  });
});

describe('admin gate', () => {
  const res = () => {
    const headers: Record<string, string> = {};
    return {
      headers,
      setHeader: (k: string, v: string) => (headers[k.toLowerCase()] = v),
      removeHeader: (k: string) => delete headers[k.toLowerCase()],
      writeHead: () => undefined,
      end: () => undefined,
    } as unknown as ServerResponse & { headers: Record<string, string> };
  };
  const req = (remote: string, headers: Record<string, string> = {}) =>
    ({ method: 'GET', headers, socket: { remoteAddress: remote } }) as unknown as IncomingMessage;

  it('answers loopback clients only when no token or admin listener is configured', () => {
    const gate = new AdminGate({ separateListener: false, corsOrigins: [] });
    expect(gate.check(req('127.0.0.1'), res(), 'public')).toBe(true);
    expect(gate.check(req('::ffff:127.0.0.1'), res(), 'public')).toBe(true);
    expect(() => gate.check(req('203.0.113.9'), res(), 'public')).toThrow(expect.objectContaining({ code: ErrorCode.FORBIDDEN }));
    const sep = new AdminGate({ separateListener: true, corsOrigins: [] });
    expect(() => sep.check(req('127.0.0.1'), res(), 'public')).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
    expect(sep.check(req('203.0.113.9'), res(), 'admin')).toBe(true);
  });

  it('with a token, asks everyone for it, loopback included; CORS only for listed origins', () => {
    const gate = new AdminGate({ token: 'admin-secret', separateListener: false, corsOrigins: ['https://ops.example'] });
    expect(() => gate.check(req('127.0.0.1'), res(), 'public')).toThrow(expect.objectContaining({ code: ErrorCode.UNAUTHORIZED }));
    const r = res();
    expect(gate.check(req('203.0.113.9', { authorization: 'Bearer admin-secret', origin: 'https://ops.example' }), r, 'public')).toBe(true);
    expect(r.headers['access-control-allow-origin']).toBe('https://ops.example');
    const r2 = res();
    gate.check(req('203.0.113.9', { authorization: 'Bearer admin-secret', origin: 'https://evil.example' }), r2, 'public');
    expect(r2.headers['access-control-allow-origin']).toBeUndefined();
  });
});
