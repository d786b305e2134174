/**
 * The pipe's SRTP cost alone (docs/pipe.md): AEAD_AES_128_GCM protect and unprotect of 50,000
 * media packets of 1,100 bytes on node:crypto. `npx tsx scripts/bench/srtp-micro.ts`
 */
import { randomBytes } from 'node:crypto';
import { SrtpSession, SRTP_MATERIAL_BYTES } from '../../src/pipe/SrtpSession.js';
import { encodeMedia } from '../../src/pipe/packet.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
const a = randomBytes(SRTP_MATERIAL_BYTES),
  b = randomBytes(SRTP_MATERIAL_BYTES);
const tx = new SrtpSession(a, b),
  rx = new SrtpSession(b, a);
const rtp = randomBytes(1100);
const N = 50000;
const pkts: Buffer[] = [];
let t = process.hrtime.bigint();
for (let i = 0; i < N; i++) pkts.push(tx.protect(96, encodeMedia(i & 0xffff, 1, mediaPacket(0, rtp, 0, false), false), i));
const p = Number(process.hrtime.bigint() - t) / N / 1000;
t = process.hrtime.bigint();
for (const x of pkts) rx.unprotect(x);
const u = Number(process.hrtime.bigint() - t) / N / 1000;
console.log(`protect ${p.toFixed(1)} µs, unprotect ${u.toFixed(1)} µs per 1100-byte packet`);
