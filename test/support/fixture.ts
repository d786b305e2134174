/**
 * Recorded RTP fixtures: file format, reader/writer and a real-time player.
 *
 * File format (version 1), all integers big-endian:
 *
 *   offset  size  field
 *   0       8     magic, ASCII "CNPYRTP1"
 *   8       2     u16 version (= 1)
 *   10      4     u32 N = byte length of the JSON header
 *   14      N     JSON header, UTF-8: FixtureHeader (see below)
 *   14+N    4     u32 record count
 *   ...           records, back to back, in non-decreasing time order:
 *                   u32 time offset from the start of the recording, µs
 *                   u8  track id (an `id` from the header's track table)
 *                   u16 L = RTP packet length in bytes
 *                   L   the RTP packet (header + payload), as sent by the encoder
 *
 * Nothing may follow the last record. The JSON header is
 *
 *   { "tracks": [{ "id", "kind": "audio"|"video", "codec": "VP8"|"opus"|"H264",
 *                  "payloadType", "clockRate", "channels"?, "fmtp"? }],
 *     "durationUs": loop period in µs (time of the first packet of the next loop),
 *     ...free-form metadata (description, source, ...) }
 *
 * Each track's recorded RTP sequence numbers are continuous (no loss, no
 * reordering) and its first packet has the track's smallest timestamp at
 * time ~0, so a track's RTP timestamp advances by durationUs * clockRate / 1e6
 * per loop. The fixtures are made by scripts/make-fixture.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseRtp, randomSsrc, seqDiff, setSequenceNumber, setSsrc, setTimestamp } from './rtp.js';
import { isKeyframe } from './keyframe.js';

export const FIXTURE_MAGIC = 'CNPYRTP1';
export const FIXTURE_VERSION = 1;

export type TrackKind = 'audio' | 'video';

export interface FixtureTrack {
  /** 0..255, unique within the fixture; the record's track id byte. */
  id: number;
  kind: TrackKind;
  /** Codec name as in SDP rtpmap: 'VP8', 'H264', 'opus'. */
  codec: string;
  /** Payload type the packets were recorded with. */
  payloadType: number;
  clockRate: number;
  /** rtpmap channel count (2 for opus, as WebRTC SDP always says). */
  channels?: number;
  /** fmtp parameters to offer for this track ('' or absent for none). */
  fmtp?: string;
}

export interface FixtureHeader {
  tracks: FixtureTrack[];
  /** Loop period in µs: the first packet of the next loop is due at this offset. */
  durationUs: number;
  [meta: string]: unknown;
}

export interface FixturePacket {
  /** Offset from the start of the recording, µs. */
  time: number;
  trackId: number;
  /** Complete RTP packet. Treat as read-only; FixturePlayer hands out copies. */
  data: Buffer;
}

export interface Fixture extends FixtureHeader {
  packets: FixturePacket[];
}

/** Absolute path of a file in test/fixtures/. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** The default fixture: ~6 s of VP8 at ~600 kbps + opus, keyframe every second. */
export const DEFAULT_FIXTURE = fixturePath('vp8-opus-600k.rtp');
/** Same content at ~2 Mbps. */
export const FIXTURE_2M = fixturePath('vp8-opus-2m.rtp');

class FixtureFormatError extends Error {
  constructor(message: string) {
    super(`invalid RTP fixture: ${message}`);
    this.name = 'FixtureFormatError';
  }
}

function validateHeader(h: unknown): FixtureHeader {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw new FixtureFormatError('header is not an object');
  const o = h as Record<string, unknown>;
  const duration = o['durationUs'];
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0 || duration > 0xffffffff) {
    throw new FixtureFormatError('durationUs must be a positive integer');
  }
  const tracks = o['tracks'];
  if (!Array.isArray(tracks) || tracks.length === 0) throw new FixtureFormatError('tracks must be a non-empty array');
  const ids = new Set<number>();
  for (const t of tracks as unknown[]) {
    if (typeof t !== 'object' || t === null) throw new FixtureFormatError('track is not an object');
    const r = t as Record<string, unknown>;
    const { id, kind, codec, payloadType, clockRate, channels, fmtp } = r;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 255) throw new FixtureFormatError(`bad track id ${String(id)}`);
    if (ids.has(id)) throw new FixtureFormatError(`duplicate track id ${id}`);
    ids.add(id);
    if (kind !== 'audio' && kind !== 'video') throw new FixtureFormatError(`track ${id}: bad kind ${String(kind)}`);
    if (typeof codec !== 'string' || codec === '') throw new FixtureFormatError(`track ${id}: bad codec`);
    if (typeof payloadType !== 'number' || !Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) {
      throw new FixtureFormatError(`track ${id}: bad payloadType`);
    }
    if (typeof clockRate !== 'number' || !Number.isInteger(clockRate) || clockRate <= 0) {
      throw new FixtureFormatError(`track ${id}: bad clockRate`);
    }
    if (channels !== undefined && (typeof channels !== 'number' || !Number.isInteger(channels) || channels <= 0)) {
      throw new FixtureFormatError(`track ${id}: bad channels`);
    }
    if (fmtp !== undefined && typeof fmtp !== 'string') throw new FixtureFormatError(`track ${id}: bad fmtp`);
  }
  return o as FixtureHeader;
}

/** Serialize a fixture. Validates like decodeFixture does. */
export function encodeFixture(fixture: Fixture): Buffer {
  const { packets, ...header } = fixture;
  validateHeader(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const ids = new Set(header.tracks.map((t) => t.id));
  let size = 8 + 2 + 4 + json.length + 4;
  for (const p of packets) size += 7 + p.data.length;
  const out = Buffer.alloc(size);
  let off = out.write(FIXTURE_MAGIC, 0, 'latin1');
  off = out.writeUInt16BE(FIXTURE_VERSION, off);
  off = out.writeUInt32BE(json.length, off);
  off += json.copy(out, off);
  off = out.writeUInt32BE(packets.length, off);
  let prev = 0;
  for (const p of packets) {
    if (!Number.isInteger(p.time) || p.time < prev || p.time > 0xffffffff) throw new FixtureFormatError(`bad or out-of-order time ${p.time}`);
    if (!ids.has(p.trackId)) throw new FixtureFormatError(`packet for unknown track ${p.trackId}`);
    if (p.data.length < 12 || p.data.length > 0xffff) throw new FixtureFormatError(`bad packet length ${p.data.length}`);
    prev = p.time;
    off = out.writeUInt32BE(p.time, off);
    off = out.writeUInt8(p.trackId, off);
    off = out.writeUInt16BE(p.data.length, off);
    off += p.data.copy(out, off);
  }
  return out;
}

/** Parse and validate a fixture; throws on any inconsistency (bad magic/version, truncation, trailing bytes, ...). */
export function decodeFixture(buf: Buffer): Fixture {
  if (buf.length < 18) throw new FixtureFormatError(`file too short (${buf.length} bytes)`);
  if (buf.toString('latin1', 0, 8) !== FIXTURE_MAGIC) throw new FixtureFormatError('bad magic');
  const version = buf.readUInt16BE(8);
  if (version !== FIXTURE_VERSION) throw new FixtureFormatError(`unsupported version ${version}`);
  const jsonLen = buf.readUInt32BE(10);
  let off = 14;
  if (off + jsonLen + 4 > buf.length) throw new FixtureFormatError('truncated header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', off, off + jsonLen));
  } catch (e) {
    throw new FixtureFormatError(`header is not JSON (${(e as Error).message})`);
  }
  const header = validateHeader(parsed);
  off += jsonLen;
  const count = buf.readUInt32BE(off);
  off += 4;
  const tracks = new Map(header.tracks.map((t) => [t.id, t]));
  const packets: FixturePacket[] = new Array(count);
  let prev = 0;
  for (let i = 0; i < count; i++) {
    if (off + 7 > buf.length) throw new FixtureFormatError(`truncated at record ${i} of ${count}`);
    const time = buf.readUInt32BE(off);
    const trackId = buf.readUInt8(off + 4);
    const len = buf.readUInt16BE(off + 5);
    off += 7;
    if (off + len > buf.length) throw new FixtureFormatError(`record ${i} of ${count} truncated`);
    if (time < prev) throw new FixtureFormatError(`record ${i}: time goes backwards`);
    if (time > header.durationUs) throw new FixtureFormatError(`record ${i}: time beyond durationUs`);
    if (!tracks.has(trackId)) throw new FixtureFormatError(`record ${i}: unknown track ${trackId}`);
    const data = Buffer.from(buf.subarray(off, off + len));
    try {
      parseRtp(data);
    } catch (e) {
      throw new FixtureFormatError(`record ${i}: ${(e as Error).message}`);
    }
    packets[i] = { time, trackId, data };
    prev = time;
    off += len;
  }
  if (off !== buf.length) throw new FixtureFormatError(`${buf.length - off} trailing bytes after ${count} records`);
  return { ...header, packets };
}

export function readFixture(path: string): Fixture {
  return decodeFixture(readFileSync(path));
}

export function writeFixture(path: string, fixture: Fixture): void {
  writeFileSync(path, encodeFixture(fixture));
}

/** First track of the given kind, or undefined. */
export function fixtureTrack(fixture: FixtureHeader, kind: TrackKind): FixtureTrack | undefined {
  return fixture.tracks.find((t) => t.kind === kind);
}

export interface TrackSummary {
  track: FixtureTrack;
  packets: number;
  /** Sum of RTP packet sizes. */
  bytes: number;
  /** Sum of RTP payload sizes. */
  payloadBytes: number;
  /** Packets for which isKeyframe() is true. */
  keyframes: number;
  /** Distinct RTP timestamps (frames). */
  frames: number;
  /** RTP-level bitrate over the loop period, bits/s. */
  bitrate: number;
  /** Count of sequence number steps other than +1. */
  sequenceGaps: number;
}

/** Per-track statistics, for scripts and sanity checks. */
export function summarizeFixture(fixture: Fixture): TrackSummary[] {
  return fixture.tracks.map((track) => {
    const pkts = fixture.packets.filter((p) => p.trackId === track.id);
    let bytes = 0;
    let payloadBytes = 0;
    let keyframes = 0;
    let sequenceGaps = 0;
    const timestamps = new Set<number>();
    let prevSeq: number | undefined;
    for (const p of pkts) {
      const h = parseRtp(p.data);
      bytes += p.data.length;
      payloadBytes += h.payloadLength;
      if (isKeyframe(track.codec, p.data)) keyframes++;
      timestamps.add(h.timestamp);
      if (prevSeq !== undefined && seqDiff(h.sequenceNumber, prevSeq) !== 1) sequenceGaps++;
      prevSeq = h.sequenceNumber;
    }
    return {
      track,
      packets: pkts.length,
      bytes,
      payloadBytes,
      keyframes,
      frames: timestamps.size,
      bitrate: (bytes * 8 * 1e6) / fixture.durationUs,
      sequenceGaps,
    };
  });
}

export interface FixturePlayerOptions {
  fixture: Fixture;
  /** SSRC to stamp on each track's packets, by track id. Tracks missing here get a random SSRC. */
  ssrc?: ReadonlyMap<number, number> | Readonly<Record<number, number>>;
  /** Receives a fresh copy of every packet (safe to modify, e.g. to rewrite the payload type). */
  onPacket: (trackId: number, rtp: Buffer) => void;
  /** Track ids to play (default: all). */
  tracks?: readonly number[];
  /** Loop forever (default true); when false the player stops after one pass and calls onEnd. */
  loop?: boolean;
  /** First output sequence number per track id (default random). */
  initialSequence?: Readonly<Record<number, number>>;
  /** First output RTP timestamp per track id (default random). */
  initialTimestamp?: Readonly<Record<number, number>>;
  /** Called when a non-looping player has sent everything. */
  onEnd?: () => void;
}

interface TrackState {
  ssrc: number;
  firstSeq: number;
  firstTs: number;
  seqPeriod: number;
  tsPeriod: number;
  seqBase: number;
  tsBase: number;
}

function lookup(m: ReadonlyMap<number, number> | Readonly<Record<number, number>> | undefined, id: number): number | undefined {
  if (m === undefined) return undefined;
  if (m instanceof Map) return m.get(id);
  return (m as Readonly<Record<number, number>>)[id];
}

/**
 * Replays a fixture in real time. Due times are absolute (start time + offset),
 * so timer lateness does not accumulate; all packets due by the time a timer
 * fires are sent in one batch. Looping keeps each track's sequence numbers and
 * timestamps continuous: loop n adds n * (packets in the track) to the
 * sequence number and n * durationUs * clockRate / 1e6 to the timestamp.
 */
export class FixturePlayer {
  readonly fixture: Fixture;
  /** Packets handed to onPacket so far. */
  packetsPlayed = 0;
  /** Completed passes over the fixture. */
  loops = 0;
  private readonly opts: FixturePlayerOptions;
  private readonly packets: FixturePacket[];
  private readonly state = new Map<number, TrackState>();
  private index = 0;
  private startMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  constructor(opts: FixturePlayerOptions) {
    this.opts = opts;
    this.fixture = opts.fixture;
    const wanted = opts.tracks ? new Set(opts.tracks) : undefined;
    for (const id of wanted ?? []) {
      if (!this.fixture.tracks.some((t) => t.id === id)) throw new Error(`fixture has no track ${id}`);
    }
    this.packets = this.fixture.packets.filter((p) => wanted === undefined || wanted.has(p.trackId));
    if (this.packets.length === 0) throw new Error('nothing to play');
    for (const track of this.fixture.tracks) {
      const pkts = this.packets.filter((p) => p.trackId === track.id);
      if (pkts.length === 0) continue;
      const first = parseRtp(pkts[0]!.data);
      const last = parseRtp(pkts[pkts.length - 1]!.data);
      this.state.set(track.id, {
        ssrc: lookup(opts.ssrc, track.id) ?? randomSsrc(),
        firstSeq: first.sequenceNumber,
        firstTs: first.timestamp,
        seqPeriod: seqDiff(last.sequenceNumber, first.sequenceNumber) + 1,
        tsPeriod: Math.round((this.fixture.durationUs * track.clockRate) / 1e6),
        seqBase: lookup(opts.initialSequence, track.id) ?? Math.floor(Math.random() * 0x10000),
        tsBase: lookup(opts.initialTimestamp, track.id) ?? Math.floor(Math.random() * 0x100000000),
      });
    }
  }

  /** SSRC used for a track. */
  ssrcOf(trackId: number): number | undefined {
    return this.state.get(trackId)?.ssrc;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.startMs = performance.now();
    this.tick();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dueMs(): number {
    return this.startMs + (this.loops * this.fixture.durationUs + this.packets[this.index]!.time) / 1000;
  }

  private tick(): void {
    this.timer = undefined;
    const now = performance.now();
    while (!this.closed && this.dueMs() <= now) {
      const p = this.packets[this.index]!;
      const st = this.state.get(p.trackId)!;
      const loop = this.loops;
      let ended = false;
      this.index++;
      if (this.index === this.packets.length) {
        this.index = 0;
        this.loops++;
        if (this.opts.loop === false) {
          ended = true;
          this.close();
        }
      }
      const out = Buffer.from(p.data);
      const h = parseRtp(p.data);
      setSequenceNumber(out, (st.seqBase + seqDiff(h.sequenceNumber, st.firstSeq) + loop * st.seqPeriod) & 0xffff);
      setTimestamp(out, (st.tsBase + ((h.timestamp - st.firstTs) >>> 0) + loop * st.tsPeriod) % 0x100000000);
      setSsrc(out, st.ssrc);
      this.packetsPlayed++;
      this.opts.onPacket(p.trackId, out);
      if (ended) this.opts.onEnd?.();
    }
    if (this.closed) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.dueMs() - performance.now()));
  }
}
