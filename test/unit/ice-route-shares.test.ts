/**
 * IceRouteReport.viewerShares: the viewers' TURN and TCP shares for the status board, walked at
 * most once per VIEWER_SHARES_MAX_AGE_MS however often the board samples them.
 */
import { describe, expect, it } from 'vitest';
import type { CandidatePair } from '../../src/engine/engine.js';
import { IceRouteReport, VIEWER_SHARES_MAX_AGE_MS, type RoutedSession } from '../../src/session/IceRoute.js';

function session(id: string, remoteType: 'host' | 'relay', protocol: 'udp' | 'tcp', calls: { n: number }): RoutedSession {
  const pair = {
    local: { type: 'host', protocol, address: '127.0.0.1', port: 1 },
    remote: { type: remoteType, protocol: 'udp', address: '192.0.2.1', port: 2 },
  } as unknown as CandidatePair;
  return {
    id,
    kind: 'viewer',
    stream: 'cam',
    connected: true,
    selectedPair: () => {
      calls.n++;
      return pair;
    },
  };
}

describe('IceRouteReport.viewerShares', () => {
  it('counts TURN and TCP viewers, and walks them again only once the last count is old', () => {
    const calls = { n: 0 };
    const sessions = [session('a', 'relay', 'udp', calls), session('b', 'host', 'tcp', calls), session('c', 'host', 'udp', calls)];
    const report = new IceRouteReport(() => sessions);
    expect(report.viewerShares(1000)).toEqual({ viewersTurn: 1, viewersTcp: 1 });
    expect(calls.n).toBe(3);
    // The board's next samples within the age: no walk.
    sessions.push(session('d', 'relay', 'tcp', calls));
    expect(report.viewerShares(1000 + VIEWER_SHARES_MAX_AGE_MS - 1)).toEqual({ viewersTurn: 1, viewersTcp: 1 });
    expect(calls.n).toBe(3);
    // Old enough: walked again, with the viewer that joined since.
    expect(report.viewerShares(1000 + VIEWER_SHARES_MAX_AGE_MS)).toEqual({ viewersTurn: 2, viewersTcp: 2 });
    expect(calls.n).toBe(7);
  });
});
