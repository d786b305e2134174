/**
 * The pipe's SRTP per packet (src/pipe/SrtpSession.ts): protect and unprotect of a 1,200-byte
 * media payload through the native addon's AES-GCM against node:crypto: CPU time per packet,
 * each run twice, alternating.
 *   node --import tsx scripts/bench/pipe-srtp.ts [--packets 200000]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SRTP_MATERIAL_BYTES, SrtpSession } from '../../src/pipe/SrtpSession.js';

const { values: args } = parseArgs({ options: { packets: { type: 'string', default: '200000' } } });
const N = Number(args.packets);
const ka = randomBytes(SRTP_MATERIAL_BYTES);
const kb = randomBytes(SRTP_MATERIAL_BYTES);
const payload = randomBytes(1200);

function run(native: boolean): { protectNs: number; unprotectNs: number } {
  const tx = new SrtpSession(ka, kb, { native });
  const rx = new SrtpSession(kb, ka, { native });
  if (native && !tx.native) throw new Error('the native addon (PipeGcm) is not built: npm run native:build');
  const pkts: Buffer[] = new Array(N);
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) pkts[i] = tx.protect(96, payload, i);
  const t1 = process.cpuUsage(t0);
  const t2 = process.cpuUsage();
  let ok = 0;
  for (let i = 0; i < N; i++) if (typeof rx.unprotect(pkts[i]!) !== 'string') ok++;
  const t3 = process.cpuUsage(t2);
  if (ok !== N) throw new Error(`${N - ok} packets failed to open`);
  return { protectNs: ((t1.user + t1.system) * 1000) / N, unprotectNs: ((t3.user + t3.system) * 1000) / N };
}

for (const native of [false, true, false, true]) {
  const r = run(native);
  console.log(
    `${native ? 'native AES-GCM' : 'node:crypto   '}: protect ${(r.protectNs / 1000).toFixed(2)} µs, unprotect ${(r.unprotectNs / 1000).toFixed(2)} µs of CPU per 1,200-byte packet`,
  );
}
