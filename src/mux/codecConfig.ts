/**
 * What an MP4 sample entry needs to know about a video stream, read from the stream itself:
 * the codec string (RFC 6381, as HLS CODECS and WebCodecs use it) and the coded size. Read
 * from the first keyframe: the H.264/H.265 SPS, the VP9 uncompressed header, the AV1 sequence
 * header. Hostile input gives null, never a throw.
 */
export interface VideoConfig {
  codec: string;
  width: number;
  height: number;
}

class Bits {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}
  bit(): number {
    const i = this.pos >> 3;
    if (i >= this.b.length) throw new RangeError('end of data');
    const v = (this.b[i]! >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return v;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  skip(n: number): void {
    this.pos += n;
  }
  /** Exp-Golomb ue(v), H.264 §9.1. */
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) if (++zeros > 31) throw new RangeError('bad exp-Golomb');
    return 2 ** zeros - 1 + this.bits(zeros);
  }
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : -k / 2;
  }
}

/** Drops emulation prevention bytes (00 00 03 → 00 00), H.264 §7.4.1. */
function rbsp(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const b of nal) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** NAL units of an Annex B access unit. */
export function* annexBNals(au: Uint8Array): Generator<Uint8Array> {
  let i = 0;
  let start = -1;
  while (i + 2 < au.length) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1) {
      if (start >= 0) {
        let end = i;
        while (end > start && au[end - 1] === 0) end--;
        yield au.subarray(start, end);
      }
      i += 3;
      start = i;
    } else i++;
  }
  if (start >= 0 && start < au.length) yield au.subarray(start);
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

function skipScalingList(r: Bits, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** H.264 SPS (§7.3.2.1.1) → avc1.PPCCLL and the cropped size. */
export function h264Config(au: Uint8Array): VideoConfig | null {
  for (const nal of annexBNals(au)) {
    if ((nal[0]! & 0x1f) !== 7 || nal.length < 4) continue;
    try {
      const s = rbsp(nal);
      const r = new Bits(s.subarray(4));
      const profile = s[1]!;
      r.ue(); // seq_parameter_set_id
      let chroma = 1;
      if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
        chroma = r.ue();
        if (chroma === 3) r.skip(1);
        r.ue();
        r.ue();
        r.skip(1);
        if (r.bit()) for (let i = 0; i < (chroma !== 3 ? 8 : 12); i++) if (r.bit()) skipScalingList(r, i < 6 ? 16 : 64);
      }
      r.ue(); // log2_max_frame_num_minus4
      const pocType = r.ue();
      if (pocType === 0) r.ue();
      else if (pocType === 1) {
        r.skip(1);
        r.se();
        r.se();
        const n = r.ue();
        for (let i = 0; i < n; i++) r.se();
      }
      r.ue(); // max_num_ref_frames
      r.skip(1);
      const wMbs = r.ue() + 1;
      const hMapUnits = r.ue() + 1;
      const frameMbsOnly = r.bit();
      if (!frameMbsOnly) r.skip(1);
      r.skip(1);
      let [cl, cr, ct, cb] = [0, 0, 0, 0];
      if (r.bit()) [cl, cr, ct, cb] = [r.ue(), r.ue(), r.ue(), r.ue()];
      const subW = chroma === 1 || chroma === 2 ? 2 : 1;
      const subH = (chroma === 1 ? 2 : 1) * (2 - frameMbsOnly);
      const width = wMbs * 16 - subW * (cl + cr);
      const height = (2 - frameMbsOnly) * hMapUnits * 16 - subH * (ct + cb);
      if (width <= 0 || height <= 0) return null;
      return { codec: `avc1.${hex2(s[1]!)}${hex2(s[2]!)}${hex2(s[3]!)}`, width, height };
    } catch {
      return null;
    }
  }
  return null;
}

/** H.265 SPS (§7.3.2.2) → hvc1 codec string (ISO/IEC 14496-15 E.3) and the conformance-window size. */
export function h265Config(au: Uint8Array): VideoConfig | null {
  for (const nal of annexBNals(au)) {
    if (nal.length < 4 || ((nal[0]! >> 1) & 0x3f) !== 33) continue;
    try {
      const r = new Bits(rbsp(nal).subarray(2));
      r.skip(4); // sps_video_parameter_set_id
      const maxSubLayers = r.bits(3) + 1;
      r.skip(1);
      // profile_tier_level(1, maxSubLayers - 1), §7.3.3
      const space = r.bits(2);
      const tier = r.bit();
      const profileIdc = r.bits(5);
      const compat = r.bits(32);
      const constraint: number[] = [];
      for (let i = 0; i < 6; i++) constraint.push(r.bits(8));
      const level = r.bits(8);
      const subProfile: number[] = [];
      const subLevel: number[] = [];
      for (let i = 0; i < maxSubLayers - 1; i++) {
        subProfile.push(r.bit());
        subLevel.push(r.bit());
      }
      if (maxSubLayers > 1) for (let i = maxSubLayers - 1; i < 8; i++) r.skip(2);
      for (let i = 0; i < maxSubLayers - 1; i++) r.skip((subProfile[i] ? 88 : 0) + (subLevel[i] ? 8 : 0));
      r.ue(); // sps_seq_parameter_set_id
      const chroma = r.ue();
      if (chroma === 3) r.skip(1);
      let width = r.ue();
      let height = r.ue();
      if (r.bit()) {
        const [l, ri, t, b] = [r.ue(), r.ue(), r.ue(), r.ue()];
        const subW = chroma === 1 || chroma === 2 ? 2 : 1;
        const subH = chroma === 1 ? 2 : 1;
        width -= subW * (l + ri);
        height -= subH * (t + b);
      }
      if (width <= 0 || height <= 0) return null;
      // The compatibility flags in reverse bit order, as hex without leading zeros.
      let rev = 0;
      for (let i = 0; i < 32; i++) if (compat & (2 ** (31 - i))) rev += 2 ** i;
      while (constraint.length > 0 && constraint[constraint.length - 1] === 0) constraint.pop();
      const codec = [
        'hvc1',
        `${['', 'A', 'B', 'C'][space]}${profileIdc}`,
        rev.toString(16),
        `${tier ? 'H' : 'L'}${level}`,
        ...constraint.map((c) => c.toString(16)),
      ].join('.');
      return { codec, width, height };
    } catch {
      return null;
    }
  }
  return null;
}

/** VP9 uncompressed header of a keyframe (VP9 bitstream §6.2) → vp09.PP.LL.DD. */
export function vp9Config(frame: Uint8Array): VideoConfig | null {
  try {
    const r = new Bits(frame);
    if (r.bits(2) !== 2) return null; // frame_marker
    const lo = r.bit();
    const hi = r.bit();
    const profile = (hi << 1) | lo;
    if (profile === 3) r.skip(1);
    if (r.bit()) return null; // show_existing_frame
    if (r.bit() !== 0) return null; // frame_type: keyframe is 0
    r.skip(2); // show_frame, error_resilient_mode
    if (r.bits(24) !== 0x498342) return null; // frame_sync_code
    let depth = 8;
    if (profile >= 2) depth = r.bit() ? 12 : 10;
    const cs = r.bits(3);
    if (cs !== 7) {
      r.skip(1);
      if (profile === 1 || profile === 3) r.skip(4);
    } else if (profile === 1 || profile === 3) r.skip(1);
    const width = r.bits(16) + 1;
    const height = r.bits(16) + 1;
    // Level from the picture size (VP9 levels, webmproject.org): 3.1 covers 1280x720, 4.1 1920x1080.
    const px = width * height;
    const level = px <= 36864 ? 10 : px <= 122880 ? 20 : px <= 245760 ? 21 : px <= 552960 ? 30 : px <= 983040 ? 31 : px <= 2228224 ? 41 : 51;
    return { codec: `vp09.${String(profile).padStart(2, '0')}.${level}.${String(depth).padStart(2, '0')}`, width, height };
  } catch {
    return null;
  }
}

function leb(b: Uint8Array, off: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 8 && off < b.length; i++) {
    const x = b[off++]!;
    v += (x & 0x7f) * 2 ** (7 * i);
    if (!(x & 0x80)) return [v, off];
  }
  throw new RangeError('bad leb128');
}

/** AV1 sequence header OBU (AV1 §5.5) → av01.P.LLT.DD (AV1-ISOBMFF codecs parameter). */
export function av1Config(tu: Uint8Array): VideoConfig | null {
  try {
    let off = 0;
    while (off < tu.length) {
      const h = tu[off]!;
      const type = (h >> 3) & 0x0f;
      const hl = h & 0x04 ? 2 : 1;
      const [size, body] = leb(tu, off + hl);
      if (type === 1) return seqHeader(tu.subarray(body, body + size));
      off = body + size;
    }
  } catch {
    return null;
  }
  return null;
}

function seqHeader(b: Uint8Array): VideoConfig | null {
  const r = new Bits(b);
  const profile = r.bits(3);
  r.skip(1); // still_picture
  const reduced = r.bit();
  let level = 0;
  let tier = 0;
  if (reduced) level = r.bits(5);
  else {
    const timing = r.bit();
    let decoderModel = 0;
    let bufferDelayLen = 0;
    if (timing) {
      r.skip(64);
      if (r.bit()) r.ue(); // equal_picture_interval: num_ticks_per_picture_minus_1 (uvlc ≈ ue here)
      decoderModel = r.bit();
      if (decoderModel) {
        bufferDelayLen = r.bits(5) + 1;
        r.skip(32 + 5 + 5);
      }
    }
    const initialDelay = r.bit();
    const ops = r.bits(5) + 1;
    for (let i = 0; i < ops; i++) {
      r.skip(12);
      const l = r.bits(5);
      const t = l > 7 ? r.bit() : 0;
      if (i === 0) [level, tier] = [l, t];
      if (decoderModel && r.bit()) r.skip(2 * bufferDelayLen + 1);
      if (initialDelay && r.bit()) r.skip(4);
    }
  }
  const wb = r.bits(4) + 1;
  const hb = r.bits(4) + 1;
  const width = r.bits(wb) + 1;
  const height = r.bits(hb) + 1;
  return { codec: `av01.${profile}.${String(level).padStart(2, '0')}${tier ? 'H' : 'M'}.08`, width, height };
}

/** The config of a video keyframe in the given SDP codec; null when it cannot be read. */
export function videoConfig(codec: string, keyframe: Uint8Array): VideoConfig | null {
  switch (codec.toUpperCase()) {
    case 'H264':
      return h264Config(keyframe);
    case 'H265':
    case 'HEVC':
      return h265Config(keyframe);
    case 'VP9':
      return vp9Config(keyframe);
    case 'AV1':
      return av1Config(keyframe);
    default:
      return null;
  }
}
