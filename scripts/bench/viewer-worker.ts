/**
 * Bench viewer process: holds many lightweight WebRTC viewers (node-datachannel, real ICE,
 * DTLS and SRTP) and reports to the bench over IPC (protocol.ts).
 *
 *  - 'whep' viewers: offerer, recvonly VP8 (or H.264) + Opus, POST to a WHEP endpoint (Canopy).
 *  - 'janus' viewers: answerer to Janus's streaming plugin (HTTP API: attach, watch, answer
 *    with start). One Janus session per worker, one handle per viewer; one long-poll loop
 *    dispatches the events.
 *
 * Per packet the work is kept small: a sequence-number update (loss = sequence span minus
 * packets received), a keyframe check until the first keyframe, and, for probe viewers in a
 * probe window, a payload hash for hop latency. Connection attempts that fail (node-datachannel's
 * DTLS race as an offerer under load, a 503 while a relay pulls) are retried.
 */
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import { isVp8Keyframe } from '../../test/support/keyframe.js';
import {
  ConnectAttemptError,
  addManagedTrack,
  manageTrack,
  closePeer,
  createLoopbackPeer,
  deleteSession,
  httpRequest,
  liveObjects,
  sleep,
  waitGathering,
  waitTracksOpen,
  type ManagedTrack,
} from '../../test/support/webrtc.js';
import {
  nowMs,
  payloadBounds,
  payloadHash,
  type FromViewerWorker,
  type JoinRecord,
  type ToViewerWorker,
  type ViewerSpec,
  type WorkerCounters,
} from './protocol.js';
import { JanusClient } from './janus-client.js';

const MAX_CONCURRENT_CONNECTS = Number(process.env.BENCH_CONNECT_CONCURRENCY ?? 10);
const MAX_ATTEMPTS = 6;
const OPEN_TIMEOUT_MS = 10_000;
/**
 * WHEP offers say a=setup:active (we are the DTLS client) instead of actpass. With actpass the
 * server answers active and sends its ClientHello as soon as ICE connects, which can reach
 * node-datachannel before it has applied the answer: the packet is dropped and the handshake
 * waits for the 1 s DTLS retransmission (the offerer's DTLS race). Browsers buffer that early
 * packet, so the race is an artifact of this client; BENCH_OFFER_SETUP=actpass restores it.
 */
const OFFER_SETUP_ACTIVE = (process.env.BENCH_OFFER_SETUP ?? 'active') === 'active';
/** A join without a keyframe by then is reported as it stands. */
const JOIN_REPORT_TIMEOUT_MS = 15_000;

function send(m: FromViewerWorker): void {
  process.send?.(m);
}

// ---- counters ----

class TrackStat {
  first = -1;
  /** Highest sequence number seen, extended past 16 bits. */
  highest = 0;
  packets = 0;
  bytes = 0;
  get expected(): number {
    return this.first < 0 ? 0 : this.highest - this.first + 1;
  }
}

/** Totals of viewers already gone, so the counters stay cumulative. */
const retired = { packets: 0, bytes: 0, expected: 0, videoPackets: 0, videoExpected: 0 };
let rtcp = 0;
let retries = 0;
let failed = 0;
let probing = false;
let probeSamples: number[] = [];

// ---- viewers ----

class Viewer {
  readonly video = new TrackStat();
  readonly audio = new TrackStat();
  rec: JoinRecord;
  connected = false;
  closed = false;
  reported = false;
  pc: PeerConnection | undefined;
  tracks: ManagedTrack[] = [];
  sessionUrl: string | undefined;
  janusHandle: number | undefined;
  private reportTimer: NodeJS.Timeout | undefined;

  constructor(readonly spec: ViewerSpec) {
    this.rec = { id: spec.id, ok: false, attempts: 0, startedAt: 0 };
    if (spec.tag !== undefined) this.rec.tag = spec.tag;
  }

  onMessage(video: boolean, msg: Buffer): void {
    if (msg.length < 12) return;
    const b1 = msg[1]!;
    if (b1 >= 192 && b1 <= 223) {
      rtcp++;
      return;
    }
    const st = video ? this.video : this.audio;
    const seq = (msg[2]! << 8) | msg[3]!;
    if (st.first < 0) {
      st.first = seq;
      st.highest = seq;
      this.rec.firstPacketAt ??= nowMs();
    } else {
      const d = (seq - st.highest) & 0xffff;
      if (d !== 0 && d < 0x8000) st.highest += d;
    }
    st.packets++;
    st.bytes += msg.length;
    if (!video) return;
    if (this.rec.firstKeyframeAt === undefined) {
      const r = payloadBounds(msg);
      if (r && isVp8Keyframe(msg.subarray(r[0], r[1]))) {
        this.rec.firstKeyframeAt = nowMs();
        if (this.rec.ok) this.report();
      }
    }
    if (probing && this.spec.probe) {
      const h = payloadHash(msg);
      if (h !== null) probeSamples.push(h, nowMs(), this.spec.id);
    }
  }

  report(): void {
    if (this.reported) return;
    this.reported = true;
    if (this.reportTimer) clearTimeout(this.reportTimer);
    send({ t: 'join', rec: this.rec });
  }

  connectedNow(): void {
    this.connected = true;
    this.rec.ok = true;
    this.rec.connectedAt = nowMs();
    if (this.rec.firstKeyframeAt !== undefined) this.report();
    else this.reportTimer = setTimeout(() => this.report(), JOIN_REPORT_TIMEOUT_MS);
  }

  fail(err: string): void {
    this.rec.ok = false;
    this.rec.error = err;
    failed++;
    this.report();
  }

  retire(): void {
    retired.packets += this.video.packets + this.audio.packets;
    retired.bytes += this.video.bytes + this.audio.bytes;
    retired.expected += this.video.expected + this.audio.expected;
    retired.videoPackets += this.video.packets;
    retired.videoExpected += this.video.expected;
    this.video.first = -1;
    this.audio.first = -1;
    this.video.packets = this.audio.packets = this.video.bytes = this.audio.bytes = 0;
  }

  /** Tears down the current attempt (or the session). */
  async teardown(): Promise<void> {
    this.connected = false;
    const pc = this.pc;
    const tracks = this.tracks;
    this.pc = undefined;
    this.tracks = [];
    if (this.spec.mode === 'whep') {
      const url = this.sessionUrl;
      this.sessionUrl = undefined;
      await deleteSession(url);
    } else if (this.janusHandle !== undefined) {
      const h = this.janusHandle;
      this.janusHandle = undefined;
      await janus?.detach(h);
    }
    if (pc) await closePeer(pc, tracks);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reportTimer) clearTimeout(this.reportTimer);
    await this.teardown();
  }
}

const viewers = new Map<number, Viewer>();

async function connect(v: Viewer): Promise<void> {
  v.rec.startedAt = nowMs();
  let lastError = '';
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !v.closed; attempt++) {
    v.rec.attempts = attempt + 1;
    try {
      if (v.spec.mode === 'whep') await connectWhep(v, attempt);
      else await connectJanus(v, attempt);
      if (v.closed) return;
      v.connectedNow();
      watchState(v);
      return;
    } catch (e) {
      lastError = String((e as Error)?.message ?? e);
      retries++;
      await v.teardown();
      if (!(e instanceof ConnectAttemptError)) await sleep(300 + 200 * attempt);
    }
  }
  if (!v.closed) v.fail(lastError || 'closed');
}

function watchState(v: Viewer): void {
  v.pc?.onStateChange((s) => {
    if ((s === 'failed' || s === 'closed' || s === 'disconnected') && v.connected) v.connected = false;
  });
}

async function connectWhep(v: Viewer, attempt: number): Promise<void> {
  const pc = createLoopbackPeer(`bench-v${v.spec.id}-${attempt}`);
  v.pc = pc;
  const video = new nodeDataChannel.Video('0', 'RecvOnly');
  video.addVP8Codec(96);
  // H.264 too, for the streams HLS can carry (the hls section compares HLS and WebRTC viewers).
  video.addH264Codec(102, 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1');
  const audio = new nodeDataChannel.Audio('1', 'RecvOnly');
  audio.addOpusCodec(111);
  v.tracks = [addManagedTrack(pc, video, (m) => v.onMessage(true, m)), addManagedTrack(pc, audio, (m) => v.onMessage(false, m))];
  pc.setLocalDescription('offer');
  await waitGathering(pc);
  let offer = pc.localDescription()?.sdp;
  if (!offer) throw new ConnectAttemptError('no local description');
  if (OFFER_SETUP_ACTIVE) offer = offer.replace(/^a=setup:actpass/gm, 'a=setup:active');
  const res = await httpRequest('POST', v.spec.url, { body: offer, contentType: 'application/sdp', timeoutMs: 15_000 });
  if (res.status !== 201) throw new Error(`WHEP POST: HTTP ${res.status} ${res.body.slice(0, 120)}`);
  const location = res.headers.get('location');
  if (location) v.sessionUrl = new URL(location, v.spec.url).toString();
  v.rec.answeredAt = nowMs();
  try {
    pc.setRemoteDescription(res.body, 'answer');
  } catch (e) {
    throw new ConnectAttemptError(`setRemoteDescription: ${(e as Error).message}`);
  }
  await waitTracksOpen(pc, v.tracks, OPEN_TIMEOUT_MS);
}

// ---- Janus ----

let janus: JanusClient | undefined;

async function connectJanus(v: Viewer, attempt: number): Promise<void> {
  janus ??= new JanusClient(v.spec.url, (msg) => send({ t: 'log', msg }));
  const handle = await janus.attach();
  v.janusHandle = handle;
  const offer = await janus.watch(handle, v.spec.mountpoint ?? 1);
  const pc = createLoopbackPeer(`bench-j${v.spec.id}-${attempt}`);
  v.pc = pc;
  const tracks: ManagedTrack[] = [];
  v.tracks = tracks;
  pc.onTrack((track) => {
    const managed = manageTrack(track);
    tracks.push(managed);
    const isVideo = track.type() === 'video';
    track.onMessage((m) => v.onMessage(isVideo, m));
  });
  try {
    pc.setRemoteDescription(offer, 'offer');
  } catch (e) {
    throw new ConnectAttemptError(`setRemoteDescription(offer): ${(e as Error).message}`);
  }
  await waitGathering(pc);
  const answer = pc.localDescription()?.sdp;
  if (!answer) throw new ConnectAttemptError('no local answer');
  await janus.start(handle, answer);
  v.rec.answeredAt = nowMs();
  const want = (offer.match(/^m=(audio|video) [1-9]/gm) ?? []).length;
  const deadline = nowMs() + OPEN_TIMEOUT_MS;
  while (tracks.length < want) {
    if (nowMs() > deadline) throw new ConnectAttemptError(`only ${tracks.length}/${want} tracks announced`);
    await sleep(10);
  }
  await waitTracksOpen(pc, tracks, Math.max(1000, deadline - nowMs()));
}

// ---- connect queue ----

const queue: Viewer[] = [];
let inFlight = 0;

function pump(): void {
  while (inFlight < MAX_CONCURRENT_CONNECTS && queue.length > 0) {
    const v = queue.shift()!;
    if (v.closed) continue;
    inFlight++;
    void connect(v).finally(() => {
      inFlight--;
      pump();
    });
  }
}

function counters(): WorkerCounters {
  const c: WorkerCounters = {
    connected: 0,
    connecting: 0,
    failed,
    packets: retired.packets,
    bytes: retired.bytes,
    expected: retired.expected,
    videoPackets: retired.videoPackets,
    videoExpected: retired.videoExpected,
    rtcp,
    retries,
  };
  for (const v of viewers.values()) {
    if (v.connected) c.connected++;
    else if (!v.rec.ok && !v.reported) c.connecting++;
    c.packets += v.video.packets + v.audio.packets;
    c.bytes += v.video.bytes + v.audio.bytes;
    c.expected += v.video.expected + v.audio.expected;
    c.videoPackets += v.video.packets;
    c.videoExpected += v.video.expected;
  }
  return c;
}

async function closeViewers(ids: number[]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const v = viewers.get(id);
      if (!v) return;
      await v.close();
      v.retire();
      viewers.delete(id);
    }),
  );
  // The Janus session (and its long poll) lives only while this worker has Janus viewers.
  if (janus && ![...viewers.values()].some((v) => v.spec.mode === 'janus')) {
    const j = janus;
    janus = undefined;
    await j.destroy();
  }
}

async function shutdown(): Promise<void> {
  clearInterval(statusTimer);
  await closeViewers([...viewers.keys()]);
  const deadline = Date.now() + 3000;
  while (liveObjects() > 0 && Date.now() < deadline) await sleep(20);
  if (liveObjects() === 0) nodeDataChannel.cleanup();
  process.exit(0);
}

process.on('message', (raw) => {
  const m = raw as ToViewerWorker;
  switch (m.t) {
    case 'add':
      for (const spec of m.viewers) {
        const v = new Viewer(spec);
        viewers.set(spec.id, v);
        queue.push(v);
      }
      pump();
      return;
    case 'close':
      void closeViewers(m.ids).then(() => send({ t: 'closed', req: m.req }));
      return;
    case 'closeAll':
      void closeViewers([...viewers.keys()]).then(() => send({ t: 'closed', req: m.req }));
      return;
    case 'snap':
      send({ t: 'snap', req: m.req, counters: counters(), at: nowMs() });
      return;
    case 'probe':
      if (m.on) {
        probeSamples = [];
        probing = true;
        send({ t: 'probe', req: m.req, samples: [] });
      } else {
        probing = false;
        send({ t: 'probe', req: m.req, samples: probeSamples });
        probeSamples = [];
      }
      return;
    case 'exit':
      void shutdown();
      return;
  }
});
process.on('disconnect', () => void shutdown());

const statusTimer = setInterval(() => send({ t: 'status', counters: counters() }), 1000);
send({ t: 'ready' });
