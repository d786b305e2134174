import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** The one root logger of a process; components take children of it. */
export function createLogger(opts: { level?: LevelWithSilent; name?: string } = {}): Logger {
  return pino({
    level: opts.level ?? 'info',
    base: opts.name ? { node: opts.name } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
