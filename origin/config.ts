import { loadConfig, type OptionSpec } from '../src/config.js';
import { commonOptions, type CommonConfig } from '../src/options.js';

export interface OriginConfig extends CommonConfig {
  dataDir?: string;
  publishToken?: string;
  serveViewers: boolean;
  publishBitrate: number;
}

export const originOptions: OptionSpec[] = [
  ...commonOptions,
  { key: 'dataDir', type: 'string', help: 'directory for the stream archive' },
  { key: 'publishToken', type: 'string', help: 'Bearer token WHIP publishers must present' },
  { key: 'serveViewers', type: 'bool', default: false, help: 'also serve WHEP viewers (by default the origin serves level-1 relays only)' },
  { key: 'publishBitrate', type: 'int', default: 2_500_000, min: 100_000, help: 'video bitrate asked of publishers (REMB, bit/s)' },
];

export function loadOriginConfig(argv: readonly string[], env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>): OriginConfig & { help?: boolean } {
  return loadConfig<OriginConfig>(originOptions, { argv, env, overrides });
}
