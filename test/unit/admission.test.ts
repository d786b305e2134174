import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { Admission } from '../../src/http/Admission.js';
import { RetryLaterError, sendError } from '../../src/http/http.js';

function refusal(f: () => unknown): RetryLaterError {
  try {
    f();
  } catch (e) {
    if (e instanceof RetryLaterError) return e;
    throw e;
  }
  throw new Error('admitted');
}

describe('Admission statuses', () => {
  it('one client over its rate gets 429 (RFC 6585 §4); the node out of room gets 503', () => {
    let sessions = 0;
    const a = new Admission({ maxSessions: 3, maxPending: 0, perIpPerSecond: 2 }, () => ({ sessions, pending: 0 }));
    a.admit('10.0.0.1', 0).release();
    a.admit('10.0.0.1', 0).release();
    const rate = refusal(() => a.admit('10.0.0.1', 0));
    expect(rate.status).toBe(429);
    expect(rate.retryAfterS).toBe(1);
    // Another address still has its own bucket; a second later this one has tokens again.
    a.admit('10.0.0.2', 0).release();
    a.admit('10.0.0.1', 1000).release();
    sessions = 3;
    const full = refusal(() => a.admit('10.0.0.3', 1000));
    expect(full.status).toBe(503);
    expect(full.retryAfterS).toBe(10);
    expect(a.refused).toEqual({ sessions: 1, pending: 0, rate: 1 });
  });

  it('answers both with Retry-After', async () => {
    const errors = [new RetryLaterError('slow down', 1, ErrorCode.RATE_LIMITED), new RetryLaterError('full', 10)];
    const server = createServer((_req, res) => sendError(res, errors.shift()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const first = await fetch(url);
      expect([first.status, first.headers.get('retry-after'), (await first.text()).trim()]).toEqual([429, '1', 'slow down']);
      const second = await fetch(url);
      expect([second.status, second.headers.get('retry-after')]).toEqual([503, '10']);
      await second.text();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
