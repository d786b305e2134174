/** Small statistics helpers for the bench. */

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

export function round(v: number | null | undefined, digits = 1): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function summary(values: readonly number[], digits = 1): { p50: number | null; p95: number | null; p99: number | null; n: number } {
  return {
    p50: round(percentile(values, 50), digits),
    p95: round(percentile(values, 95), digits),
    p99: round(percentile(values, 99), digits),
    n: values.length,
  };
}

/**
 * Matches viewer arrivals to publisher sends by payload hash: each arrival pairs with the
 * latest send of the same payload at or before it (payloads repeat only once per fixture
 * loop, 6 s, far longer than any delivery delay). Returns latencies in ms by viewer id.
 *
 * `sends`: flat [hash, sentAt, ...]; `arrivals`: flat [hash, arrivedAt, viewerId, ...].
 */
export function matchLatencies(sends: readonly number[], arrivals: readonly number[], maxMs = 2000): Map<number, number[]> {
  const byHash = new Map<number, number[]>();
  for (let i = 0; i + 1 < sends.length; i += 2) {
    const list = byHash.get(sends[i]!);
    if (list) list.push(sends[i + 1]!);
    else byHash.set(sends[i]!, [sends[i + 1]!]);
  }
  const out = new Map<number, number[]>();
  // Clocks are the same wall clock read in different processes: allow a little skew.
  const skewMs = 0.5;
  for (let i = 0; i + 2 < arrivals.length; i += 3) {
    const times = byHash.get(arrivals[i]!);
    if (!times) continue;
    const at = arrivals[i + 1]!;
    let best: number | undefined;
    for (const t of times) if (t <= at + skewMs && (best === undefined || t > best)) best = t;
    if (best === undefined || at - best > maxMs) continue;
    const id = arrivals[i + 2]!;
    const list = out.get(id);
    const lat = Math.max(0, at - best);
    if (list) list.push(lat);
    else out.set(id, [lat]);
  }
  return out;
}
