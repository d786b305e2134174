/**
 * Bench viewer process on the native sink (native/src/sink.cc, issue 19): the same IPC protocol
 * as viewer-worker.ts (protocol.ts), but each viewer is a native receiver that completes ICE,
 * DTLS and SRTP keying, counts SRTP packets and loss and authenticates one packet in 16 on a
 * sink thread, so that 1,000 viewers cost this process a small share of what they cost the
 * relay. Signalling (the WHEP POST, Janus's HTTP API) stays here in JavaScript.
 *
 *  - 'whep' viewers: recvonly VP8 + Opus offer with a=setup:actpass (the server picks the DTLS
 *    role); the sink is the controlling ICE agent and nominates with USE-CANDIDATE.
 *  - 'janus' viewers: the sink answers Janus's offer (a=setup:active) as the controlled agent
 *    and answers Janus's checks.
 *
 * BENCH_SINK_THREADS (default 1): sink threads in this process.
 */
import { ConnectAttemptError, deleteSession, httpRequest, sleep } from '../../test/support/webrtc.js';
import { JanusClient } from './janus-client.js';
import { nowMs, type FromViewerWorker, type JoinRecord, type ToViewerWorker, type ViewerSpec, type WorkerCounters } from './protocol.js';
import { janusAnswer, remoteOf, whepOffer } from './sink-sdp.js';
import { loadSink, type SinkInfo } from './sink.js';

const MAX_CONCURRENT_CONNECTS = Number(process.env.BENCH_CONNECT_CONCURRENCY ?? 40);
const MAX_ATTEMPTS = 6;
const OPEN_TIMEOUT_MS = 15_000;
const HOST = '127.0.0.1';

const sink = loadSink(Number(process.env.BENCH_SINK_THREADS ?? 1));

function send(m: FromViewerWorker): void {
  process.send?.(m);
}

let failed = 0;
let retries = 0;

interface Viewer {
  spec: ViewerSpec;
  rec: JoinRecord;
  sinkId: number | undefined;
  sessionUrl: string | undefined;
  janusHandle: number | undefined;
  connected: boolean;
  closed: boolean;
}

const viewers = new Map<number, Viewer>();
let janus: JanusClient | undefined;

/** Waits until the sink is connected and has authenticated its first SRTP packet. */
async function waitMedia(id: number): Promise<SinkInfo> {
  const deadline = nowMs() + OPEN_TIMEOUT_MS;
  for (;;) {
    const i = sink.info(id);
    if (!i) throw new ConnectAttemptError('sink gone');
    if (i.state === 'failed') throw new ConnectAttemptError(`sink failed: ${i.error ?? '?'}`);
    if (i.state === 'connected' && i.firstPacketAt > 0) return i;
    if (nowMs() > deadline)
      throw new ConnectAttemptError(`sink ${i.state} after ${OPEN_TIMEOUT_MS} ms${i.state === 'connected' ? ', no SRTP packet authenticated' : ''}`);
    await sleep(25);
  }
}

async function connectWhep(v: Viewer): Promise<void> {
  const local = sink.create(HOST);
  v.sinkId = local.id;
  const offer = whepOffer({ ...local, fingerprint: sink.fingerprint, address: HOST });
  const res = await httpRequest('POST', v.spec.url, { body: offer, contentType: 'application/sdp', timeoutMs: 15_000 });
  if (res.status !== 201) throw new Error(`WHEP POST: HTTP ${res.status} ${res.body.slice(0, 120)}`);
  const location = res.headers.get('location');
  if (location) v.sessionUrl = new URL(location, v.spec.url).toString();
  v.rec.answeredAt = nowMs();
  const r = remoteOf(res.body);
  // RFC 5763 §5: the answerer's a=setup decides; active means the server is the DTLS client.
  if (!sink.start(local.id, { ...r, dtlsClient: r.setup !== 'active', controlling: true })) throw new ConnectAttemptError('sink.start refused');
  const i = await waitMedia(local.id);
  v.rec.connectedAt = i.connectedAt;
  v.rec.firstPacketAt = i.firstPacketAt;
}

async function connectJanus(v: Viewer): Promise<void> {
  janus ??= new JanusClient(v.spec.url, (msg) => send({ t: 'log', msg }));
  const handle = await janus.attach();
  v.janusHandle = handle;
  const offer = await janus.watch(handle, v.spec.mountpoint ?? 1);
  const local = sink.create(HOST);
  v.sinkId = local.id;
  const r = remoteOf(offer);
  if (!sink.start(local.id, { ...r, dtlsClient: true, controlling: false })) throw new ConnectAttemptError('sink.start refused');
  await janus.start(handle, janusAnswer(offer, { ...local, fingerprint: sink.fingerprint, address: HOST }));
  v.rec.answeredAt = nowMs();
  const i = await waitMedia(local.id);
  v.rec.connectedAt = i.connectedAt;
  v.rec.firstPacketAt = i.firstPacketAt;
}

async function teardown(v: Viewer): Promise<void> {
  v.connected = false;
  if (v.sinkId !== undefined) sink.close(v.sinkId);
  v.sinkId = undefined;
  if (v.spec.mode === 'whep') {
    const url = v.sessionUrl;
    v.sessionUrl = undefined;
    await deleteSession(url);
  } else if (v.janusHandle !== undefined) {
    const h = v.janusHandle;
    v.janusHandle = undefined;
    await janus?.detach(h);
  }
}

async function connect(v: Viewer): Promise<void> {
  v.rec.startedAt = nowMs();
  let lastError = '';
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !v.closed; attempt++) {
    v.rec.attempts = attempt + 1;
    try {
      if (v.spec.mode === 'whep') await connectWhep(v);
      else await connectJanus(v);
      if (v.closed) return;
      v.connected = true;
      v.rec.ok = true;
      send({ t: 'join', rec: v.rec });
      return;
    } catch (e) {
      lastError = String((e as Error)?.message ?? e);
      retries++;
      await teardown(v);
      if (!(e instanceof ConnectAttemptError)) await sleep(300 + 200 * attempt);
    }
  }
  if (!v.closed) {
    v.rec.ok = false;
    v.rec.error = lastError || 'closed';
    failed++;
    send({ t: 'join', rec: v.rec });
  }
}

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

function counters(): WorkerCounters & Record<string, number> {
  const t = sink.totals();
  let connecting = 0;
  for (const v of viewers.values()) if (!v.connected && !v.rec.ok && v.rec.error === undefined) connecting++;
  return {
    // Viewers served: connected and receiving (a session the server stopped feeding shows no
    // loss, it just goes quiet, so it is not counted as connected).
    connected: t.connected - t.stalled,
    stalled: t.stalled,
    connecting,
    failed,
    packets: t.packets,
    bytes: t.bytes,
    expected: t.expected,
    videoPackets: t.videoPackets,
    videoExpected: t.videoExpected,
    rtcp: t.rtcpIn,
    retries,
    authOk: t.authOk,
    authFail: t.authFail,
    authReplay: t.authReplay,
    rtcpOut: t.rtcpOut,
    recvCalls: t.recvCalls,
  };
}

async function closeViewers(ids: number[]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const v = viewers.get(id);
      if (!v) return;
      v.closed = true;
      await teardown(v);
      viewers.delete(id);
    }),
  );
  if (janus && ![...viewers.values()].some((v) => v.spec.mode === 'janus')) {
    const j = janus;
    janus = undefined;
    await j.destroy();
  }
}

async function shutdown(): Promise<void> {
  clearInterval(statusTimer);
  await closeViewers([...viewers.keys()]);
  await sleep(100); // the sink threads send close_notify on their next tick
  sink.shutdown();
  process.exit(0);
}

process.on('message', (raw) => {
  const m = raw as ToViewerWorker;
  switch (m.t) {
    case 'add':
      for (const spec of m.viewers) {
        const v: Viewer = {
          spec,
          rec: { id: spec.id, ok: false, attempts: 0, startedAt: 0, ...(spec.tag !== undefined ? { tag: spec.tag } : {}) },
          sinkId: undefined,
          sessionUrl: undefined,
          janusHandle: undefined,
          connected: false,
          closed: false,
        };
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
      // No payload hashes here: hop latency is measured with viewer-worker.ts.
      send({ t: 'probe', req: m.req, samples: [] });
      return;
    case 'exit':
      void shutdown();
      return;
  }
});
process.on('disconnect', () => void shutdown());

const statusTimer = setInterval(() => send({ t: 'status', counters: counters() }), 1000);
send({ t: 'ready' });
