import type { Labels, Metrics } from '../metrics.js';
import type { NativeStats } from './nativeAddon.js';

// The native data plane's drop and send-path counters on /metrics. They live in native memory
// (atomics in native/src/server.h `Counters`) and are read from the addon when scraped. Hostile
// or stray input at the shared viewer port is dropped, never answered with media, and counted
// here by why (docs/native.md, "One port, demultiplexed").

/** /metrics reason label -> the addon's counter. */
const DROPS: ReadonlyArray<[string, string]> = [
  // STUN that does not parse, or a Binding request without USERNAME or with a bad FINGERPRINT (RFC 8489 §14.7).
  ['stun_malformed', 'stunMalformed'],
  // A USERNAME whose ufrag is no live viewer's (nor a tombstone's).
  ['stun_unknown_user', 'stunUnknownUser'],
  // MESSAGE-INTEGRITY failed, or USERNAME not "ours:theirs" (RFC 8445 §7.3).
  ['stun_integrity', 'stunIntegrity'],
  // DTLS, RTP or RTCP from an address that has not completed an ICE check (RFC 8445 §7.3.1.5).
  ['unverified_address', 'unknownTuple'],
  // SRTCP failing authentication or the replay window (RFC 3711 §3.3.2, §3.4).
  ['srtcp_auth', 'srtcpFailed'],
  // Decrypted RTCP whose compound framing is broken (RFC 3550 §6.1).
  ['rtcp_malformed', 'rtcpMalformed'],
  // RTP from a viewer (ours only receive).
  ['rtp_from_viewer', 'rtpIgnored'],
  // A publisher's SRTP failing authentication or the replay window (RFC 3711 §3.3).
  ['srtp_auth', 'srtpFailed'],
  // A publisher's packet dropped because JavaScript fell 65,536 events behind.
  ['rtp_event_queue_full', 'rtpEventDrops'],
  // Truncated datagrams or a first byte no demultiplexer claims (RFC 7983).
  ['garbage', 'garbage'],
];

const SENDS: ReadonlyArray<[string, string]> = [
  // The socket's buffer was full (EAGAIN): the datagram is lost, as a congested link would lose it.
  ['would_block', 'sendWouldBlock'],
  // A data thread's queue was full: the packet was not sent to that thread's viewers.
  ['queue_full', 'queueDrops'],
];

/** ICE-TCP (RFC 6544) connections at the native TCP port, by what happened to them. */
const TCP_CONNECTIONS: ReadonlyArray<[string, string]> = [
  ['accepted', 'tcpAccepted'],
  // Refused: over the connection limit.
  ['rejected', 'tcpRejected'],
  ['closed', 'tcpClosed'],
  // Closed before a valid ICE check bound the connection to a viewer.
  ['unauthenticated', 'tcpUnbound'],
];

/** ICE-TCP frames (RFC 4571 framing) dropped, by why. */
const TCP_DROPS: ReadonlyArray<[string, string]> = [
  // A length prefix over the largest datagram: the connection is closed.
  ['bad_framing', 'tcpBadFrames'],
  // The viewer's send queue was full (a slow TCP reader): media dropped rather than buffered.
  ['queue_full', 'tcpDropped'],
];

function read(stats: NativeStats | null, map: ReadonlyArray<[string, string]>, label: string): Array<[Labels, number]> {
  if (!stats) return [];
  return map.map(([name, key]) => [{ [label]: name }, stats[key] ?? 0]);
}

/** Registers the native counters; `stats` is null when viewers are not on the native engine. */
export function registerNativeMetrics(m: Metrics, stats: () => NativeStats | null): void {
  m.counterFrom(
    'native_dropped_datagrams_total',
    'Datagrams the native viewer port dropped without answering, by reason (stun_integrity, unverified_address: not from an address that completed ICE, srtcp_auth, rtcp_malformed, ...)',
    () => read(stats(), DROPS, 'reason'),
    ['reason'],
  );
  m.counterFrom(
    'native_send_errors_total',
    'Datagrams the native data plane could not send: all failures (kind="all"), of which would_block (socket buffer full) and queue_full (data thread queue full)',
    () => {
      const s = stats();
      return s ? [[{ kind: 'all' }, s.sendErrors ?? 0], ...read(s, SENDS, 'kind')] : [];
    },
    ['kind'],
  );
  m.counterFrom(
    'native_ice_tcp_connections_total',
    'ICE-TCP connections at the native TCP port (--ice-tcp-port), by event: accepted, rejected (over the limit), closed, unauthenticated (closed before a valid ICE check)',
    () => read(stats(), TCP_CONNECTIONS, 'event'),
    ['event'],
  );
  m.counterFrom(
    'native_ice_tcp_dropped_frames_total',
    'ICE-TCP frames dropped, by reason: bad_framing (the connection is closed), queue_full (a viewer reading too slowly)',
    () => read(stats(), TCP_DROPS, 'reason'),
    ['reason'],
  );
  m.counterFrom(
    'native_temporal_dropped_packets_total',
    "Packets the native fan-out left out of viewers' streams above their temporal layer caps (a viewer under a single-layer stream's rate; docs/abr.md)",
    () => {
      const s = stats();
      return s ? [[{}, s.temporalDropped ?? 0]] : [];
    },
    [],
  );
  m.gauge('native_viewers', 'Viewers held by the native data plane (its own count: back to 0 when every session is gone)', () => {
    const s = stats();
    return s ? [[{}, s.viewers]] : [];
  });
}
