// Error codes shared by HTTP answers, link frames (SubscribeError.code, StreamEnded.code)
// and WebSocket close codes (4000 + code). Keep numbers stable: they cross the wire.
export const ErrorCode = {
  INTERNAL: 1,
  BAD_REQUEST: 2,
  UNAUTHORIZED: 3,
  FORBIDDEN: 4,
  NOT_FOUND: 5,
  CONFLICT: 6,
  UNAVAILABLE: 7,
  TIMEOUT: 8,
  UNSUPPORTED_MEDIA: 9,
  PAYLOAD_TOO_LARGE: 10,
  /** A WHEP offer with no codec that can play the stream (406). */
  NOT_ACCEPTABLE: 11,
  /** One client asked too often: RFC 6585 §4 (429 + Retry-After); the node itself has room. */
  RATE_LIMITED: 12,
  // link
  LINK_MALFORMED: 20,
  LINK_OVERSIZE: 21,
  LINK_PROTOCOL: 22,
  LINK_HEARTBEAT: 23,
  LINK_VERSION: 24,
  LINK_AUTH: 25,
  LINK_NOT_READY: 26,
  LINK_CLOSED: 27,
  /** The link would make a loop: the parent is the connecting node's descendant. */
  LINK_LOOP: 28,
  // stream lifecycle
  STREAM_ENDED: 40,
  PUBLISHER_REPLACED: 41,
  SHUTDOWN: 42,
  OUT_OF_RANGE: 43,
  /** Not here yet, retry soon: a restarted origin during its start-up grace, a publisher reconnecting. */
  NOT_YET: 44,
  /**
   * Link StreamEnded only: the publisher left (or was lost) and the origin waits for it up to
   * --reconnect-grace. Not an end: consumers stay, and media resuming ends the pause.
   */
  PUBLISHER_AWAY: 45,
  CONFIG: 60,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const names = new Map<number, string>(Object.entries(ErrorCode).map(([k, v]) => [v, k]));

export function errorName(code: number): string {
  return names.get(code) ?? `E${code}`;
}

const httpStatus: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.NOT_ACCEPTABLE]: 406,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA]: 415,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.TIMEOUT]: 503,
  [ErrorCode.LINK_NOT_READY]: 503,
  [ErrorCode.LINK_CLOSED]: 503,
  [ErrorCode.SHUTDOWN]: 503,
  [ErrorCode.STREAM_ENDED]: 404,
  [ErrorCode.OUT_OF_RANGE]: 400,
  [ErrorCode.NOT_YET]: 503,
};

export class CanopyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = `CanopyError(${errorName(code)})`;
    this.code = code;
  }

  get status(): number {
    return httpStatus[this.code] ?? 500;
  }
}

export function toCanopyError(err: unknown): CanopyError {
  if (err instanceof CanopyError) return err;
  return new CanopyError(ErrorCode.INTERNAL, err instanceof Error ? err.message : String(err), { cause: err });
}

/** WebSocket close code for an error code (RFC 6455 §7.4.2: 4000-4999 are private use). */
export function wsCloseCode(code: ErrorCode): number {
  return 4000 + code;
}

export function fromWsCloseCode(closeCode: number): ErrorCode | null {
  const code = closeCode - 4000;
  return names.has(code) ? (code as ErrorCode) : null;
}
