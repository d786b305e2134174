import type { CandidatePair } from '../engine/engine.js';
import type { Metrics } from '../metrics.js';

// How each WebRTC session reaches this node: the candidate pair ICE selected (RFC 8445 §8),
// in /api/state, in /metrics and in the operator's log line when a session connects.
//
// What a node can and cannot see: our side of the pair is exact (host/udp, or host/tcp for
// ICE-TCP, RFC 6544). The client's side is the candidate type ICE learnt: host or srflx when
// the offer listed it, prflx when the client's checks came from an address its offer did not
// list (RFC 8445 §7.3.1.3), which is how a TURN relay shows up when the client gathered its
// relay candidate after the POST (RFC 9725 §4.6). A prflx from the address of one of our TURN
// servers is counted as relayed. The client's transport to its TURN server (UDP, TCP, TLS)
// never reaches us: coturn's own logs have it.

export interface IceRoute {
  /** Our candidate: `host/udp` or `host/tcp`. */
  local: string;
  /** The client's candidate as we see it, e.g. `host/udp`, `prflx/udp`, `relay/udp`. */
  remote: string;
  remoteAddress: string;
  /** Through a TURN relay: a relay candidate, or a prflx from one of our TURN servers. */
  turn: boolean;
  /** Over TCP to us (ICE-TCP). */
  tcp: boolean;
}

/** Classifies a selected pair; `turnAddresses` are the IP addresses of our TURN servers. */
export function iceRoute(pair: CandidatePair, turnAddresses: ReadonlySet<string> = new Set()): IceRoute {
  const { local, remote } = pair;
  const turn = remote.type === 'relay' || (remote.type === 'prflx' && turnAddresses.has(remote.address));
  return {
    local: `${local.type}/${local.protocol}`,
    remote: `${remote.type}/${remote.protocol}`,
    remoteAddress: remote.address,
    turn,
    tcp: local.protocol === 'tcp',
  };
}

/** A session whose route is reported (ViewerSession, PublisherSession). */
export interface RoutedSession {
  readonly id: string;
  readonly kind: 'viewer' | 'publisher';
  readonly stream: string;
  readonly connected: boolean;
  selectedPair(): CandidatePair | null;
}

export interface IceRouteCounts {
  sessions: number;
  /** Connected sessions whose pair is known. */
  known: number;
  turn: number;
  tcp: number;
  /** Sessions by `local -> remote` route. */
  byRoute: Record<string, number>;
}

/** Most sessions listed one by one in /api/state (the counts cover them all). */
const MAX_LISTED = 100;

/**
 * How old the viewers' TURN and TCP shares may be. The status board samples them up to five
 * times a second (pings, the dashboard), and each sample walked every viewer's selected pair (a
 * native call and a pair object each): at 2,000 viewers on the native engine, `selectedPair`,
 * `viewerShares` and `nativePair` were 4% of a core on the event loop (`npm run bench --
 * --egress-drop --cpu-prof`, 2026-12-07 19:53 UTC). A share that moves only when a viewer joins,
 * leaves or changes path can be two seconds old.
 */
export const VIEWER_SHARES_MAX_AGE_MS = 2000;

/** The routes of a node's sessions, for /api/state and /metrics. */
export class IceRouteReport {
  private shares: { atMs: number; value: { viewersTurn: number; viewersTcp: number } } | null = null;

  constructor(
    private readonly sessions: () => Iterable<RoutedSession>,
    private readonly turnAddresses: () => ReadonlySet<string> = () => new Set(),
  ) {}

  route(s: RoutedSession): IceRoute | null {
    if (!s.connected) return null;
    const pair = s.selectedPair();
    return pair ? iceRoute(pair, this.turnAddresses()) : null;
  }

  /**
   * Of the viewers, how many are through TURN and how many on TCP (the status reports, the
   * dashboard); at most VIEWER_SHARES_MAX_AGE_MS old.
   */
  viewerShares(nowMs = performance.now()): { viewersTurn: number; viewersTcp: number } {
    if (this.shares && nowMs - this.shares.atMs < VIEWER_SHARES_MAX_AGE_MS) return this.shares.value;
    let turn = 0;
    let tcp = 0;
    for (const s of this.sessions()) {
      if (s.kind !== 'viewer') continue;
      const r = this.route(s);
      if (r?.turn) turn++;
      if (r?.tcp) tcp++;
    }
    const value = { viewersTurn: turn, viewersTcp: tcp };
    this.shares = { atMs: nowMs, value };
    return value;
  }

  /** Counts per kind, and up to MAX_LISTED sessions with their route. */
  state(): { viewers: IceRouteCounts; publishers: IceRouteCounts; sessions: Array<{ id: string; kind: string; stream: string } & IceRoute> } {
    const counts = { viewer: emptyCounts(), publisher: emptyCounts() };
    const listed: Array<{ id: string; kind: string; stream: string } & IceRoute> = [];
    for (const s of this.sessions()) {
      const c = counts[s.kind];
      c.sessions++;
      const r = this.route(s);
      if (!r) continue;
      c.known++;
      if (r.turn) c.turn++;
      if (r.tcp) c.tcp++;
      const key = `${r.local} -> ${r.remote}`;
      c.byRoute[key] = (c.byRoute[key] ?? 0) + 1;
      if (listed.length < MAX_LISTED) listed.push({ id: s.id, kind: s.kind, stream: s.stream, ...r });
    }
    return { viewers: counts.viewer, publishers: counts.publisher, sessions: listed };
  }

  register(m: Metrics): void {
    m.gauge(
      'ice_sessions',
      'Connected WebRTC sessions by kind and selected ICE candidate pair: local (ours: host/udp, host/tcp for ICE-TCP), remote (the client: host, srflx, prflx, relay), turn (through a TURN relay)',
      () => {
        const out = new Map<string, [Record<string, string>, number]>();
        for (const s of this.sessions()) {
          const r = this.route(s);
          if (!r) continue;
          const labels = { kind: s.kind, local: r.local, remote: r.remote, turn: String(r.turn) };
          const key = JSON.stringify(labels);
          const e = out.get(key);
          if (e) e[1]++;
          else out.set(key, [labels, 1]);
        }
        return [...out.values()];
      },
      ['kind', 'local', 'remote', 'turn'],
    );
  }
}

function emptyCounts(): IceRouteCounts {
  return { sessions: 0, known: 0, turn: 0, tcp: 0, byRoute: {} };
}
