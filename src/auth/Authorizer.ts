import { timingSafeEqual, createHash } from 'node:crypto';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { JwtVerifier, looksLikeJwt, type StreamAction } from './jwt.js';
import type { PublishAuthConfig, SecurityConfig } from './options.js';
import { AuthWebhook } from './webhook.js';

export interface AuthorizerOptions {
  nodeId: string;
  /** Static token that allows publishing any stream (--publish-token; origin only). */
  publishToken?: string;
  jwt?: JwtVerifier | null;
  webhook?: AuthWebhook | null;
  /** Which actions need a credential at this node. */
  require: Record<StreamAction, boolean>;
  logger: Logger;
}

export interface AuthRequest {
  action: StreamAction;
  stream: string;
  /** Bearer token (header or access_token query parameter), or null. */
  token: string | null;
  ip: string;
  startMs?: number | null;
  /** Called with a verified JWT's claims (e.g. a viewer's priority class, patent [0033]). */
  onClaims?: (claims: Record<string, unknown>) => void;
}

export type AuthVia = 'anonymous' | 'publish-token' | 'jwt' | 'webhook';

/** The options an Authorizer is built from (a node's config). */
export type AuthConfig = { id: string } & Pick<
  SecurityConfig,
  'viewerAuth' | 'jwtSecret' | 'jwtPublicKeyFile' | 'jwtJwksFile' | 'jwtIssuer' | 'jwtAudience' | 'authWebhook' | 'authWebhookTimeout' | 'authWebhookCache'
> &
  Partial<Pick<PublishAuthConfig, 'publishToken'>>;

/** Constant-time string comparison (hashes first, so lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Decides whether a publish or play request may go ahead. The methods configured are tried in
 * order and the first that allows wins: the static publish token, a JWT, the webhook. With
 * none allowing, the request is refused: 401 without or with an invalid credential, 403 when a
 * valid token does not cover it or the webhook says no, 503 when the webhook does not answer.
 */
export class Authorizer {
  constructor(private readonly opts: AuthorizerOptions) {}

  static create(c: AuthConfig, role: 'origin' | 'relay', logger: Logger): Authorizer {
    const jwt = JwtVerifier.fromConfig(c);
    const webhook = c.authWebhook
      ? new AuthWebhook({ url: c.authWebhook, nodeId: c.id, timeoutMs: c.authWebhookTimeout, cacheTtlMs: c.authWebhookCache, logger })
      : null;
    const publishToken = role === 'origin' ? c.publishToken : undefined;
    // Publishing needs a credential whenever the origin has a way to check one (the config
    // loader refused a non-loopback origin with none, unless anonymous publishing is allowed).
    const publishAuth = publishToken !== undefined || jwt !== null || webhook !== null;
    return new Authorizer({ nodeId: c.id, publishToken, jwt, webhook, require: { publish: publishAuth, play: c.viewerAuth }, logger });
  }

  required(action: StreamAction): boolean {
    return this.opts.require[action];
  }

  async authorize(req: AuthRequest): Promise<AuthVia> {
    if (!this.opts.require[req.action]) return 'anonymous';
    const token = req.token;
    let refusal: CanopyError | null = null;
    if (token && req.action === 'publish' && this.opts.publishToken !== undefined && sameSecret(token, this.opts.publishToken)) return 'publish-token';
    if (token && this.opts.jwt && looksLikeJwt(token)) {
      try {
        const claims = await this.opts.jwt.verify(token, req.action, req.stream);
        req.onClaims?.(claims);
        return 'jwt';
      } catch (err) {
        refusal = err as CanopyError;
      }
    }
    if (this.opts.webhook) {
      const allow = await this.opts.webhook.check({ action: req.action, stream: req.stream, token, ip: req.ip, startMs: req.startMs });
      if (allow) return 'webhook';
      throw new CanopyError(ErrorCode.FORBIDDEN, `not allowed to ${req.action} ${req.stream}`);
    }
    if (refusal) throw refusal;
    throw new CanopyError(
      ErrorCode.UNAUTHORIZED,
      token ? `invalid credential for ${req.action}` : `${req.action} needs a Bearer token (Authorization header or access_token parameter)`,
    );
  }
}
