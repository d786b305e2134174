/**
 * The bench's viewers: viewer-worker processes (100 viewers each by default), started as
 * needed, and the join records and counters of every viewer they hold. Shared by the bench
 * sections (main.ts, cluster.ts) and the fleet (scripts/fleet).
 */
import { ViewerWorker } from './procs.js';
import type { JoinRecord, ViewerSpec, WorkerCounters } from './protocol.js';

export interface ViewerPoolOptions {
  /** Viewers per viewer process. */
  perWorker: number;
  /** Progress lines (failures, worker messages). */
  log: (msg: string) => void;
  /** Starts one viewer process (default: ViewerWorker.start on this host). */
  startWorker?: (name: string) => Promise<ViewerWorker>;
}

export class ViewerPool {
  readonly workers: ViewerWorker[] = [];
  private nextId = 1;
  private readonly owner = new Map<number, ViewerWorker>();
  private readonly joins = new Map<number, JoinRecord>();
  private readonly waiters = new Map<number, (r: JoinRecord) => void>();
  private starting: Promise<ViewerWorker> | null = null;

  constructor(private readonly opts: ViewerPoolOptions) {}

  private async worker(): Promise<ViewerWorker> {
    const open = this.workers.filter((w) => w.running).sort((a, b) => a.assigned - b.assigned);
    if (open[0] && open[0].assigned < this.opts.perWorker) return open[0];
    const name = `viewers-${this.workers.length + 1}`;
    this.starting ??= (this.opts.startWorker ?? ((n: string) => ViewerWorker.start(n)))(name).then((w) => {
      w.onJoin = (rec) => this.onJoin(rec);
      w.onLog = (msg) => this.opts.log(msg);
      this.workers.push(w);
      this.starting = null;
      return w;
    });
    return this.starting;
  }

  private failuresLogged = 0;

  private onJoin(rec: JoinRecord): void {
    this.joins.set(rec.id, rec);
    if (!rec.ok && this.failuresLogged++ < 5) this.opts.log(`  viewer ${rec.id} failed after ${rec.attempts} attempts: ${rec.error}`);
    const w = this.waiters.get(rec.id);
    if (w) {
      this.waiters.delete(rec.id);
      w(rec);
    }
  }

  /** Starts viewers (each worker connects a few at a time); returns their ids. */
  async add(specs: Array<Omit<ViewerSpec, 'id'>>): Promise<number[]> {
    const ids: number[] = [];
    const batches = new Map<ViewerWorker, ViewerSpec[]>();
    for (const s of specs) {
      const w = await this.worker();
      const spec: ViewerSpec = { ...s, id: this.nextId++ };
      w.assigned++;
      this.owner.set(spec.id, w);
      ids.push(spec.id);
      const b = batches.get(w) ?? [];
      b.push(spec);
      batches.set(w, b);
    }
    for (const [w, b] of batches) {
      w.assigned -= b.length;
      w.add(b);
    }
    return ids;
  }

  /** Join records of `ids` (each settles on first keyframe, failure, or 15 s after connecting). */
  waitJoined(ids: number[], timeoutMs: number): Promise<JoinRecord[]> {
    return Promise.all(
      ids.map(
        (id) =>
          new Promise<JoinRecord>((resolve) => {
            const have = this.joins.get(id);
            if (have) return resolve(have);
            const timer = setTimeout(() => {
              this.waiters.delete(id);
              resolve({ id, ok: false, attempts: 0, startedAt: 0, error: `no join report within ${timeoutMs} ms` });
            }, timeoutMs);
            this.waiters.set(id, (r) => {
              clearTimeout(timer);
              resolve(r);
            });
          }),
      ),
    );
  }

  async close(ids: number[]): Promise<void> {
    const by = new Map<ViewerWorker, number[]>();
    for (const id of ids) {
      const w = this.owner.get(id);
      if (!w) continue;
      this.owner.delete(id);
      by.set(w, [...(by.get(w) ?? []), id]);
    }
    await Promise.all([...by].map(([w, list]) => w.close(list)));
  }

  async closeAll(): Promise<void> {
    this.owner.clear();
    await Promise.all(this.workers.filter((w) => w.running).map((w) => w.closeAll()));
  }

  async snap(): Promise<WorkerCounters> {
    const all = await Promise.all(this.workers.filter((w) => w.running).map((w) => w.snap()));
    const sum: WorkerCounters = {
      connected: 0,
      connecting: 0,
      failed: 0,
      packets: 0,
      bytes: 0,
      expected: 0,
      videoPackets: 0,
      videoExpected: 0,
      rtcp: 0,
      retries: 0,
    };
    // Every numeric field a worker reports is summed, including ones added after this code.
    const acc = sum as unknown as Record<string, number>;
    for (const { counters } of all) {
      for (const [k, v] of Object.entries(counters)) if (typeof v === 'number') acc[k] = (acc[k] ?? 0) + v;
    }
    return sum;
  }

  /** Latest pushed status, summed (no round trip; for the progress line). */
  status(): { connected: number; connecting: number; failed: number } {
    const s = { connected: 0, connecting: 0, failed: 0 };
    for (const w of this.workers) {
      if (!w.status) continue;
      s.connected += w.status.connected;
      s.connecting += w.status.connecting;
      s.failed += w.status.failed;
    }
    return s;
  }

  cpu(): number {
    return this.workers.reduce((a, w) => a + (w.running ? w.cpu() : 0), 0);
  }

  rss(): number {
    return this.workers.reduce((a, w) => a + (w.running ? w.rss() : 0), 0);
  }

  async probe(on: boolean): Promise<number[]> {
    const all = await Promise.all(this.workers.filter((w) => w.running).map((w) => w.probe(on)));
    return all.flat();
  }

  async exit(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.exit()));
  }
}
