/**
 * Interop with GStreamer's webrtcbin (Debian's gstreamer1.0-plugins-bad, gstreamer1.0-nice,
 * python3-gi): a Node publisher's VP8 and opus reach a webrtcbin WHEP viewer at a level-2
 * relay, which decodes them itself (scripts/interop/gst_whep.py). Skipped when webrtcbin or
 * its Python bindings are missing:
 *
 *   apt-get install -y gstreamer1.0-plugins-bad gstreamer1.0-nice gstreamer1.0-plugins-good python3-gi gir1.2-gst-plugins-bad-1.0
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { startTree } from '../support/tree.js';

const PYTHON = '/usr/bin/python3';
const WHEP = fileURLToPath(new URL('../../scripts/interop/gst_whep.py', import.meta.url));

function gstMissing(): string | null {
  const probe =
    "import gi; gi.require_version('Gst','1.0'); gi.require_version('GstWebRTC','1.0'); from gi.repository import Gst; Gst.init(None); " +
    "import sys; sys.exit(0 if all(Gst.ElementFactory.find(e) for e in ('webrtcbin','nicesrc','vp8dec','opusdec')) else 3)";
  const r = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return r.error.message;
  return r.status === 0 ? null : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
}

const missing = gstMissing();
if (missing) console.warn(`skipping the GStreamer interop test: webrtcbin not usable (${missing})`);

describe.skipIf(missing !== null)('GStreamer webrtcbin interop', () => {
  it('plays a VP8 and opus stream to a webrtcbin viewer at a level-2 relay', async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 1 });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/gst`, fixture: DEFAULT_FIXTURE });
    try {
      await pub.start();
      const leaf = tree.relays.find((r) => r.level === 2)!;
      const child = spawn(PYTHON, [WHEP, `${leaf.url}/whep/gst`, '--seconds', '3', '--audio'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      const last = stdout.trim().split('\n').pop() ?? '';
      const context = `\nstdout: ${stdout}\nstderr: ${stderr.slice(-2000)}`;
      const res = JSON.parse(last || '{}') as Record<string, number>;
      expect(code, context).toBe(0);
      expect(res.status, context).toBe(201);
      expect(res.frames, context).toBeGreaterThan(10);
      expect(res.width, context).toBeGreaterThan(0);
      expect(res.audio_buffers, context).toBeGreaterThan(10);
      expect(res.delete_status, context).toBe(200);
    } finally {
      await pub.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 60_000);
});
