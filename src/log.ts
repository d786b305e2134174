import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** The one root logger of a process; components take children of it (servers bind `node`). */
export function createLogger(opts: { level?: LevelWithSilent } = {}): Logger {
  return pino({
    level: opts.level ?? 'info',
    base: {},
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
