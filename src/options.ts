import type { HostPort, OptionSpec } from './config.js';

/** Options every node takes. Durations are in ms once loaded. */
export interface CommonConfig {
  id: string;
  listen: HostPort;
  iceAddress: string;
  iceBind?: string;
  icePortMin?: number;
  icePortMax?: number;
  clusterSecret?: string;
  logLevel: string;
  startTimeout: number;
  idleCloseAfter: number;
  heartbeat: number;
  sessionConnectTimeout: number;
  disconnectGrace: number;
  maxFrameBytes: number;
  cacheWindow: number;
  cacheMaxBytes: number;
  absoluteLocation: boolean;
  fanoutSlice: number;
}

export const commonOptions: OptionSpec[] = [
  { key: 'id', type: 'string', required: true, help: 'node id, unique in the tree' },
  { key: 'listen', type: 'hostport', default: '127.0.0.1:8000', help: 'HTTP/WebSocket listen address HOST:PORT' },
  { key: 'iceAddress', type: 'string', required: true, help: 'IP address announced in ICE candidates (no STUN is used)' },
  { key: 'iceBind', type: 'string', help: 'local IP to bind WebRTC sockets to (default: --ice-address)' },
  { key: 'icePortMin', type: 'int', min: 1, help: 'lowest UDP port for WebRTC' },
  { key: 'icePortMax', type: 'int', min: 1, help: 'highest UDP port for WebRTC' },
  { key: 'clusterSecret', type: 'string', help: 'shared secret authenticating relay links' },
  { key: 'logLevel', type: 'loglevel', default: 'info', help: 'log level' },
  { key: 'startTimeout', type: 'duration', default: '10s', help: 'how long a pull may take before waiters get an error' },
  { key: 'idleCloseAfter', type: 'duration', default: '5s', help: 'wait after the last consumer leaves before closing upstream (0 allowed)' },
  { key: 'heartbeat', type: 'duration', default: '5s', min: 100, help: 'relay link ping interval; 3 missed intervals close the link' },
  { key: 'sessionConnectTimeout', type: 'duration', default: '20s', help: 'close a WebRTC session not connected by then' },
  { key: 'disconnectGrace', type: 'duration', default: '5s', help: 'close a WebRTC session disconnected this long' },
  { key: 'maxFrameBytes', type: 'int', default: 65536, min: 2048, help: 'largest relay-link frame accepted' },
  { key: 'absoluteLocation', type: 'bool', default: false, help: 'answer WHIP/WHEP with an absolute Location (behind a redirecting front)' },
  { key: 'cacheWindow', type: 'duration', default: '2h', help: 'window B: recent media kept in memory per stream for time-shift (0 disables)' },
  { key: 'fanoutSlice', type: 'duration', default: '5ms', help: 'longest run of fan-out sends per event-loop turn; a longer burst (a keyframe to many viewers) continues on the next turn (0: all at once)' },
  { key: 'cacheMaxBytes', type: 'int', default: 268_435_456, min: 0, help: 'memory cap of each stream buffer; the window shrinks when it binds' },
];
