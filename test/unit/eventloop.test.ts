import { describe, expect, it } from 'vitest';
import { EventLoopMonitor } from '../../src/node/EventLoopMonitor.js';
import { sleep, waitFor } from '../support/wait.js';

describe('event-loop monitor', () => {
  it('reports a blocked loop as its window maximum and nothing before the first second', async () => {
    const m = new EventLoopMonitor();
    try {
      expect(m.window(5)).toEqual({ seconds: 0, samples: 0, p50Ms: null, p99Ms: null, maxMs: null });
      await sleep(200);
      const t = Date.now();
      // A 100 ms block starting at a random phase of the 20 ms sampling period shows as a
      // delay between 80 and 100 ms (the sampled interval minus the period).
      while (Date.now() - t < 100) {
        // block the loop
      }
      // Until the first whole second (with the block in it) is in the window.
      let w = m.window(5);
      await waitFor(() => (w = m.window(5)).seconds >= 1 && w.samples > 10, 5000, 50, 'a second of samples');
      expect(w.maxMs).toBeGreaterThanOrEqual(75);
      expect(w.p50Ms).toBeLessThan(w.maxMs!);
    } finally {
      m.close();
    }
  });
});
