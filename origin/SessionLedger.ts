import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IceGhost } from '../src/engine/IceTombstone.js';
import type { Logger } from '../src/log.js';

/** The most sessions the ledger remembers (a named limit on what a restart reads back). */
const MAX_ENTRIES = 10_000;

/**
 * The origin's record of its live WHIP sessions' ICE ports and credentials, on disk, so that
 * after a crash the restarted origin can tell those broadcasters their sessions are gone (an
 * ICE tombstone on each port) instead of leaving them sending into silence. Sessions ended by
 * a shutdown stay in it too: the next start buries them as well.
 */
export class SessionLedger {
  private readonly live = new Map<string, IceGhost>();

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  /** The sessions an earlier life of this origin left live; the ledger starts empty after. */
  takeOrphans(): IceGhost[] {
    let out: IceGhost[] = [];
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { sessions?: unknown };
      if (Array.isArray(parsed.sessions)) out = parsed.sessions.filter(isGhost).slice(0, MAX_ENTRIES);
    } catch {
      // no ledger yet, or an unreadable one: nothing to bury
    }
    this.flush();
    return out;
  }

  add(id: string, ghost: IceGhost): void {
    if (this.live.size >= MAX_ENTRIES) return;
    this.live.set(id, ghost);
    this.flush();
  }

  remove(id: string): void {
    if (this.live.delete(id)) this.flush();
  }

  /** Writes atomically (temp file, then rename): a crash mid-write leaves the old ledger. */
  private flush(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, JSON.stringify({ sessions: [...this.live.values()] }));
      renameSync(tmp, this.path);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, path: this.path }, 'cannot write the session ledger');
    }
  }
}

function isGhost(x: unknown): x is IceGhost {
  const g = x as IceGhost;
  return (
    typeof g === 'object' && g !== null && typeof g.address === 'string' && Number.isInteger(g.port) && typeof g.ufrag === 'string' && typeof g.pwd === 'string'
  );
}
