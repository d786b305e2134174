/**
 * What one packet held in window B costs beyond its RTP bytes (PACKET_OVERHEAD_BYTES), measured:
 * N packets of 700-1,000 bytes (views into 64 KiB "socket reads", as a link delivers them) pushed
 * into one TimeBuffer, then RSS, V8's heap and ArrayBuffers after a full GC, per packet, against
 * the same packets kept the old way (an ArrayBuffer each, in a plain array of packet records).
 *
 *   node --expose-gc --import tsx scripts/bench/window-b-packet.ts [--packets 400000] [--mode slabs|arrays]
 *
 * One mode per process (RSS does not shrink back between modes); run it once per mode.
 */
import { parseArgs } from 'node:util';
import { mediaPacket, type MediaPacket } from '../../src/media/MediaPacket.js';
import { SlabPool } from '../../src/media/SlabPool.js';
import { TimeBuffer } from '../../src/media/TimeBuffer.js';

const { values: args } = parseArgs({ options: { packets: { type: 'string', default: '400000' }, mode: { type: 'string', default: 'slabs' } } });
const N = Number(args.packets);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const snap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, ab: m.arrayBuffers };
};

const before = snap();
let media = 0;
const keep: MediaPacket[] = [];
const buf = new TimeBuffer({ windowMs: 1e12, maxBytes: 1e15, videoTrack: null, slabs: new SlabPool(0) });
let read = Buffer.allocUnsafeSlow(64 * 1024);
let at = 0;
for (let i = 0; i < N; i++) {
  const len = 700 + ((i * 7919) % 301);
  if (at + len > read.length) {
    read = Buffer.allocUnsafeSlow(64 * 1024);
    at = 0;
  }
  const view = read.subarray(at, at + len);
  view[0] = 0x80;
  view[1] = 96;
  view.writeUInt16BE(i & 0xffff, 2);
  at += len;
  media += len;
  if (args.mode === 'arrays') {
    const own = Buffer.allocUnsafeSlow(len);
    own.set(view);
    keep.push(mediaPacket(1, own, i, false));
  } else buf.push(mediaPacket(1, view, i, false));
}
read = Buffer.alloc(0);
const after = snap();
const per = (k: 'rss' | 'heap' | 'ab') => ((after[k] - before[k]) / N).toFixed(0);
console.log(
  JSON.stringify({
    mode: args.mode,
    packets: N,
    meanPacketBytes: Math.round(media / N),
    rssPerPacket: Number(per('rss')),
    rssOverheadPerPacket: Math.round((after.rss - before.rss - media) / N),
    heapPerPacket: Number(per('heap')),
    arrayBuffersPerPacket: Number(per('ab')),
    held: args.mode === 'arrays' ? keep.length : buf.packets,
  }),
);
