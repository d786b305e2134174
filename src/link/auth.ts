import { createHmac, timingSafeEqual } from 'node:crypto';

/** Clock skew tolerated between nodes when checking a Hello token. */
export const TOKEN_MAX_SKEW_MS = 5 * 60_000;

export function helloToken(secret: string, nodeId: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${nodeId}:${timestampMs}`).digest('hex');
}

export function checkHelloToken(secret: string, nodeId: string, timestampMs: number, token: string, nowMs = Date.now()): boolean {
  if (Math.abs(nowMs - timestampMs) > TOKEN_MAX_SKEW_MS) return false;
  const want = Buffer.from(helloToken(secret, nodeId, timestampMs));
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}
