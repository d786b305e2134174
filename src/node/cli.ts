import { basename } from 'node:path';
import { CanopyError, ErrorCode } from '../errors.js';
import { shutdownNativeEngine } from '../engine/NdcEngine.js';
import { createProgramLogger, type LogFormat, type Logger } from '../log.js';

interface Closable {
  listen(): Promise<void>;
  close(reason?: string): Promise<void>;
  /** SIGHUP: re-read what may change without a restart (the TLS certificate and key). Throws on a bad file. */
  reload?(): void;
  /** Graceful drain (SIGTERM): refuse new work, resolve when current work is done or timeoutMs passed. */
  drain?(timeoutMs: number): Promise<unknown>;
  readonly url: string;
}

/** How long close() may take before the process exits anyway. */
const CLOSE_GRACE_MS = 5000;

/**
 * How a user started this program, for its usage line: `npm run relay --`, `canopy relay` (the
 * package's bin) or `node dist/relay/main.js`.
 */
export function commandName(program: 'origin' | 'relay'): string {
  if (process.env.npm_lifecycle_event === program) return `npm run ${program} --`;
  const script = basename(process.argv[1] ?? '');
  if (script === 'canopy' || script === 'canopy.js') return `canopy ${program}`;
  return `node ${process.argv[1] ?? `${program}/main.js`}`;
}

/**
 * Runs a node program: builds the server from config, listens, and maps signals to shutdown:
 * SIGTERM (systemd, Kubernetes, docker stop) drains first, for at most --drain-timeout, then
 * closes; SIGINT (Ctrl-C), or SIGINT during a drain, closes at once. libdatachannel's
 * cleanup() can block ~10 s after a failed DTLS handshake, hence the exit fallback.
 */
export async function runProgram<C extends { logLevel: string; logFormat: LogFormat; drainTimeout: number; id: string; help?: boolean }>(opts: {
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
  const logger = await createProgramLogger({ level: config.logLevel as 'info', format: config.logFormat });
  const server = opts.build(config, logger);
  let closing = false;
  let draining = false;
  const close = (reason: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, 'shutting down');
    setTimeout(() => process.exit(0), CLOSE_GRACE_MS).unref();
    server
      .close(reason)
      .then(() => {
        shutdownNativeEngine();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'close failed');
        process.exit(1);
      });
  };
  const drainTimeout = config.drainTimeout;
  process.on('SIGTERM', () => {
    if (closing) return;
    if (draining) {
      logger.info('SIGTERM while draining: still draining (SIGINT closes at once)');
      return;
    }
    if (!server.drain || drainTimeout <= 0) return close('signal SIGTERM');
    draining = true;
    logger.info({ timeoutMs: drainTimeout }, 'SIGTERM: draining');
    server
      .drain(drainTimeout)
      .then((outcome) => close(`signal SIGTERM, drain ${String(outcome)}`))
      .catch((err: unknown) => {
        logger.error({ err }, 'drain failed');
        close('signal SIGTERM, drain failed');
      });
  });
  process.on('SIGINT', () => close('signal SIGINT'));
  // SIGHUP rotates certificates (the convention of nginx and HAProxy): a bad file is logged and
  // the node keeps serving with what it had.
  process.on('SIGHUP', () => {
    try {
      server.reload?.();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'SIGHUP: reload failed; still serving the previous certificate');
    }
  });
  try {
    await server.listen();
  } catch (err) {
    logger.fatal({ err }, 'cannot start');
    process.exit(1);
  }
  // A relay cluster's front forks its workers and learns their address from this message.
  process.send?.({ canopy: 'listening', url: server.url });
}
