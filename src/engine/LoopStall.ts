// Whether an arrival time stamped on the JavaScript thread can be trusted: the event loop may
// have been blocked (GC, a burst of work, CPU starvation) while packets were arriving, and
// node-datachannel's callbacks then hand them over in one burst after it, all stamped at its end.
//
// Why a JS timer measuring its own lateness, not perf_hooks: monitorEventLoopDelay and
// eventLoopUtilization summarise (a histogram, a busy share) but do not say *when* the loop was
// blocked, and a stamp needs exactly that: did a stall end just before it, and when did it
// start. A timer that knows when it last ran knows both: the loop was turning then, and a turn
// that comes late says the loop was held from (about) the previous turn until now.

/**
 * The timer's period. 10 ms bounds how early we place a stall's start (it began at most this
 * much after the last turn). It costs ~100 wake-ups a second (~95 µs each on this VM,
 * docs/scale.md), so the timer runs only while something holds the monitor (a publisher
 * with transport-cc), never on an idle node.
 */
export const LOOP_TICK_MS = 10;
/**
 * A turn later than this after it was due is a stall. libwebrtc's trendline reacts to a few ms
 * of delay growth over its window, but timers here are routinely a few ms late under load
 * (2 vCPUs, load 6-11), and treating that as a stall would smear ordinary arrivals. 20 ms is
 * well above that jitter, below one frame interval at 30 fps (33 ms), and far below the
 * 100-300 ms stalls that made Chromium drop its top layer (docs/abr.md).
 */
export const LOOP_STALL_MS = 20;
/**
 * After a stall's late turn, packets stamped within this long were queued during it: the
 * queued callbacks run in the loop's next poll phase, after the timers due (the turn itself and
 * any other late ones). A packet that really arrived in these 10 ms is spread with the burst
 * and moves by less than this.
 */
export const LOOP_SETTLE_MS = 10;

/** What a stamp's reader needs to know; TwccRecorder takes this, tests give it a fake. */
export interface StallClock {
  /**
   * For a stamp taken at nowMs (the monitor's clock, performance.now()): when the stall started
   * that the packet delivered now may have arrived during (the loop is still catching up on it,
   * or came out of it less than LOOP_SETTLE_MS ago), else NaN.
   */
  stallStartFor(nowMs: number): number;
}

/** One process's event-loop stall monitor; use the shared one through holdLoopStall(). */
export class LoopStall implements StallClock {
  private lastTurnMs: number;
  private stallFromMs = NaN;
  private stallToMs = NaN;
  private timer: NodeJS.Timeout | null = null;
  /** Stalls seen, their total and longest length in ms (for tests, benches and the operator). */
  stalls = 0;
  stalledMs = 0;
  longestMs = 0;
  /** The last RECENT_STALLS stalls: [start, length] in ms on the monitor's clock (for benches). */
  readonly recent: Array<[number, number]> = [];

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly tickMs = LOOP_TICK_MS,
  ) {
    this.lastTurnMs = now();
  }

  /** One turn of the timer, at nowMs: a late one records the stall it ends. */
  turn(nowMs: number): void {
    if (nowMs - this.lastTurnMs - this.tickMs > LOOP_STALL_MS) {
      // The loop last turned at lastTurnMs: the stall began after that, at most a tick later.
      this.stallFromMs = this.lastTurnMs;
      this.stallToMs = nowMs;
      this.stalls++;
      this.stalledMs += nowMs - this.lastTurnMs;
      this.longestMs = Math.max(this.longestMs, nowMs - this.lastTurnMs);
      this.recent.push([this.lastTurnMs, nowMs - this.lastTurnMs]);
      if (this.recent.length > RECENT_STALLS) this.recent.shift();
    }
    this.lastTurnMs = nowMs;
  }

  stallStartFor(nowMs: number): number {
    // The timer has not turned for too long: the loop is blocked, or this callback is part of
    // what it is catching up on before the timer's late turn.
    if (nowMs - this.lastTurnMs - this.tickMs > LOOP_STALL_MS) return this.lastTurnMs;
    if (nowMs >= this.stallToMs && nowMs - this.stallToMs <= LOOP_SETTLE_MS) return this.stallFromMs;
    return NaN;
  }

  /** Runs the timer (unref'd: it never keeps the process up). */
  start(): void {
    if (this.timer) return;
    this.lastTurnMs = this.now();
    this.timer = setInterval(() => this.turn(this.now()), this.tickMs);
    this.timer.unref();
  }

  /** Stops the timer; start() may run it again. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }
}

let shared: LoopStall | null = null;
let holders = 0;

/**
 * The process's monitor, running while anyone holds it. Call the returned release once (more
 * calls do nothing); the timer stops with the last holder.
 */
export function holdLoopStall(): { monitor: StallClock; release: () => void } {
  shared ??= new LoopStall();
  holders++;
  shared.start();
  const monitor = shared;
  let released = false;
  return {
    monitor,
    release: () => {
      if (released) return;
      released = true;
      if (--holders === 0) monitor.stop();
    },
  };
}

/** Holders of the shared monitor (tests assert 0 after each test), and whether its timer runs. */
export function loopStallHolders(): { holders: number; running: boolean } {
  return { holders, running: shared?.running ?? false };
}

/** Stalls kept for a look at when they happened (a bench lines them up with the publisher's estimate). */
const RECENT_STALLS = 512;

/** What the shared monitor has seen since the process started: stalls, their total and longest length (ms). */
export function loopStallSeen(): { stalls: number; stalledMs: number; longestMs: number; recent: Array<[number, number]> } {
  return {
    stalls: shared?.stalls ?? 0,
    stalledMs: Math.round(shared?.stalledMs ?? 0),
    longestMs: Math.round(shared?.longestMs ?? 0),
    recent: shared ? shared.recent.map(([at, ms]) => [at, ms]) : [],
  };
}
