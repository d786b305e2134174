import { CanopyError, ErrorCode } from '../errors.js';
import { shutdownNativeEngine } from '../engine/NdcEngine.js';
import { createLogger, type Logger } from '../log.js';

interface Closable {
  listen(): Promise<void>;
  close(reason?: string): Promise<void>;
  readonly url: string;
}

/**
 * Runs a node program: builds the server from config, listens, and maps SIGTERM/SIGINT to
 * close(). libdatachannel's cleanup() can block ~10 s after a failed DTLS handshake, hence
 * the exit fallback.
 */
export async function runProgram<C extends { logLevel: string; id: string; help?: boolean }>(opts: {
  name: string;
  load: () => C;
  usage: () => string;
  build: (config: C, logger: Logger) => Closable;
}): Promise<void> {
  let config: C;
  try {
    config = opts.load();
  } catch (err) {
    if (err instanceof CanopyError && err.code === ErrorCode.CONFIG) {
      process.stderr.write(`${opts.name}: ${err.message}\n\n${opts.usage()}`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(opts.usage());
    return;
  }
  const logger = createLogger({ level: config.logLevel as 'info' });
  const server = opts.build(config, logger);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(0), 5000).unref();
    server
      .close(`signal ${signal}`)
      .then(() => {
        shutdownNativeEngine();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'close failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await server.listen();
  } catch (err) {
    logger.fatal({ err }, 'cannot start');
    process.exit(1);
  }
  // A relay cluster's front forks its workers and learns their address from this message.
  process.send?.({ canopy: 'listening', url: server.url });
}
