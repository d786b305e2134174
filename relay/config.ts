import { loadConfig, type OptionSpec } from '../src/config.js';
import { commonOptions, type CommonConfig } from '../src/options.js';

export interface RelayConfig extends CommonConfig {
  parent: string;
}

export const relayOptions: OptionSpec[] = [
  ...commonOptions.map((o) => (o.key === 'listen' ? { ...o, default: '127.0.0.1:8100' } : o)),
  { key: 'parent', type: 'wsurl', required: true, help: "parent's relay endpoint, e.g. ws://origin:8000/relay" },
];

export function loadRelayConfig(argv: readonly string[], env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>): RelayConfig & { help?: boolean } {
  return loadConfig<RelayConfig>(relayOptions, { argv, env, overrides });
}
