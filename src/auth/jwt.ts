import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CanopyError, ErrorCode } from '../errors.js';

/**
 * Stream tokens: JWTs (RFC 7519) that name what their holder may do.
 *
 *   { "stream": "cam" | "cam-*" | "*" | [..], "action": "publish" | "play" | [..], "exp": ... }
 *
 * `stream` is an exact name, a prefix ending in `*`, or `*` for every stream; `exp` is
 * required. HS256 tokens are checked with the shared secret; RS/PS/ES/EdDSA tokens with a
 * public key or a JWKS. The algorithm comes from the verifier's keys, never from the token
 * alone: an HS256 token is never checked against a public key (RFC 8725 §3.1).
 */
export type StreamAction = 'publish' | 'play';

export interface StreamClaims {
  stream: string | string[];
  action: StreamAction | StreamAction[];
}

export interface JwtVerifierOptions {
  secret?: string;
  publicKeyPem?: string;
  jwks?: JSONWebKeySet;
  issuer?: string;
  audience?: string;
}

const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
const ASYM_ALGS: Record<string, string[]> = {
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  ec: ['ES256', 'ES384', 'ES512'],
  ed25519: ['EdDSA', 'Ed25519'],
};
const ALL_ASYM = [...new Set(Object.values(ASYM_ALGS).flat())];
/** Longest token looked at: a JWT is a few hundred bytes. */
const MAX_TOKEN_LENGTH = 8192;

/** Whether a token's stream pattern covers a stream name. */
export function streamMatches(pattern: string, stream: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return stream.startsWith(pattern.slice(0, -1));
  return pattern === stream;
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export class JwtVerifier {
  private readonly secret: Uint8Array | null;
  private readonly publicKey: KeyObject | null;
  private readonly jwks: JWTVerifyGetKey | null;

  constructor(private readonly opts: JwtVerifierOptions) {
    this.secret = opts.secret ? new TextEncoder().encode(opts.secret) : null;
    this.publicKey = opts.publicKeyPem ? createPublicKey(opts.publicKeyPem) : null;
    this.jwks = opts.jwks ? createLocalJWKSet(opts.jwks) : null;
  }

  static fromConfig(c: { jwtSecret?: string; jwtPublicKeyFile?: string; jwtJwksFile?: string; jwtIssuer?: string; jwtAudience?: string }): JwtVerifier | null {
    if (c.jwtSecret === undefined && c.jwtPublicKeyFile === undefined && c.jwtJwksFile === undefined) return null;
    let jwks: JSONWebKeySet | undefined;
    if (c.jwtJwksFile !== undefined) {
      try {
        jwks = JSON.parse(readFileSync(c.jwtJwksFile, 'utf8')) as JSONWebKeySet;
        if (!Array.isArray(jwks.keys)) throw new Error('no "keys" array');
      } catch (err) {
        throw new CanopyError(ErrorCode.CONFIG, `--jwt-jwks-file: ${c.jwtJwksFile}: ${(err as Error).message}`);
      }
    }
    let publicKeyPem: string | undefined;
    if (c.jwtPublicKeyFile !== undefined) {
      publicKeyPem = readFileSync(c.jwtPublicKeyFile, 'utf8');
      try {
        createPublicKey(publicKeyPem);
      } catch (err) {
        throw new CanopyError(ErrorCode.CONFIG, `--jwt-public-key-file: ${c.jwtPublicKeyFile}: ${(err as Error).message}`);
      }
    }
    return new JwtVerifier({ secret: c.jwtSecret, publicKeyPem, jwks, issuer: c.jwtIssuer, audience: c.jwtAudience });
  }

  /**
   * Checks a token for an action on a stream. Throws UNAUTHORIZED for a token that is not a
   * valid, unexpired JWT from a configured key, and FORBIDDEN for a valid one that does not
   * cover this stream or action.
   */
  async verify(token: string, action: StreamAction, stream: string): Promise<JWTPayload> {
    if (token.length > MAX_TOKEN_LENGTH || !looksLikeJwt(token)) throw new CanopyError(ErrorCode.UNAUTHORIZED, 'the token is not a JWT');
    let alg: string;
    try {
      alg = decodeProtectedHeader(token).alg ?? '';
    } catch {
      throw new CanopyError(ErrorCode.UNAUTHORIZED, 'the token is not a JWT');
    }
    const common = { issuer: this.opts.issuer, audience: this.opts.audience, requiredClaims: ['exp'], clockTolerance: 5 };
    let payload: JWTPayload;
    try {
      if (HMAC_ALGS.includes(alg)) {
        if (!this.secret) throw new Error(`${alg} tokens are not accepted here`);
        payload = (await jwtVerify(token, this.secret, { ...common, algorithms: HMAC_ALGS })).payload;
      } else if (this.publicKey) {
        const algs = ASYM_ALGS[this.publicKey.asymmetricKeyType ?? ''] ?? [];
        try {
          payload = (await jwtVerify(token, this.publicKey, { ...common, algorithms: algs })).payload;
        } catch (err) {
          if (!this.jwks) throw err;
          payload = (await jwtVerify(token, this.jwks, { ...common, algorithms: ALL_ASYM })).payload;
        }
      } else if (this.jwks) {
        payload = (await jwtVerify(token, this.jwks, { ...common, algorithms: ALL_ASYM })).payload;
      } else {
        throw new Error(`${alg || 'unsigned'} tokens are not accepted here`);
      }
    } catch (err) {
      throw new CanopyError(ErrorCode.UNAUTHORIZED, `invalid token: ${(err as Error).message.split('\n')[0]}`);
    }
    const actions = ([] as unknown[]).concat(payload.action ?? []);
    const streams = ([] as unknown[]).concat(payload.stream ?? []);
    if (!actions.includes(action)) throw new CanopyError(ErrorCode.FORBIDDEN, `the token does not allow ${action}`);
    if (!streams.some((p) => typeof p === 'string' && streamMatches(p, stream)))
      throw new CanopyError(ErrorCode.FORBIDDEN, `the token does not cover stream ${stream}`);
    return payload;
  }
}

/** Mints an HS256 stream token (the demo, tests and `npm run token`). */
export async function signStreamToken(
  secret: string,
  claims: StreamClaims & { ttlSeconds: number; issuer?: string; audience?: string; subject?: string },
): Promise<string> {
  let jwt = new SignJWT({ stream: claims.stream, action: claims.action })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + claims.ttlSeconds);
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  if (claims.subject) jwt = jwt.setSubject(claims.subject);
  return jwt.sign(new TextEncoder().encode(secret));
}
