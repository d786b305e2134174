import { publishOptions, resolveSecurity, type PublishAuthConfig } from '../src/auth/options.js';
import { freezeConfig, loadConfig, type OptionSpec } from '../src/config.js';
import { commonOptions, type CommonConfig } from '../src/options.js';

export interface OriginConfig extends CommonConfig, PublishAuthConfig {
  dataDir?: string;
  serveViewers: boolean;
  publishBitrate: number;
  publishTransportCc: boolean;
  archiveWindow: number;
  archiveMaxBytes: number;
  keyframeInterval: number;
  startupGrace: number;
  keyframeMinInterval: number;
  archiveMemoryWindow: number;
}

export const originOptions: OptionSpec[] = [
  ...commonOptions,
  { key: 'dataDir', type: 'string', help: 'directory of the stream archive (time-shift beyond window B); none: no archive' },
  { key: 'archiveWindow', type: 'duration', default: '72h', help: 'window A: how long the archive keeps each stream' },
  { key: 'archiveMaxBytes', type: 'int', default: 21_474_836_480, min: 1_048_576, help: 'archive size cap; the oldest data goes first' },
  {
    key: 'archiveMemoryWindow',
    type: 'duration',
    default: '10s',
    help: 'with --data-dir: the newest media of each stream the origin keeps in memory (plus the GOP it starts in); older time-shift requests within window B read the archive',
  },
  { key: 'keyframeInterval', type: 'duration', default: '2s', help: 'ask publishers for a keyframe this often: seek points for time-shift (0: never)' },
  ...publishOptions,
  {
    key: 'startupGrace',
    type: 'duration',
    default: '30s',
    help: 'after a start, answer relays asking for unknown streams "not yet" (retry) rather than "not found" for this long, while broadcasters republish',
  },
  {
    key: 'keyframeMinInterval',
    type: 'duration',
    default: '1s',
    help: 'ask a publisher for at most one keyframe per stream this often, however many viewers ask; later requests wait for the interval to end',
  },
  { key: 'serveViewers', type: 'bool', default: false, help: 'also serve WHEP viewers (by default the origin serves level-1 relays only)' },
  {
    key: 'publishBitrate',
    type: 'int',
    default: 2_500_000,
    min: 100_000,
    help: 'video bitrate asked of publishers that do not negotiate transport-cc (REMB, bit/s)',
  },
  {
    key: 'publishTransportCc',
    type: 'bool',
    default: true,
    help: 'negotiate transport-cc with publishers that offer it and send them transport-wide feedback instead of REMB: their own estimator ramps up within seconds (docs/abr.md)',
  },
];

export function loadOriginConfig(argv: readonly string[], env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>): OriginConfig & { help?: boolean } {
  const c = loadConfig<OriginConfig>(originOptions, { argv, env, overrides });
  return freezeConfig(c.help ? c : resolveSecurity(c, 'origin', c.listen));
}
