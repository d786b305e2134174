import { usage } from '../src/config.js';
import { commandName, runProgram } from '../src/node/cli.js';
import { loadRelayConfig, relayOptions } from './config.js';
import { RelayCluster } from './RelayCluster.js';
import { RelayServer } from './RelayServer.js';

await runProgram({
  name: 'canopy-relay',
  load: () => loadRelayConfig(process.argv.slice(2), process.env),
  usage: () => usage(commandName('relay'), relayOptions),
  build: (config, logger) => (config.workers > 1 ? new RelayCluster(config, logger) : new RelayServer(config, logger)),
});
