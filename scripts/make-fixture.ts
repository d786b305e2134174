/**
 * Makes the recorded RTP fixtures in test/fixtures/ (format: test/support/fixture.ts).
 *
 * Re-run (needs ffmpeg with libvpx and libopus, e.g. Debian's `apt-get install -y ffmpeg`;
 * tests and CI never need ffmpeg, they only read the committed files):
 *
 *   npx tsx scripts/make-fixture.ts            # both variants
 *   npx tsx scripts/make-fixture.ts 600k       # only vp8-opus-600k.rtp
 *   npx tsx scripts/make-fixture.ts 2m         # only vp8-opus-2m.rtp
 *   npx tsx scripts/make-fixture.ts --readme-only   # only regenerate test/fixtures/README.md
 *
 * What it does, per variant: runs ffmpeg in real time (-re) on a 640x360 30 fps
 * testsrc2 pattern and a 440 Hz sine, encoding VP8 (libvpx, realtime, CBR,
 * keyframe every 30 frames = 1 s) and opus (48 kHz, 20 ms frames), and sends each as
 * RTP (`-f rtp`, payload types 96 and 111, 1200-byte packets, no RTCP) to a UDP
 * socket on 127.0.0.1 opened by this script. Every datagram is recorded with its
 * arrival time. The recording is then cut to exactly DURATION_S seconds of media
 * (by RTP timestamp: 180 video frames, 300 opus frames) and each packet's time
 * offset is derived from its RTP timestamp (clock-exact frame spacing, 33.3 ms for
 * video, 20 ms for audio), with the packets of one video frame 50 µs apart in
 * arrival order. Times derived this way are deterministic and free of this
 * machine's scheduling jitter; the script prints how far the measured arrival
 * times deviated from them. Sequence numbers must arrive complete and in order,
 * otherwise the script fails (run it again on a quieter machine).
 *
 * It rewrites test/fixtures/<name>.rtp and test/fixtures/README.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  encodeFixture,
  fixturePath,
  readFixture,
  summarizeFixture,
  writeFixture,
  type Fixture,
  type FixturePacket,
  type FixtureTrack,
} from '../test/support/fixture.js';
import { parseRtp, seqDiff } from '../test/support/rtp.js';

const DURATION_S = 6;
/** Seconds of media ffmpeg encodes; the tail beyond DURATION_S is cut (it lets the encoders flush). */
const ENCODE_S = DURATION_S + 0.5;
const INTRA_FRAME_SPACING_US = 50;
const VIDEO_PT = 96;
const AUDIO_PT = 111;

interface Variant {
  name: string;
  video: 'VP8' | 'H264';
  videoKbps: number;
  audioKbps: number;
}

const VARIANTS: Record<string, Variant> = {
  '600k': { name: 'vp8-opus-600k', video: 'VP8', videoKbps: 600, audioKbps: 48 },
  '2m': { name: 'vp8-opus-2m', video: 'VP8', videoKbps: 2000, audioKbps: 48 },
  // HLS and MP4 export cannot carry VP8 (docs/hls.md): an H.264 Constrained Baseline variant.
  h264: { name: 'h264-opus-400k', video: 'H264', videoKbps: 400, audioKbps: 48 },
};

/** H.264 Constrained Baseline 3.1, packetization-mode 1, as browsers offer it (RFC 6184 §8.1). */
const H264_FMTP = 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f';

function tracksOf(v: Variant): FixtureTrack[] {
  return [
    { id: 0, kind: 'video', codec: v.video, payloadType: VIDEO_PT, clockRate: 90000, fmtp: v.video === 'H264' ? H264_FMTP : '' },
    { id: 1, kind: 'audio', codec: 'opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
  ];
}

interface Arrival {
  trackId: number;
  arrivalUs: number;
  data: Buffer;
}

function bindUdp(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
}

function ffmpegArgs(v: Variant, videoPort: number, audioPort: number): string[] {
  const kbps = `${v.videoKbps}k`;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'warning',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=640x360:rate=30:duration=${ENCODE_S}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${ENCODE_S}`,
    // video: VP8 realtime CBR, or H.264 Constrained Baseline (no B-frames), keyframe every 30 frames
    '-map',
    '0:v',
    ...(v.video === 'VP8'
      ? [
          '-c:v',
          'libvpx',
          '-pix_fmt',
          'yuv420p',
          '-deadline',
          'realtime',
          '-cpu-used',
          '8',
          '-lag-in-frames',
          '0',
          '-auto-alt-ref',
          '0',
          '-error-resilient',
          '1',
        ]
      : [
          '-c:v',
          'libx264',
          '-pix_fmt',
          'yuv420p',
          '-profile:v',
          'baseline',
          '-level',
          '3.1',
          '-preset',
          'veryfast',
          '-tune',
          'zerolatency',
          '-bf',
          '0',
          '-x264-params',
          'repeat-headers=1',
        ]),
    '-b:v',
    kbps,
    '-minrate',
    kbps,
    '-maxrate',
    kbps,
    '-bufsize',
    `${v.videoKbps / 2}k`,
    '-g',
    '30',
    '-keyint_min',
    '30',
    '-force_key_frames',
    'expr:gte(t,n_forced*1)',
    '-payload_type',
    String(VIDEO_PT),
    '-ssrc',
    '286331153',
    '-seq',
    '1000',
    '-rtpflags',
    'skip_rtcp',
    '-f',
    'rtp',
    '-pkt_size',
    '1200',
    `rtp://127.0.0.1:${videoPort}?pkt_size=1200`,
    // audio: opus mono 48 kHz, 20 ms frames
    '-map',
    '1:a',
    '-c:a',
    'libopus',
    '-b:a',
    `${v.audioKbps}k`,
    '-ac',
    '1',
    '-ar',
    '48000',
    '-frame_duration',
    '20',
    '-payload_type',
    String(AUDIO_PT),
    '-ssrc',
    '572662306',
    '-seq',
    '2000',
    '-rtpflags',
    'skip_rtcp',
    '-f',
    'rtp',
    '-pkt_size',
    '1200',
    `rtp://127.0.0.1:${audioPort}?pkt_size=1200`,
  ];
}

async function record(v: Variant): Promise<Arrival[]> {
  const [vs, as] = await Promise.all([bindUdp(), bindUdp()]);
  const arrivals: Arrival[] = [];
  let t0: number | undefined;
  const listen = (s: Socket, trackId: number) =>
    s.on('message', (msg) => {
      const now = performance.now();
      t0 ??= now;
      arrivals.push({ trackId, arrivalUs: Math.round((now - t0) * 1000), data: Buffer.from(msg) });
    });
  listen(vs, 0);
  listen(as, 1);
  const args = ffmpegArgs(v, vs.address().port, as.address().port);
  console.log(`ffmpeg ${args.join(' ')}`);
  await new Promise<void>((resolve, reject) => {
    const p = spawn('ffmpeg', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
  });
  await new Promise((r) => setTimeout(r, 200)); // let the last datagrams drain
  vs.close();
  as.close();
  return arrivals;
}

function build(v: Variant, arrivals: Arrival[]): { fixture: Fixture; jitterUs: number[] } {
  const durationUs = DURATION_S * 1_000_000;
  const out: Array<FixturePacket & { order: number; arrivalUs: number }> = [];
  const tracks = tracksOf(v);
  for (const track of tracks) {
    const pkts = arrivals.filter((a) => a.trackId === track.id);
    if (pkts.length === 0) throw new Error(`no ${track.kind} packets received`);
    const first = parseRtp(pkts[0]!.data);
    const tsLimit = DURATION_S * track.clockRate;
    let prevSeq: number | undefined;
    let prevTs: number | undefined;
    let inFrame = 0;
    for (const a of pkts) {
      const h = parseRtp(a.data);
      if (h.payloadType !== track.payloadType) throw new Error(`${track.kind}: unexpected payload type ${h.payloadType}`);
      if (prevSeq !== undefined && seqDiff(h.sequenceNumber, prevSeq) !== 1) {
        throw new Error(`${track.kind}: sequence ${prevSeq} -> ${h.sequenceNumber}: loss or reordering, run again`);
      }
      prevSeq = h.sequenceNumber;
      const rel = (h.timestamp - first.timestamp) >>> 0;
      if (rel >= tsLimit) break;
      inFrame = rel === prevTs ? inFrame + 1 : 0;
      prevTs = rel;
      const time = Math.round((rel * 1e6) / track.clockRate) + inFrame * INTRA_FRAME_SPACING_US;
      out.push({ time, trackId: track.id, data: a.data, order: arrivals.indexOf(a), arrivalUs: a.arrivalUs });
    }
  }
  out.sort((a, b) => a.time - b.time || a.order - b.order);
  // Deviation of measured arrival from the derived schedule, per track, relative to
  // that track's median offset (ffmpeg delays audio vs video by a constant amount).
  const jitterUs: number[] = [];
  for (const track of tracks) {
    const offsets = out.filter((p) => p.trackId === track.id).map((p) => p.arrivalUs - p.time);
    const median = [...offsets].sort((a, b) => a - b)[Math.floor(offsets.length / 2)]!;
    jitterUs.push(...offsets.map((o) => Math.abs(o - median)));
  }
  jitterUs.sort((a, b) => a - b);
  const fixture: Fixture = {
    description: `${DURATION_S} s testsrc2 640x360@30 ${v.video === 'VP8' ? 'VP8' : 'H.264 Constrained Baseline'} ~${v.videoKbps} kbps (keyframe every 30 frames) + 440 Hz sine opus mono ~${v.audioKbps} kbps, 1200-byte RTP packets`,
    source: `scripts/make-fixture.ts (ffmpeg ${v.video === 'VP8' ? 'libvpx' : 'libx264'}/libopus -f rtp)`,
    durationUs,
    tracks,
    packets: out.map(({ time, trackId, data }) => ({ time, trackId, data })),
  };
  return { fixture, jitterUs };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function describe(name: string, f: Fixture, fileBytes: number): string {
  const rows = summarizeFixture(f).map(
    (s) =>
      `| ${s.track.id} | ${s.track.kind} | ${s.track.codec}/${s.track.clockRate}${s.track.channels ? `/${s.track.channels}` : ''} | ${s.track.payloadType} | ${s.packets} | ${s.frames} | ${s.track.kind === 'video' ? s.keyframes : '-'} | ${(s.bitrate / 1000).toFixed(0)} |`,
  );
  return [
    `### ${name}.rtp (${(fileBytes / 1024).toFixed(0)} KiB)`,
    '',
    `${String(f['description'])}. Loop period ${f.durationUs / 1e6} s, ${f.packets.length} packets.`,
    '',
    '| track | kind | codec | PT | packets | frames | keyframes | kbit/s (RTP) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--readme-only')) return writeReadme();
  const which = process.argv.slice(2);
  const chosen = which.length
    ? which.map((w) => VARIANTS[w] ?? fail(`unknown variant ${w} (have ${Object.keys(VARIANTS).join(', ')})`))
    : Object.values(VARIANTS);
  if (spawnSync('ffmpeg', ['-version']).status !== 0) fail('ffmpeg not found (apt-get install -y ffmpeg)');
  for (const v of chosen) {
    console.log(`recording ${v.name} (${ENCODE_S} s real time)...`);
    const { fixture, jitterUs } = build(v, await record(v));
    const path = fixturePath(`${v.name}.rtp`);
    writeFixture(path, fixture);
    const stats = summarizeFixture(fixture);
    console.log(`wrote ${path}`);
    for (const s of stats) {
      console.log(
        `  ${s.track.kind}: ${s.packets} packets, ${s.frames} frames, ${s.keyframes} keyframe packets, ${(s.bitrate / 1000).toFixed(1)} kbit/s RTP, ${s.sequenceGaps} seq gaps`,
      );
    }
    console.log(`  arrival vs derived time: median dev ${pct(jitterUs, 50)} µs, p99 ${pct(jitterUs, 99)} µs, max ${jitterUs[jitterUs.length - 1]} µs`);
  }
  writeReadme();
}

function writeReadme(): void {
  const sections: string[] = [];
  for (const v of Object.values(VARIANTS)) {
    try {
      const f = readFixture(fixturePath(`${v.name}.rtp`));
      sections.push(describe(v.name, f, encodeFixture(f).length));
    } catch {
      // variant not generated
    }
  }
  const md = `# Recorded RTP fixtures

Binary RTP recordings replayed by the tests (\`test/support/fixture.ts\`: \`readFixture\`,
\`FixturePlayer\`; format documented at the top of that file). Tests never need ffmpeg.

Made by \`scripts/make-fixture.ts\` (re-run: \`npx tsx scripts/make-fixture.ts\`, needs
ffmpeg with libvpx and libopus). ffmpeg encodes a ${DURATION_S} s 640x360 30 fps
\`testsrc2\` pattern as VP8 (libvpx realtime CBR, keyframe every 30 frames, no
alt-ref, error resilient) and a 440 Hz sine as opus (mono, 48 kHz, 20 ms frames),
sends both as RTP (\`-f rtp\`, PT 96 / 111, 1200-byte packets) to UDP sockets on
127.0.0.1, and the script records every packet. The recording is cut to exactly
${DURATION_S} s of media by RTP timestamp; each packet's time offset is derived from its
RTP timestamp (frames 33.3 ms / 20 ms apart), packets of one video frame
${INTRA_FRAME_SPACING_US} µs apart. Sequence numbers are complete and in order, so the player
can loop with continuous sequence numbers and timestamps; the first frame is a
keyframe, so every loop starts on one. The player replays payloads unchanged, so
the VP8 PictureID in the payload descriptor restarts at 0 on each loop.

Track table (same in every file): track 0 = video VP8/90000 PT 96, no fmtp (H264/90000 PT 96,
fmtp \`${H264_FMTP}\`, in the h264 file: libx264 Constrained Baseline, no B-frames,
SPS/PPS before every IDR, for HLS and MP4 export, which cannot carry VP8); track 1 =
audio opus/48000/2 PT 111, fmtp \`minptime=10;useinbandfec=1\`. The recorded SSRCs
(0x11111111, 0x22222222) are replaced by the player.

${sections.join('\n')}`;
  writeFileSync(fixturePath('README.md'), md);
  console.log(`wrote ${fixturePath('README.md')}`);
}

function fail(msg: string): never {
  console.error(msg);
  process.exit(1);
}

await main();
