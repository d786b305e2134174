/**
 * GStreamer's webrtcbin (libnice, GStreamer's own DTLS/SRTP) plays as a WHEP viewer at a
 * level-2 relay: aiortc publishes VP8 (and opus) over WHIP to the origin, and
 * scripts/interop/gst_whep.py counts the RTP buffers out of webrtcbin and the frames its
 * decoder makes. Skipped only when GStreamer's Python bindings, webrtcbin or aiortc are absent:
 *
 *   apt-get install -y --no-install-recommends gstreamer1.0-nice gstreamer1.0-plugins-bad \
 *     gstreamer1.0-plugins-good python3-gi gir1.2-gst-plugins-bad-1.0 python3-aiortc
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PYTHON, pythonResult, runPython, type PythonRun } from '../support/pythonRun.js';
import { startTree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

const WHIP = fileURLToPath(new URL('../../scripts/interop/aiortc_whip.py', import.meta.url));
const WHEP = fileURLToPath(new URL('../../scripts/interop/gst_whep.py', import.meta.url));

const PROBE = `
import gi
gi.require_version('Gst', '1.0'); gi.require_version('GstWebRTC', '1.0'); gi.require_version('GstSdp', '1.0')
from gi.repository import Gst, GstWebRTC, GstSdp
Gst.init(None)
missing = [e for e in ('webrtcbin', 'nicesrc', 'rtpvp8depay', 'vp8dec', 'opusdec', 'decodebin') if Gst.ElementFactory.find(e) is None]
if missing: raise SystemExit('missing GStreamer elements: ' + ', '.join(missing))
import aiortc
`;

function gstMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', PROBE], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return `${PYTHON}: ${r.error.message}`;
  if (r.status !== 0) return (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`).trim();
  return null;
}

const missing = gstMissing();
if (missing) console.warn(`skipping the GStreamer webrtcbin interop test: ${missing}`);

describe.skipIf(missing !== null)('GStreamer webrtcbin interop', () => {
  it("plays an aiortc publisher's VP8 and opus at a level-2 relay", async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 1 });
    const stream = 'gst-av';
    let whip: PythonRun | undefined;
    let whep: PythonRun | undefined;
    try {
      const leaf = tree.relays.find((r) => r.level === 2);
      if (!leaf) throw new Error('startTree returned no level-2 relay');
      whip = runPython(WHIP, [`${tree.origin.url}/whip/${stream}`, '--seconds', '50', '--audio']);
      let whipExit: number | null | undefined;
      void whip.exited.then((c) => (whipExit = c));
      await waitFor(() => whipExit !== undefined || tree.origin.publishers.get(stream)?.connected === true, 20_000, 50, 'the aiortc publisher to connect');
      if (whipExit !== undefined) throw new Error(`the WHIP publisher exited with ${whipExit}\nstdout: ${whip.stdout}\nstderr: ${whip.stderr}`);

      whep = runPython(WHEP, [`${leaf.url}/whep/${stream}`, '--seconds', '3', '--audio']);
      const whepCode = await whep.exited;
      const viewed = pythonResult(whep, 'the GStreamer WHEP viewer');
      const context = `\nWHEP: ${JSON.stringify(viewed)}\nWHEP stderr: ${whep.stderr.slice(-3000)}`;
      expect(viewed.status, context).toBe(201);
      expect(whepCode, context).toBe(0);
      // Media was received and decoded, not only negotiated.
      const rtp = viewed.rtp as { video: number; audio: number };
      expect(rtp.video, context).toBeGreaterThan(10);
      expect(rtp.audio, context).toBeGreaterThan(10);
      expect(viewed.frames as number, context).toBeGreaterThan(5);
      expect(viewed.width as number, context).toBeGreaterThan(0);
      expect(viewed.audio_frames as number, context).toBeGreaterThan(0);
      expect(viewed.delete_status, context).toBe(200);
    } finally {
      for (const run of [whep, whip]) if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await Promise.allSettled([whep?.exited, whip?.exited]);
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});
