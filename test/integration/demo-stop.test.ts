// Issue 18: Ctrl-C on a loaded machine left the origin and level-1 relays running and the
// temporary archive on disk. Every way the demo can end must stop every node it started and
// remove the archive, with CPU hogs running. (The 20-run figure: scripts/bench/demo-stop.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuHogs, STOP_METHODS, stopOnce } from '../../scripts/demo/stopCheck.js';

let hogs: { stop(): void };
beforeAll(() => {
  hogs = cpuHogs(2);
});
afterAll(() => hogs.stop());

describe('the demo under CPU load', () => {
  // Its own ports, away from a demo someone runs by hand (8000).
  it.each(STOP_METHODS.map((m, i) => [m, 18_300 + i * 5] as const))(
    'stops every node and removes its archive: %s',
    async (method, basePort) => {
      const r = await stopOnce(method, { basePort });
      expect(r.left).toEqual([]);
      expect(r.cleanMs).not.toBeNull();
    },
    150_000,
  );
});
