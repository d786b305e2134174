/**
 * At most `perSecond` log lines a second for one kind of event (client errors): a hostile or
 * broken client sending thousands of bad requests must not flood the log or slow the node. The
 * lines not written are counted, and the next line written says how many there were.
 */
export class LogBudget {
  private windowStart = -Infinity;
  private used = 0;
  private skipped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null: skip this line; else the number of lines skipped since the last one written. */
  take(): number | null {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.used = 0;
    }
    if (this.used >= this.perSecond) {
      this.skipped++;
      return null;
    }
    this.used++;
    const skipped = this.skipped;
    this.skipped = 0;
    return skipped;
  }
}
