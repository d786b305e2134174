import { performance } from 'node:perf_hooks';
import type { Counter } from '../metrics.js';
import type { MediaPacket } from './MediaPacket.js';
import type { StreamConsumer } from './types.js';

/** Hands one packet to one consumer: the stream's own, which contains what the consumer throws. */
export type SendTo = (c: StreamConsumer, p: MediaPacket) => void;

const direct: SendTo = (c, p) => c.onPacket(p);

export interface FanoutPacerOptions {
  /** Longest run of fan-out sends in one turn of the event loop, ms; 0 sends every burst at once. */
  sliceMs: number;
  /**
   * A packet waiting longer than this is past pacing: the node is overloaded, and spreading
   * would only add delay. Everything waiting is then sent at once, as without pacing.
   */
  maxDelayMs?: number;
  counters?: { deferred: Counter; flushed: Counter };
}

interface Job {
  consumers: Set<StreamConsumer>;
  /** Live iterator over the consumers (consumers leaving mid-burst are skipped, as in a plain loop). */
  it: Iterator<StreamConsumer> | null;
  packet: MediaPacket;
  sendTo: SendTo;
  queuedAt: number;
}

/**
 * Splits a burst of fan-out across turns of the event loop (issue 14). A keyframe arrives as a
 * burst of packets, and each packet costs one native send per viewer on this thread: at a few
 * hundred viewers one keyframe kept the loop busy for tens of milliseconds, and timers, DTLS
 * handshakes, RTCP and HTTP waited. Here the sends of one turn stop once they have run
 * `sliceMs`; the rest continue on the next turn (setImmediate, after pending I/O). One pacer
 * serves every feed of a node, first in, first out, so each consumer still gets its packets in
 * order and no feed waits behind another's backlog for more than a slice.
 */
export class FanoutPacer {
  private readonly queue: Job[] = [];
  private head = 0;
  /** When the current run of sends began (performance.now()), and whether a run is open. */
  private runStart = 0;
  private runOpen = false;
  private drainScheduled = false;
  private closed = false;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: FanoutPacerOptions) {
    this.maxDelayMs = opts.maxDelayMs ?? 200;
  }

  /** Packets whose fan-out is waiting for a later turn. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  deliver(consumers: Set<StreamConsumer>, packet: MediaPacket, sendTo: SendTo = direct): void {
    if (this.opts.sliceMs <= 0 || this.closed) {
      for (const c of consumers) sendTo(c, packet);
      return;
    }
    const now = performance.now();
    if (this.waiting > 0) {
      if (now - this.queue[this.head]!.queuedAt > this.maxDelayMs) {
        this.flush();
        for (const c of consumers) sendTo(c, packet);
        return;
      }
      this.queue.push({ consumers, it: null, packet, sendTo, queuedAt: now });
      return;
    }
    this.openRun(now);
    const job: Job = { consumers, it: consumers.values(), packet, sendTo, queuedAt: now };
    if (this.run(job)) return;
    this.queue.push(job);
    this.opts.counters?.deferred.add();
    this.scheduleDrain();
  }

  /** A run spans every delivery of the current turn: it closes in the check phase. */
  private openRun(now: number): void {
    if (this.runOpen) return;
    this.runOpen = true;
    this.runStart = now;
    setImmediate(() => {
      this.runOpen = false;
    });
  }

  /** Sends a job on; false when the slice ran out first. */
  private run(job: Job): boolean {
    const it = (job.it ??= job.consumers.values());
    for (;;) {
      const r = it.next();
      if (r.done) return true;
      job.sendTo(r.value, job.packet);
      if (performance.now() - this.runStart >= this.opts.sliceMs) return false;
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    if (this.closed) return;
    this.runOpen = false;
    this.openRun(performance.now());
    while (this.head < this.queue.length) {
      const job = this.queue[this.head]!;
      if (job.it === null) this.opts.counters?.deferred.add();
      if (!this.run(job)) return this.scheduleDrain();
      this.queue[this.head++] = undefined as unknown as Job;
    }
    this.queue.length = 0;
    this.head = 0;
  }

  /** Sends everything waiting, now. */
  flush(): void {
    if (this.waiting > 0) this.opts.counters?.flushed.add(this.waiting);
    while (this.head < this.queue.length) {
      const job = this.queue[this.head]!;
      const it = (job.it ??= job.consumers.values());
      for (let r = it.next(); !r.done; r = it.next()) job.sendTo(r.value, job.packet);
      this.queue[this.head++] = undefined as unknown as Job;
    }
    this.queue.length = 0;
    this.head = 0;
  }

  /** Drops what is waiting (the node is closing) and sends later bursts at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
  }
}
