import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { flagName } from '../config.js';
import { CanopyError, ErrorCode } from '../errors.js';

// TURN servers handed to WHIP and WHEP clients in the 201 (RFC 9725 §4.6), with short-lived
// credentials of coturn's shared-secret scheme (`use-auth-secret`, the "TURN REST API" of
// draft-uberti-behave-turn-rest-00 §2.2): username = "<expiry, Unix seconds>:<session id>",
// password = base64(HMAC-SHA1(secret, username)). coturn recomputes the password from the
// username with the same secret and refuses a username whose expiry has passed, so a relay
// never talks to coturn and a leaked credential dies with its --turn-ttl.

/** RFC 7065 §3.1 default ports: 3478 for turn:, 5349 for turns:. */
const DEFAULT_PORT = { turn: 3478, turns: 5349 } as const;
/** Longest TURN URL accepted (a flag or file value, not a client's input, but still bounded). */
const MAX_TURN_URL_CHARS = 512;
/** Shortest TURN secret accepted: as for the cluster secret, 16 characters is the floor. */
export const MIN_TURN_SECRET_LENGTH = 16;

export interface TurnUrl {
  /** The URL as handed to clients, normalized (scheme:host:port?transport=...). */
  url: string;
  scheme: 'turn' | 'turns';
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
  /** The client's transport to the TURN server (RFC 7065 §3.1); turns: always runs over TCP. */
  transport: 'udp' | 'tcp';
}

/**
 * Parses a TURN URI (RFC 7065 §3.1): `turn:host[:port][?transport=udp|tcp]` or
 * `turns:host[:port][?transport=tcp]`. Throws with a one-line reason.
 */
export function parseTurnUrl(text: string): TurnUrl {
  if (text.length > MAX_TURN_URL_CHARS) throw new Error(`longer than ${MAX_TURN_URL_CHARS} characters`);
  const m = /^(turns?):(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/.exec(text.trim());
  if (!m) throw new Error(`expected turn:HOST[:PORT][?transport=udp|tcp] or turns:HOST[:PORT][?transport=tcp], got ${JSON.stringify(text)}`);
  const scheme = m[1] as 'turn' | 'turns';
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  const port = m[3] === undefined ? DEFAULT_PORT[scheme] : Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`port out of range in ${JSON.stringify(text)}`);
  // turns: over UDP would be TURN over DTLS (RFC 7350), which browsers do not speak.
  if (scheme === 'turns' && m[4] === 'udp') throw new Error(`turns: runs over TLS/TCP; browsers have no TURN over DTLS (${JSON.stringify(text)})`);
  const transport = scheme === 'turns' ? 'tcp' : ((m[4] as 'udp' | 'tcp' | undefined) ?? 'udp');
  const hostPart = host.includes(':') ? `[${host}]` : host;
  // The transport parameter is kept only when given: `turn:h` and `turn:h?transport=udp` mean the
  // same to a browser, but an operator's URL is handed on as written.
  const url = `${scheme}:${hostPart}:${port}${m[4] ? `?transport=${m[4]}` : ''}`;
  return { url, scheme, host, port, transport };
}

export interface TurnCredential {
  username: string;
  credential: string;
  /** When coturn stops accepting it, epoch ms. */
  expiresMs: number;
}

/**
 * A credential for coturn's `use-auth-secret`: the username carries its expiry (Unix seconds)
 * and the session it was made for; the password is base64(HMAC-SHA1(secret, username)).
 */
export function turnCredential(secret: string, sessionId: string, ttlMs: number, nowMs = Date.now()): TurnCredential {
  const expiry = Math.floor((nowMs + ttlMs) / 1000);
  // coturn splits the username at its rest-api-separator (':' by default) and reads the first
  // part as the expiry: the session id must not hold one.
  const username = `${expiry}:${sessionId.replace(/:/g, '-')}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresMs: expiry * 1000 };
}

/** An RFC 8288 §3 quoted-string (a backslash escapes `"` and `\`). */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * One Link header value for an ICE server (RFC 9725 §4.6): `<turn:…>; rel="ice-server";
 * username="…"; credential="…"; credential-type="password"`.
 */
export function iceServerLink(url: string, cred?: { username: string; credential: string }): string {
  const parts = [`<${url}>`, 'rel="ice-server"'];
  if (cred) parts.push(`username=${quoted(cred.username)}`, `credential=${quoted(cred.credential)}`, 'credential-type="password"');
  return parts.join('; ');
}

export interface IceServersOptions {
  urls: readonly TurnUrl[];
  secret: string;
  ttlMs: number;
}

/** The TURN servers of a node, and the Link headers of each new WHIP/WHEP session. */
export class IceServers {
  /**
   * The TURN servers' IP addresses: a relayed client's checks come from there (coturn relays
   * from its listening address unless given a relay-ip). Names are looked up once, at start.
   */
  readonly addresses = new Set<string>();

  constructor(readonly opts: IceServersOptions) {
    for (const u of opts.urls) {
      if (isIP(u.host)) this.addresses.add(u.host);
      else lookup(u.host, { all: true }, (err, found) => err || found.forEach((a) => this.addresses.add(a.address)));
    }
  }

  /** Built from the resolved config; null when no --turn-url is set. */
  static fromConfig(c: { turnUrl?: string[]; turnSecret?: string; turnTtl: number }): IceServers | null {
    if (!c.turnUrl?.length || !c.turnSecret) return null;
    return new IceServers({ urls: c.turnUrl.map(parseTurnUrl), secret: c.turnSecret, ttlMs: c.turnTtl });
  }

  /** Link header values for one session: one per TURN URL, all with the same credential. */
  links(sessionId: string, nowMs = Date.now()): string[] {
    const cred = turnCredential(this.opts.secret, sessionId, this.opts.ttlMs, nowMs);
    return this.opts.urls.map((u) => iceServerLink(u.url, cred));
  }

  /** Headers to merge into a 201 (multiple Link headers, RFC 9110 §5.3). */
  headers(sessionId: string): Record<string, string[]> {
    return { Link: this.links(sessionId) };
  }
}

/** The TURN options of a node's config, after its secret file was read (resolveSecurity). */
export interface TurnConfig {
  turnUrl?: string[];
  turnSecret?: string;
  turnSecretFile?: string;
  turnTtl: number;
}

function fail(key: string, message: string): never {
  throw new CanopyError(ErrorCode.CONFIG, `--${flagName(key)}: ${message}`);
}

/** Checks the TURN options together: every URL parses, URLs and a secret come as a pair. */
export function validateTurn(c: TurnConfig): void {
  for (const u of c.turnUrl ?? []) {
    try {
      parseTurnUrl(u);
    } catch (err) {
      fail('turnUrl', (err as Error).message);
    }
  }
  const urls = (c.turnUrl?.length ?? 0) > 0;
  if (urls && c.turnSecret === undefined)
    fail('turnSecret', 'the TURN URLs need the secret coturn shares (use-auth-secret): set CANOPY_TURN_SECRET or --turn-secret-file FILE');
  if (!urls && c.turnSecret !== undefined) fail('turnUrl', 'a TURN secret is set but no --turn-url to hand out');
  if (c.turnSecret !== undefined && c.turnSecret.length < MIN_TURN_SECRET_LENGTH)
    fail('turnSecret', `must be at least ${MIN_TURN_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`);
}
