import { describe, expect, it } from 'vitest';
import { av1Config, h264Config, videoConfig, vp9Config } from '../../src/mux/codecConfig.js';
import { H264Depacketizer } from '../../src/mux/depacketize.js';
import { fixturePath, readFixture } from '../support/fixture.js';

/** Writes bit fields MSB first. */
function bits(fields: Array<[value: number, width: number]>): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const [v, w] of fields) {
    for (let i = w - 1; i >= 0; i--) {
      acc = (acc << 1) | ((v >>> i) & 1);
      if (++n === 8) {
        out.push(acc);
        acc = 0;
        n = 0;
      }
    }
  }
  if (n > 0) out.push(acc << (8 - n));
  return Uint8Array.from(out);
}

describe('codec strings and sizes for the MP4 sample entry', () => {
  it('reads the H.264 SPS of the fixture: Constrained Baseline 3.1, 640x360 (cropped from 368)', () => {
    const f = readFixture(fixturePath('h264-opus-400k.rtp'));
    const d = new H264Depacketizer();
    const key = f.packets
      .filter((p) => p.trackId === 0)
      .flatMap((p) => d.push(p.data))
      .find((a) => a.keyframe)!;
    expect(h264Config(key.data)).toEqual({ codec: 'avc1.42c01f', width: 640, height: 360 });
    expect(h264Config(Uint8Array.of(0, 0, 0, 1, 0x65, 1, 2))).toBeNull();
  });

  it('reads a VP9 keyframe header (profile 0, 8 bit)', () => {
    const header = bits([
      [2, 2],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 1],
      [0, 1],
      [0x498342, 24],
      [1, 3],
      [0, 1],
      [1279, 16],
      [719, 16],
    ]);
    expect(vp9Config(header)).toEqual({ codec: 'vp09.00.31.08', width: 1280, height: 720 });
    expect(vp9Config(Uint8Array.of(0x86, 0, 0))).toBeNull(); // an inter frame
  });

  it('reads an AV1 sequence header OBU', () => {
    const body = bits([
      [0, 3],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 5],
      [0, 12],
      [8, 5],
      [0, 1],
      [10, 4],
      [10, 4],
      [1279, 11],
      [719, 11],
    ]);
    const obu = Uint8Array.from([0x0a, body.length, ...body]);
    expect(av1Config(obu)).toEqual({ codec: 'av01.0.08M.08', width: 1280, height: 720 });
    expect(videoConfig('AV1', Uint8Array.of(0x32, 1, 0))).toBeNull();
    expect(videoConfig('VP8', Uint8Array.of(1, 2, 3))).toBeNull();
  });
});
