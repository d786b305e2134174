import {
  $,
  RateMeter,
  endSession,
  every,
  loadTree,
  negotiate,
  selectedRoute,
  params,
  preferVideoCodec,
  renderStats,
  setStatus,
  showError,
  trimSlash,
  videoRtpStats,
} from './common.js';
import { createPattern } from './pattern.js';

const form = $('form');
const meter = new RateMeter();
let session = null; // { pc, media, resource, token }
let last = { connectionState: 'new', codec: '', kbps: 0, framesEncoded: 0, frameWidth: 0, bytesSent: 0 };

function prefill(tree) {
  $('origin').value = params.get('origin') ?? tree?.origin ?? `http://${location.hostname}:8000`;
  $('stream').value = params.get('stream') ?? tree?.stream ?? 'demo';
  $('token').value = params.get('token') ?? tree?.publishToken ?? '';
  const codec = (params.get('codec') ?? 'VP8').toUpperCase();
  $('codec').value = [...$('codec').options].some((o) => o.value === codec) ? codec : 'VP8';
  $('source').value = params.get('source') === 'camera' ? 'camera' : 'pattern';
  $('audio').checked = params.get('audio') !== '0';
}

function readForm() {
  return {
    origin: trimSlash($('origin').value),
    stream: $('stream').value.trim(),
    token: $('token').value.trim(),
    codec: $('codec').value,
    source: $('source').value,
    audio: $('audio').checked,
  };
}

async function openSource({ source, audio, stream, codec }) {
  if (source === 'pattern') return createPattern({ audio, label: `${stream} · ${codec}` });
  const media = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 1280 }, height: { ideal: 720 } },
    audio,
  });
  return { stream: media, stop: () => media.getTracks().forEach((t) => t.stop()) };
}

async function start() {
  await stop().catch(() => {});
  showError(null);
  const opts = readForm();
  if (!opts.origin || !opts.stream) {
    const err = new Error('origin and stream are required');
    showError(err);
    throw err;
  }
  const { token, ...shareable } = opts; // keep secrets out of the address bar
  history.replaceState(null, '', `?${new URLSearchParams({ ...shareable, audio: opts.audio ? '1' : '0' })}`);
  setRunning(true);
  setStatus('starting…');

  const mine = { pc: new RTCPeerConnection(), media: null, resource: null, token: opts.token };
  session = mine;
  try {
    mine.media = await openSource(opts);
    $('preview').srcObject = mine.media.stream;
    const { pc } = mine;
    pc.addEventListener('connectionstatechange', () => {
      if (session !== mine) return;
      setStatus(pc.connectionState === 'connected' ? `publishing ${opts.stream}` : pc.connectionState);
      if (pc.connectionState === 'failed') showError(new Error('connection to the origin failed'));
    });
    for (const track of mine.media.stream.getTracks()) {
      const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [mine.media.stream] });
      if (track.kind === 'video') preferVideoCodec(transceiver, opts.codec);
    }
    setStatus('negotiating…');
    const resource = await negotiate(pc, `${opts.origin}/whip/${encodeURIComponent(opts.stream)}`, opts);
    if (session !== mine) {
      // stop() ran while we were negotiating: the origin session exists now, so end it.
      await endSession(resource, opts).catch(() => {});
      throw new Error('stopped before the publish was established');
    }
    mine.resource = resource;
    setStatus('connecting…');
  } catch (err) {
    if (session === mine) await stop().catch(() => {});
    showError(err);
    throw err;
  }
}

async function stop() {
  const s = session;
  if (!s) return;
  session = null;
  setRunning(false);
  setStatus('stopping…');
  try {
    // DELETE before closing: a node that sees the transport die first ends the session itself
    // and would answer 404.
    if (s.resource) await endSession(s.resource, s);
  } catch (err) {
    showError(err);
    throw err;
  } finally {
    s.pc.close();
    s.media?.stop();
    $('preview').srcObject = null;
    meter.reset();
    last = { ...last, connectionState: 'closed', kbps: 0 };
    setStatus('stopped');
  }
}

async function state() {
  const s = session;
  if (!s) return { ...last };
  try {
    const { rtp, codec } = await videoRtpStats(s.pc, 'outbound-rtp');
    if (s !== session) return { ...last };
    const route = await selectedRoute(s.pc);
    last = {
      connectionState: s.pc.connectionState,
      // This browser's side of the ICE pair: host/udp, or relay/tcp through TURN over TCP.
      route,
      codec,
      kbps: rtp ? meter.add(rtp.timestamp, rtp.bytesSent) : 0,
      framesEncoded: rtp?.framesEncoded ?? 0,
      frameWidth: rtp?.frameWidth ?? 0,
      bytesSent: rtp?.bytesSent ?? 0,
    };
  } catch {
    // getStats() rejects once the connection is closed; keep the last sample.
  }
  return { ...last };
}

function setRunning(running) {
  $('start').disabled = running;
  $('stop').disabled = !running;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  start().catch(() => {});
});
$('stop').addEventListener('click', () => stop().catch(() => {}));
addEventListener('pagehide', () => stop().catch(() => {}));

// The demo's tree.json also carries a publish token; explicit parameters win over it.
prefill(await loadTree());
// Published only once the form is filled, so automation can call start() right away.
window.canopy = { start, stop, state };
every(1000, async () => renderStats(await state()));
if (params.get('autostart') === '1') start().catch(() => {});
