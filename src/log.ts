import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

const BASE = { base: {}, timestamp: pino.stdTimeFunctions.isoTime } as const;

/** The one root logger of a process; components take children of it (servers bind `node`). */
export function createLogger(opts: { level?: LevelWithSilent } = {}): Logger {
  return pino({ level: opts.level ?? 'info', ...BASE });
}

/**
 * A program's root logger: JSON lines, or with `pretty` human-readable lines through
 * pino-pretty, loaded only when asked for. pino-pretty writes synchronously here, so the lines
 * of a process that exits right after logging are not lost.
 */
export async function createProgramLogger(opts: { level: LevelWithSilent; format: LogFormat }): Promise<Logger> {
  if (opts.format !== 'pretty') return createLogger({ level: opts.level });
  const { default: pretty } = await import('pino-pretty');
  const stream = pretty({
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,node,component',
    // One line per entry: the node and component first, the other fields after the message.
    messageFormat: (log, messageKey) => {
      const where = [log.node, log.component].filter((v) => typeof v === 'string').join('/');
      return `${where ? `${where} │ ` : ''}${String(log[messageKey] ?? '')}`;
    },
    singleLine: true,
  });
  return pino({ level: opts.level, ...BASE }, stream);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
