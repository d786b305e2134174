import { usage } from '../src/config.js';
import { commandName, runProgram } from '../src/node/cli.js';
import { loadOriginConfig, originOptions } from './config.js';
import { OriginServer } from './OriginServer.js';

await runProgram({
  name: 'canopy-origin',
  load: () => loadOriginConfig(process.argv.slice(2), process.env),
  usage: () => usage(commandName('origin'), originOptions),
  build: (config, logger) => new OriginServer(config, logger),
});
