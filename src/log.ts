import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

const CHINDINGS = pino.symbols.chindingsSym;

/**
 * pino appends a child's bindings to its parent's as they are, so a component that takes a
 * child of another component's logger wrote `"component":"node",…,"component":"downlink-pipe"`:
 * a JSON object with a key twice, which collectors read differently (first or last wins). Each
 * child's bindings are made unique here, once at creation: a key the parent already has keeps
 * its place and takes the child's value (the more specific one). pino calls onChild for the
 * children of children too.
 */
function uniqueBindings(child: Logger): void {
  const holder = child as unknown as Record<symbol, unknown>;
  const chindings = holder[CHINDINGS];
  if (typeof chindings !== 'string' || chindings.length < 2) return;
  let bindings: unknown;
  try {
    // pino keeps them as `,"k":v,…`; JSON.parse keeps the last value of a repeated key.
    bindings = JSON.parse(`{${chindings.slice(1)}}`);
  } catch {
    return; // not plain JSON (a custom serializer's output): leave it as pino wrote it
  }
  const unique = JSON.stringify(bindings);
  holder[CHINDINGS] = unique === '{}' ? '' : `,${unique.slice(1, -1)}`;
}

const BASE = { base: {}, timestamp: pino.stdTimeFunctions.isoTime, onChild: uniqueBindings } as const;

/** The one root logger of a process; components take children of it (servers bind `node`). */
export function createLogger(opts: { level?: LevelWithSilent; destination?: DestinationStream } = {}): Logger {
  const options = { level: opts.level ?? 'info', ...BASE };
  return opts.destination ? pino(options, opts.destination) : pino(options);
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
