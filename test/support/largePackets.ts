import { FIXTURE_2M, fixtureTrack, readFixture, type Fixture } from './fixture.js';

/** aiortc's VP8 packetizer fills packets up to this size (aiortc/codecs/vpx.py, PACKET_MAX). */
export const AIORTC_VIDEO_PACKET = 1300;

/**
 * A fixture shaped like an aiortc publisher's: the 2 Mbit/s recording with each full-size video
 * packet (1,100 octets or more: every packet of a frame but its last) grown to `size` octets
 * with RTP padding (RFC 3550 §5.1: the P bit, and the last octet counts the padding), so the
 * payload a decoder sees is unchanged. Packets cross the tree as they are; only their size differs.
 */
export function largePacketFixture(size = AIORTC_VIDEO_PACKET): Fixture {
  const f = readFixture(FIXTURE_2M);
  const video = fixtureTrack(f, 'video')!.id;
  return {
    ...f,
    packets: f.packets.map((p) => {
      if (p.trackId !== video || p.data.length < 1100 || p.data.length >= size || (p.data[0]! & 0x20) !== 0) return p;
      const pad = size - p.data.length;
      const data = Buffer.concat([p.data, Buffer.alloc(pad)]);
      data[0] = data[0]! | 0x20;
      data[data.length - 1] = pad;
      return { ...p, data };
    }),
  };
}
