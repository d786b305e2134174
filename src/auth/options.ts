import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { flagName, type HostPort, type OptionSpec } from '../config.js';
import { CanopyError, ErrorCode } from '../errors.js';
import { validateTurn, type TurnConfig } from './IceServers.js';

// Security options every node takes (docs/security.md): the cluster secret, TLS, the admin
// surface, CORS, admission limits, and the credentials viewers (and, at the origin,
// publishers) present. Secrets can come from a file or a CANOPY_* variable, so they stay
// out of the process list.

export interface SecurityConfig {
  clusterSecret?: string;
  clusterSecretFile?: string;
  insecureNoClusterSecret: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  adminListen?: HostPort;
  adminToken?: string;
  adminTokenFile?: string;
  adminCorsOrigins?: string;
  corsOrigins: string;
  maxSessions: number;
  maxPendingSessions: number;
  maxNewSessionsPerIp: number;
  maxLinkSubscriptions: number;
  viewerAuth: boolean;
  jwtSecret?: string;
  jwtSecretFile?: string;
  jwtPublicKeyFile?: string;
  jwtJwksFile?: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  authWebhook?: string;
  authWebhookTimeout: number;
  authWebhookCache: number;
}

/** Shortest cluster secret accepted: 128 bits as hex is 32 characters; 16 is the floor. */
export const MIN_SECRET_LENGTH = 16;

export const securityOptions: OptionSpec[] = [
  {
    key: 'clusterSecret',
    type: 'string',
    help: 'shared secret authenticating relay links and sibling discovery; prefer CANOPY_CLUSTER_SECRET or --cluster-secret-file (a flag shows in ps)',
  },
  { key: 'clusterSecretFile', type: 'string', help: 'file holding the cluster secret' },
  {
    key: 'insecureNoClusterSecret',
    type: 'bool',
    default: false,
    help: 'INSECURE: accept and open relay links without a secret (anyone who reaches /relay pulls any stream); no sibling discovery',
  },
  { key: 'tlsCert', type: 'string', help: 'PEM certificate (chain): serve https:// and wss:// on --listen' },
  { key: 'tlsKey', type: 'string', help: 'PEM private key of --tls-cert' },
  { key: 'tlsCa', type: 'string', help: 'PEM CA certificate(s) trusted for wss:// parents and siblings besides the system ones (self-signed)' },
  { key: 'adminListen', type: 'hostport', help: 'separate listener for /api/state and /metrics (then not served on --listen)' },
  { key: 'adminToken', type: 'string', help: 'Bearer token required on /api/state and /metrics (prefer CANOPY_ADMIN_TOKEN or --admin-token-file)' },
  { key: 'adminTokenFile', type: 'string', help: 'file holding the admin token' },
  { key: 'adminCorsOrigins', type: 'string', help: 'comma-separated origins allowed to read admin endpoints from a browser (default none; * is refused)' },
  { key: 'corsOrigins', type: 'string', default: '*', help: 'comma-separated origins allowed to call WHIP/WHEP from a browser, or *' },
  { key: 'maxSessions', type: 'int', default: 2000, min: 0, help: 'WebRTC sessions (viewers and publishers) at once; more get 503 (0: no limit)' },
  { key: 'maxPendingSessions', type: 'int', default: 100, min: 0, help: 'sessions not yet connected at once; more get 503 (0: no limit)' },
  {
    key: 'maxNewSessionsPerIp',
    type: 'int',
    default: 20,
    min: 0,
    help: 'new sessions per client address (IPv6: per /64) per second, in bursts of as many; more get 429 (0: no limit)',
  },
  { key: 'maxLinkSubscriptions', type: 'int', default: 1000, min: 1, help: 'subscriptions one relay link may hold (duplicates share one copy anyway)' },
  { key: 'viewerAuth', type: 'bool', default: false, help: 'WHEP viewers need a play credential: a JWT (--jwt-*) or the --auth-webhook' },
  { key: 'jwtSecret', type: 'string', help: 'HS256 secret verifying stream tokens (prefer CANOPY_JWT_SECRET or --jwt-secret-file)' },
  { key: 'jwtSecretFile', type: 'string', help: 'file holding the HS256 secret' },
  { key: 'jwtPublicKeyFile', type: 'string', help: 'PEM public key verifying RS256/ES256/EdDSA stream tokens' },
  { key: 'jwtJwksFile', type: 'string', help: 'JWKS (JSON) file of public keys verifying stream tokens' },
  { key: 'jwtIssuer', type: 'string', help: 'required iss claim of stream tokens' },
  { key: 'jwtAudience', type: 'string', help: 'required aud claim of stream tokens' },
  {
    key: 'authWebhook',
    type: 'string',
    help: 'URL POSTed {action, stream, token, ip, node} for each publish/play; 2xx allows, anything else (or no answer) denies',
  },
  { key: 'authWebhookTimeout', type: 'duration', default: '2s', help: 'how long to wait for the auth webhook before denying' },
  { key: 'authWebhookCache', type: 'duration', default: '5s', help: 'how long an auth webhook answer is reused for the same request (0: never)' },
];

/** Origin-only publishing options. */
export interface PublishAuthConfig {
  publishToken?: string;
  publishTokenFile?: string;
  allowAnonymousPublish: boolean;
  publisherReplace: 'after-media' | 'never';
}

export const publishOptions: OptionSpec[] = [
  {
    key: 'publishToken',
    type: 'string',
    help: 'static Bearer token every WHIP publisher must present (weaker than JWTs: one token for every stream, no expiry; prefer CANOPY_PUBLISH_TOKEN)',
  },
  { key: 'publishTokenFile', type: 'string', help: 'file holding the static publish token' },
  { key: 'allowAnonymousPublish', type: 'bool', default: false, help: 'INSECURE: let anyone publish on a non-loopback --listen without credentials' },
  {
    key: 'publisherReplace',
    type: 'string',
    default: 'after-media',
    help: 'a new publisher on a live stream: after-media (takes over once its own media flows) or never (409)',
  },
];

function fail(key: string, message: string): never {
  throw new CanopyError(ErrorCode.CONFIG, `--${flagName(key)}: ${message}`);
}

function readSecretFile(key: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(key, `cannot read ${path}: ${(err as Error).message}`);
  }
  const value = text.replace(/\r?\n$/, '');
  if (!value) fail(key, `${path} is empty`);
  return value;
}

/** A secret given inline (flag, env, config file) or by file, not both; the file's content wins into `valueKey`. */
function secretFrom(c: Record<string, unknown>, valueKey: string, fileKey: string): void {
  const file = c[fileKey] as string | undefined;
  if (file === undefined) return;
  if (c[valueKey] !== undefined) fail(fileKey, `give either --${flagName(valueKey)} or --${flagName(fileKey)}, not both`);
  c[valueKey] = readSecretFile(fileKey, file);
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** Origins from a comma-separated list; '*' alone means any. */
export function parseOrigins(text: string | undefined): '*' | string[] {
  if (text === undefined) return [];
  const list = text
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return list.includes('*') ? '*' : list;
}

/**
 * Reads secret files and checks the security options together, after the generic loader:
 * relay links need a cluster secret unless explicitly waived, TLS needs a certificate and a
 * key, viewer auth needs a way to check credentials, and (origin) a non-loopback listener needs
 * publisher authentication unless anonymous publishing is explicitly allowed.
 */
export function resolveSecurity<T extends SecurityConfig>(config: T, role: 'origin' | 'relay', listen: HostPort | undefined): T {
  const c = config as unknown as Record<string, unknown>;
  secretFrom(c, 'clusterSecret', 'clusterSecretFile');
  secretFrom(c, 'adminToken', 'adminTokenFile');
  secretFrom(c, 'jwtSecret', 'jwtSecretFile');
  secretFrom(c, 'turnSecret', 'turnSecretFile');
  validateTurn(config as unknown as TurnConfig);
  if (role === 'origin') secretFrom(c, 'publishToken', 'publishTokenFile');

  if (config.clusterSecret !== undefined) {
    if (config.insecureNoClusterSecret) fail('insecureNoClusterSecret', 'contradicts the cluster secret that is set');
    if (config.clusterSecret.length < MIN_SECRET_LENGTH) fail('clusterSecret', `must be at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`);
  } else if (!config.insecureNoClusterSecret) {
    throw new CanopyError(
      ErrorCode.CONFIG,
      'relay links need a cluster secret: set CANOPY_CLUSTER_SECRET or --cluster-secret-file FILE (the same on every node; e.g. openssl rand -hex 32 > FILE), or, on a network you trust, --insecure-no-cluster-secret',
    );
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined))
    fail(config.tlsCert === undefined ? 'tlsCert' : 'tlsKey', 'TLS needs both --tls-cert and --tls-key');
  for (const k of ['tlsCert', 'tlsKey', 'tlsCa', 'jwtPublicKeyFile', 'jwtJwksFile'] as const) {
    const path = config[k];
    if (path === undefined) continue;
    try {
      readFileSync(path);
    } catch (err) {
      fail(k, `cannot read ${path}: ${(err as Error).message}`);
    }
  }
  if (parseOrigins(config.adminCorsOrigins) === '*') fail('adminCorsOrigins', 'admin endpoints never allow every origin; list them');
  if (config.authWebhook !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(config.authWebhook);
    } catch {
      u = null;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      fail('authWebhook', `expected an http:// or https:// URL, got ${JSON.stringify(config.authWebhook)}`);
  }
  const canCheck =
    config.jwtSecret !== undefined || config.jwtPublicKeyFile !== undefined || config.jwtJwksFile !== undefined || config.authWebhook !== undefined;
  if (config.viewerAuth && !canCheck)
    fail('viewerAuth', 'needs --jwt-secret(-file), --jwt-public-key-file, --jwt-jwks-file or --auth-webhook to check credentials');

  if (role === 'origin') {
    const p = config as unknown as PublishAuthConfig;
    if (p.publisherReplace !== 'after-media' && p.publisherReplace !== 'never')
      fail('publisherReplace', `expected after-media or never, got ${JSON.stringify(p.publisherReplace)}`);
    const publishAuth = p.publishToken !== undefined || canCheck;
    if (!publishAuth && !p.allowAnonymousPublish && listen && !isLoopbackHost(listen.host)) {
      throw new CanopyError(
        ErrorCode.CONFIG,
        `the origin listens on ${listen.host}, beyond this host, and anyone could publish: configure publisher authentication (--jwt-secret-file, --jwt-public-key-file, --jwt-jwks-file, --auth-webhook or --publish-token-file), or pass --allow-anonymous-publish`,
      );
    }
  }
  return config;
}

/** Option keys whose values are secrets: never put on another process's command line. */
export const SECRET_KEYS = ['clusterSecret', 'adminToken', 'jwtSecret', 'publishToken', 'turnSecret'] as const;
