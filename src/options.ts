import { securityOptions, type SecurityConfig } from './auth/options.js';
import type { TurnConfig } from './auth/IceServers.js';
import type { HostPort, OptionSpec } from './config.js';

/** Options every node takes. Durations are in ms once loaded. */
export interface CommonConfig extends SecurityConfig, TurnConfig {
  id: string;
  listen: HostPort;
  iceAddress: string;
  iceBind?: string;
  icePortMin?: number;
  icePortMax?: number;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  startTimeout: number;
  idleCloseAfter: number;
  mallocTrim: number;
  hlsLease: number;
  heartbeat: number;
  sessionConnectTimeout: number;
  disconnectGrace: number;
  maxFrameBytes: number;
  cacheWindow: number;
  cacheMaxBytes: number;
  cacheMaxTotalBytes: number;
  absoluteLocation: boolean;
  reconnectGrace: number;
  publicUrl?: string;
  region?: string;
  classes?: string[];
  capacity: number;
  redirect: string[];
  regionMap?: string;
  redirectLoadMargin: number;
  redirectMinViewers: number;
  lossRepair: boolean;
  repairWindow: number;
  repairMaxBytes: number;
  retransmitShare: number;
  layerProbes: boolean;
  drainTimeout: number;
  fanoutSlice: number;
  linkMedia: 'ws' | 'udp' | 'auto';
  pipeListen?: HostPort;
  metricsMaxStreams: number;
  engine: 'native' | 'ndc';
  publisherEngine: 'native' | 'ndc';
  iceUdpPort: number;
  iceTcp: boolean;
  iceTcpPort: number;
  dataThreads: number;
}

export const commonOptions: OptionSpec[] = [
  { key: 'id', type: 'string', required: true, help: 'node id, unique in the tree' },
  { key: 'listen', type: 'hostport', default: '127.0.0.1:8000', help: 'HTTP/WebSocket listen address HOST:PORT' },
  { key: 'iceAddress', type: 'string', required: true, help: 'IP address announced in ICE candidates (no STUN is used)' },
  { key: 'iceBind', type: 'string', help: 'local IP to bind WebRTC sockets to (default: --ice-address)' },
  { key: 'icePortMin', type: 'int', min: 1, help: 'lowest UDP port for WebRTC' },
  { key: 'icePortMax', type: 'int', min: 1, help: 'highest UDP port for WebRTC' },
  {
    key: 'engine',
    type: 'string',
    // The native data plane serves viewers wherever the addon built (engineFromConfig falls back
    // to node-datachannel with one warning saying why when it did not).
    default: 'native',
    choices: ['native', 'ndc'],
    help: "WebRTC engine for WHEP viewers: native (Canopy's data plane, docs/native.md; falls back to ndc with a warning if the addon did not build) or ndc (node-datachannel); publishers: --publisher-engine",
  },
  {
    key: 'publisherEngine',
    type: 'string',
    default: 'ndc',
    choices: ['native', 'ndc'],
    help: 'WebRTC engine for WHIP publishers (origin): ndc (node-datachannel) or native (with --engine native: ICE-TCP, and TURN over TCP/TLS, which libjuice refuses; docs/firewalls.md)',
  },
  {
    key: 'iceUdpPort',
    type: 'int',
    default: 0,
    min: 0,
    help: 'the one UDP port of every viewer on the native engine (0: the first free port of --ice-port-min..max when set, else an ephemeral port)',
  },
  {
    key: 'iceTcp',
    type: 'bool',
    default: true,
    help: 'offer passive ICE-TCP candidates (RFC 6544) to viewers on the native engine, for networks that block UDP (docs/firewalls.md); --no-ice-tcp turns it off',
  },
  { key: 'iceTcpPort', type: 'int', default: 0, min: 0, help: 'the one TCP port of every ICE-TCP viewer on the native engine (0: an ephemeral port)' },
  { key: 'dataThreads', type: 'int', default: 0, min: 0, help: 'native engine send threads (0: one per core)' },
  { key: 'logLevel', type: 'loglevel', default: 'info', help: 'log level: fatal, error, warn, info, debug, trace or silent' },
  {
    key: 'logFormat',
    type: 'string',
    default: 'json',
    choices: ['json', 'pretty'],
    help: 'json: one JSON object a line (for collectors); pretty: coloured human-readable lines (pino-pretty)',
  },
  { key: 'startTimeout', type: 'duration', default: '10s', help: 'how long a pull may take before waiters get an error' },
  {
    key: 'mallocTrim',
    type: 'duration',
    default: '30s',
    help: "how often the node returns the allocator's free pages to the kernel (glibc malloc_trim via the native addon), and at once when RSS grew by 16 MiB; 0: never; docs/scale.md",
  },
  { key: 'idleCloseAfter', type: 'duration', default: '5s', help: 'wait after the last consumer leaves before closing upstream (0 allowed)' },
  {
    key: 'hlsLease',
    type: 'duration',
    default: '12s',
    min: 1000,
    help: 'an HLS viewer holds its stream this long after its last request (4 target durations; docs/hls.md)',
  },
  { key: 'heartbeat', type: 'duration', default: '1s', min: 100, help: 'relay link ping interval (pings carry load); 3 silent intervals close the link' },
  {
    key: 'reconnectGrace',
    type: 'duration',
    default: '30s',
    help: 'how long a stream whose publisher (origin) or upstream (relay) is gone keeps its viewers, waiting for it to come back',
  },
  { key: 'publicUrl', type: 'string', help: 'base URL where viewers reach this node (http(s)://host:port), announced for redirects and the directory' },
  { key: 'region', type: 'string', help: 'region of this node, for directing viewers by nearness' },
  { key: 'classes', type: 'string', multiple: true, help: 'viewer priority classes this node serves preferentially (comma-separated or repeated)' },
  { key: 'capacity', type: 'int', default: 0, min: 0, help: 'viewers this node is sized for (0: unknown); load is reported as a share of it' },
  {
    key: 'redirect',
    type: 'string',
    multiple: true,
    choices: ['region', 'class', 'load'],
    default: [],
    help: 'send WHEP viewers (307) to a better relay by these rules, in order: region (--region-map), class (viewer priority class), load; none by default',
  },
  { key: 'regionMap', type: 'string', help: 'JSON file of region → client subnets (CIDR), for --redirect region' },
  {
    key: 'redirectLoadMargin',
    type: 'number',
    default: 0.25,
    min: 0,
    help: 'redirect for load only when this node is this share busier than the least loaded relay',
  },
  { key: 'redirectMinViewers', type: 'int', default: 5, min: 0, help: 'redirect for load only from this many viewers on' },
  { key: 'sessionConnectTimeout', type: 'duration', default: '20s', help: 'close a WebRTC session not connected by then' },
  { key: 'disconnectGrace', type: 'duration', default: '5s', help: 'close a WebRTC session disconnected this long' },
  { key: 'maxFrameBytes', type: 'int', default: 65536, min: 2048, help: 'largest relay-link frame accepted' },
  { key: 'absoluteLocation', type: 'bool', default: false, help: 'answer WHIP/WHEP with an absolute Location (behind a redirecting front)' },
  { key: 'cacheWindow', type: 'duration', default: '2h', help: 'window B: recent media kept in memory per stream for time-shift (0 disables)' },
  {
    key: 'fanoutSlice',
    type: 'duration',
    default: '5ms',
    help: 'longest run of fan-out sends per event-loop turn; a longer burst (a keyframe to many viewers) continues on the next turn (0: all at once)',
  },
  {
    key: 'metricsMaxStreams',
    type: 'int',
    default: 50,
    min: 0,
    help: 'streams with their own canopy_stream_* series on /metrics (most viewers first); the rest are summed under stream="(other)"',
  },
  { key: 'cacheMaxBytes', type: 'int', default: 268_435_456, min: 0, help: 'memory cap of each stream buffer; the window shrinks when it binds' },
  {
    key: 'cacheMaxTotalBytes',
    type: 'int',
    default: 0,
    min: 0,
    help: 'memory budget of window B for all streams of this node together; when full the oldest media of the least-watched streams goes first (docs/timeshift.md). 0: 25% of the memory the process may use (its cgroup limit, else the host RAM), between 64 MiB and 16 GiB',
  },
  ...securityOptions,
  { key: 'lossRepair', type: 'bool', default: true, help: 'negotiate NACK and RTX with viewers and publishers and repair lost packets (docs/repair.md)' },
  { key: 'repairWindow', type: 'duration', default: '1s', min: 50, help: "how long each node keeps a stream track's packets for retransmission" },
  { key: 'repairMaxBytes', type: 'int', default: 8_388_608, min: 65_536, help: "memory cap of each stream track's retransmission history" },
  { key: 'retransmitShare', type: 'number', default: 0.25, min: 0, help: 'per-viewer cap on retransmissions, as a share of the bitrate sent to that viewer' },
  {
    key: 'layerProbes',
    type: 'bool',
    default: true,
    help: 'native engine: probe a simulcast viewer\'s link with padding trains before moving it up a layer (docs/abr.md "Probing")',
  },
  {
    key: 'linkMedia',
    type: 'string',
    default: 'auto',
    choices: ['ws', 'udp', 'auto'],
    help: 'how relay-link media travels: ws (inside the WebSocket, TCP), udp (SRTP pipe, docs/pipe.md), auto (the pipe when a UDP handshake succeeds within 1 s, else ws); per parent: --parent URL#media=udp',
  },
  { key: 'pipeListen', type: 'hostport', help: 'UDP address HOST:PORT of the media pipe socket (default: the --listen host, an ephemeral port)' },
  {
    key: 'turnUrl',
    type: 'string',
    multiple: true,
    help: 'TURN server handed to WHIP/WHEP clients in Link headers (RFC 9725 §4.6): turn:HOST[:PORT][?transport=udp|tcp] or turns:HOST[:PORT]; repeat for several (docs/firewalls.md)',
  },
  {
    key: 'turnSecret',
    type: 'string',
    help: "coturn's static-auth-secret (use-auth-secret) signing short-lived TURN credentials; prefer CANOPY_TURN_SECRET or --turn-secret-file",
  },
  { key: 'turnSecretFile', type: 'string', help: 'file holding the TURN secret' },
  { key: 'turnTtl', type: 'duration', default: '1h', min: 60_000, help: 'lifetime of the TURN credentials in each 201 (coturn refuses them afterwards)' },
  {
    key: 'drainTimeout',
    type: 'duration',
    default: '30s',
    help: 'on SIGTERM, refuse new sessions and links and keep serving current ones this long at most, then close',
  },
];
