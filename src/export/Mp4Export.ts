import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ArchivedPacket } from '../media/ArchiveReader.js';
import type { StreamInfo, TrackInfo } from '../media/types.js';
import { videoConfig } from '../mux/codecConfig.js';
import { depacketizerFor, type AccessUnit, type Depacketizer } from '../mux/depacketize.js';
import { Fmp4Muxer } from '../mux/Fmp4Muxer.js';

/** Reads archived packets forward (an ArchiveReader); null at the end of what is written. */
export interface PacketSource {
  next(): Promise<ArchivedPacket | null>;
  close(): void;
}

interface Pending {
  au: AccessUnit;
  t: number;
}

interface TrackState {
  info: TrackInfo;
  depay: Depacketizer;
  anchor: { captureMs: number; ts: number } | null;
  pending: Pending | null;
  lastDur: number;
}

/** Packets handled between yields to the event loop: a long export must not starve live media. */
const PACKETS_PER_TURN = 256;
/** Without video, a fragment per this much audio (with video: one per GOP). */
const AUDIO_FRAGMENT_S = 2;

/**
 * Writes the archived media of [first keyframe, endMs) as one fragmented MP4 to `out`, as it
 * reads it: a fragment per GOP, each written as soon as it is complete, with backpressure (a
 * slow client slows the reading), so memory stays at about one GOP whatever the length.
 *
 * Times: each track's RTP timestamps, anchored at the capture time (the origin's clock) of the
 * track's first frame; 0 is the capture time of the first packet (the keyframe). Returns the
 * media seconds written (video's, else audio's).
 */
export async function writeMp4(src: PacketSource, info: StreamInfo, endMs: number, first: ArchivedPacket, out: ServerResponse): Promise<number> {
  const video = info.tracks.find((t) => t.kind === 'video' && depacketizerFor(t.codec) !== null) ?? null;
  const audio = info.tracks.find((t) => t.kind === 'audio' && t.codec.toLowerCase() === 'opus') ?? null;
  const tracks = new Map<number, TrackState>();
  for (const t of [video, audio])
    if (t) tracks.set(t.id, { info: t, depay: depacketizerFor(t.codec)!, anchor: null, pending: null, lastDur: t.kind === 'video' ? 1 / 30 : 0.02 });
  let aborted = false;
  out.once('close', () => {
    aborted = !out.writableFinished;
  });
  const muxer = new Fmp4Muxer(
    { video: video ? { codec: video.codec } : null, audio: audio ? { codec: 'opus', channels: audio.channels, sampleRate: audio.clockRate } : null },
    (bytes) => write(out, bytes),
  );
  const epoch = first.captureMs;
  let videoStarted = false;
  let fragStart = 0;
  let lastEnd = 0;

  const add = async (st: TrackState, p: Pending, dur: number): Promise<void> => {
    if (st.info === video) {
      if (!videoStarted) {
        const cfg = p.au.keyframe ? videoConfig(video.codec, p.au.data) : null;
        if (!cfg) return;
        videoStarted = true;
        await muxer.addVideo(p.au.data, true, p.t, dur, cfg);
      } else {
        // A fragment ends before each keyframe: what is written is out of memory.
        if (p.au.keyframe) await muxer.fragment();
        await muxer.addVideo(p.au.data, p.au.keyframe, p.t, dur);
      }
      lastEnd = Math.max(lastEnd, p.t + dur);
    } else {
      if (video && !videoStarted) return;
      if (!video && p.t - fragStart >= AUDIO_FRAGMENT_S) {
        await muxer.fragment();
        fragStart = p.t;
      }
      await muxer.addAudio(p.au.data, p.t, dur);
      if (!video) lastEnd = Math.max(lastEnd, p.t + dur);
    }
  };

  let n = 0;
  try {
    for (let pkt: ArchivedPacket | null = first; pkt && !aborted; pkt = await src.next()) {
      if (pkt.captureMs >= endMs) break;
      // Reads and writes that complete at once resolve as microtasks: without a turn now and
      // then, an export would hold the event loop (links, viewers) until it is done.
      if (++n % PACKETS_PER_TURN === 0) await nextTurn();
      const st = tracks.get(pkt.track);
      if (!st) continue;
      for (const au of st.depay.push(pkt.rtp)) {
        st.anchor ??= { captureMs: pkt.captureMs, ts: au.timestamp };
        const t = (st.anchor.captureMs - epoch) / 1000 + (au.timestamp - st.anchor.ts) / st.info.clockRate;
        if (t * 1000 + epoch >= endMs) continue;
        const prev = st.pending;
        st.pending = { au, t };
        if (prev) {
          st.lastDur = Math.max(t - prev.t, 0.001);
          await add(st, prev, st.lastDur);
        }
      }
    }
    // The last frame of each track lasts as long as the one before it, within the range.
    for (const st of tracks.values()) {
      if (!st.pending || aborted) continue;
      const dur = Math.min(st.lastDur, Math.max(0.001, (endMs - epoch) / 1000 - st.pending.t));
      await add(st, st.pending, dur);
    }
    if (aborted) await muxer.cancel();
    else await muxer.finish();
  } finally {
    src.close();
  }
  return lastEnd;
}

/** Writes a chunk, resolving once the socket takes more (backpressure: the muxer waits, and so does the reading). */
function write(res: ServerResponse, bytes: Uint8Array): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  if (res.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
