import { resolveSecurity } from '../src/auth/options.js';
import { freezeConfig, loadConfig, type HostPort, type OptionSpec, type ParentEntry } from '../src/config.js';
import { commonOptions, type CommonConfig } from '../src/options.js';

export interface RelayConfig extends CommonConfig {
  /** Parents in order of preference (priority, lower first). */
  parent: ParentEntry[];
  parentReturnAfter: number;
  siblings: boolean;
  lanGroup?: HostPort;
  lanInterface?: string;
  siblingTimeout: number;
  workers: number;
}

export const relayOptions: OptionSpec[] = [
  ...commonOptions.map((o) => (o.key === 'listen' ? { ...o, default: '127.0.0.1:8100' } : o)),
  {
    key: 'parent',
    type: 'parent',
    multiple: true,
    required: true,
    help: "a parent's relay endpoint, e.g. ws://origin:8000/relay; repeat for failover parents, in order of preference, or give URL#priority=N (lower is preferred)",
  },
  { key: 'parentReturnAfter', type: 'duration', default: '10s', help: 'move back to a more preferred parent once it has been up this long (hysteresis)' },
  { key: 'siblings', type: 'bool', default: true, help: 'ask sibling relays (same parent, same LAN) by multicast before the parent' },
  { key: 'lanGroup', type: 'hostport', help: "sibling multicast group ADDR:PORT (default: 239.255.x.y:47474 from the parent's id)" },
  { key: 'lanInterface', type: 'string', help: 'local IP of the LAN interface for sibling multicast (default: --ice-bind or --ice-address)' },
  { key: 'workers', type: 'int', default: 1, min: 1, help: 'relay processes on this host; >1 runs a front that redirects viewers to sibling workers' },
  { key: 'siblingTimeout', type: 'duration', default: '50ms', help: 'how long to collect sibling answers on a miss' },
];

export function loadRelayConfig(argv: readonly string[], env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>): RelayConfig & { help?: boolean } {
  const c = loadConfig<RelayConfig>(relayOptions, { argv, env, overrides });
  return freezeConfig(c.help ? c : resolveSecurity(c, 'relay', c.listen));
}
