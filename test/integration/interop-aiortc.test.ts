/**
 * Interop with a WebRTC stack other than ours: aiortc (Debian's python3-aiortc, on
 * /usr/bin/python3) publishes VP8 (and opus) over WHIP to the origin and views it over WHEP
 * at a level-2 relay, decoding the frames itself. Skipped when aiortc is not installed:
 *
 *   apt-get install -y --no-install-recommends python3-aiortc
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PYTHON, pythonResult, runPython, type PythonRun } from '../support/pythonRun.js';
import { startTree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

const WHIP = fileURLToPath(new URL('../../scripts/interop/aiortc_whip.py', import.meta.url));
const WHEP = fileURLToPath(new URL('../../scripts/interop/aiortc_whep.py', import.meta.url));
const VIEW_SECONDS = 4;

function aiortcMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import aiortc'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return `${PYTHON}: ${r.error.message}`;
  if (r.status !== 0) return (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`).trim();
  return null;
}

const missing = aiortcMissing();
if (missing) {
  console.warn(`skipping the aiortc interop tests: ${PYTHON} -c "import aiortc" failed (${missing}); install python3-aiortc`);
}

function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  return waitFor(cond, ms, 50, `timed out after ${ms} ms waiting for ${what}`);
}

describe.skipIf(missing !== null)('aiortc interop', () => {
  for (const audio of [false, true]) {
    it(`an aiortc publisher's VP8 ${audio ? 'and opus reach' : 'reaches'} an aiortc viewer at a level-2 relay`, async () => {
      const tree = await startTree({ level1: 1, level2PerLevel1: 1 });
      const stream = audio ? 'aiortc-av' : 'aiortc-v';
      const audioFlag = audio ? ['--audio'] : [];
      let whip: PythonRun | undefined;
      let whep: PythonRun | undefined;
      try {
        const leaf = tree.relays.find((r) => r.level === 2);
        if (!leaf) throw new Error('startTree returned no level-2 relay');

        // Long enough for the whole test; stopped with SIGTERM once the viewer is done.
        whip = runPython(WHIP, [`${tree.origin.url}/whip/${stream}`, '--seconds', '45', ...audioFlag]);
        let whipExit: number | null | undefined;
        void whip.exited.then((c) => (whipExit = c));
        await until(() => whipExit !== undefined || tree.origin.publishers.get(stream)?.connected === true, 20_000, 'the aiortc publisher to connect');
        if (whipExit !== undefined) {
          throw new Error(`the WHIP publisher exited with ${whipExit}\nstdout: ${whip.stdout}\nstderr: ${whip.stderr}`);
        }

        whep = runPython(WHEP, [`${leaf.url}/whep/${stream}`, '--seconds', String(VIEW_SECONDS), ...audioFlag]);
        const whepCode = await whep.exited;
        const viewed = pythonResult(whep, 'the WHEP viewer');

        whip.child.kill('SIGTERM');
        const whipCode = await whip.exited;
        const published = pythonResult(whip, 'the WHIP publisher');

        const context = `\nWHIP: ${JSON.stringify(published)}\nWHEP: ${JSON.stringify(viewed)}\nWHEP stderr: ${whep.stderr}`;
        expect(published.status, context).toBe(201);
        expect(viewed.status, context).toBe(201);
        expect(whepCode, context).toBe(0);
        expect(whipCode, context).toBe(0);
        expect(viewed.frames as number, context).toBeGreaterThan(0);
        expect(viewed.width as number, context).toBeGreaterThan(0);
        // What was decoded at level 2 is what aiortc encoded at the origin.
        expect([viewed.width, viewed.height], context).toEqual([published.width, published.height]);
        if (audio) expect(viewed.audio_frames as number, context).toBeGreaterThan(0);
        else expect(viewed.audio_frames, context).toBe(0);
        expect(viewed.delete_status, context).toBe(200);
        expect(published.delete_status, context).toBe(200);
      } finally {
        for (const run of [whep, whip]) if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
        await Promise.allSettled([whep?.exited, whip?.exited]);
        await tree.close();
      }
      await tree.assertEmpty();
    }, 60_000);
  }
});
