import { spawnSync } from 'node:child_process';

// H.264 simulcast layers for the HLS tests: ffmpeg (libx264, Debian's ffmpeg) encodes the same
// testsrc2 pattern at each layer's size, and the layers are sent as RTP (RFC 6184) by
// test/support/simulcastPublisher.ts. Tests that need them skip when ffmpeg lacks libx264.

/** One access unit: its NAL units without start codes. */
export type H264Frame = Uint8Array[];

/** Layer sizes, lowest first (the publisher's rid order): low, mid, high. */
export const H264_LAYER_SIZES: Array<[number, number]> = [
  [160, 90],
  [320, 180],
  [640, 360],
];

export function hasLibx264(): boolean {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return r.status === 0 && /\blibx264\b/.test(r.stdout);
}

/** Splits an Annex B byte stream into NAL units. */
function nalUnits(b: Buffer): Uint8Array[] {
  const starts: Array<[number, number]> = [];
  for (let i = 0; i + 3 <= b.length; i++) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1) {
      starts.push([i, i + 3]);
      i += 2;
    }
  }
  return starts.map(([, s], k) => {
    let end = k + 1 < starts.length ? starts[k + 1]![0] : b.length;
    while (end > s && b[end - 1] === 0) end--; // the zero byte of a 4-byte start code
    return b.subarray(s, end);
  });
}

/**
 * `seconds` of 30 fps Constrained Baseline H.264 at width × height, an IDR every 30 frames with
 * SPS/PPS before each (so any keyframe starts a decoder), one slice per frame.
 */
export function encodeH264(width: number, height: number, seconds = 2): H264Frame[] {
  const r = spawnSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-t', String(seconds)],
      ...['-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-crf', '35', '-g', '30', '-bf', '0', '-threads', '1'],
      ...['-x264-params', 'repeat-headers=1', '-pix_fmt', 'yuv420p', '-f', 'h264', '-'],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr.toString()}`);
  const frames: H264Frame[] = [];
  let cur: Uint8Array[] = [];
  for (const nal of nalUnits(r.stdout)) {
    const type = nal[0]! & 0x1f;
    if (type === 6) continue; // x264's SEI (its settings as text): not needed
    cur.push(nal);
    if (type === 1 || type === 5) {
      frames.push(cur);
      cur = [];
    }
  }
  return frames;
}

/** RTP payloads of one access unit (RFC 6184 §5.6 single NAL unit, §5.8 FU-A), at most `mtu` bytes each. */
export function packetizeH264(frame: H264Frame, mtu = 1100): Buffer[] {
  const out: Buffer[] = [];
  for (const nal of frame) {
    if (nal.length <= mtu) {
      out.push(Buffer.from(nal));
      continue;
    }
    const indicator = (nal[0]! & 0xe0) | 28;
    const type = nal[0]! & 0x1f;
    for (let off = 1; off < nal.length; off += mtu - 2) {
      const chunk = nal.subarray(off, Math.min(nal.length, off + mtu - 2));
      const s = off === 1 ? 0x80 : 0;
      const e = off + chunk.length >= nal.length ? 0x40 : 0;
      out.push(Buffer.concat([Buffer.from([indicator, s | e | type]), chunk]));
    }
  }
  return out;
}
