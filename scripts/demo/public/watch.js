import {
  $,
  RateMeter,
  endSession,
  every,
  loadTree,
  negotiate,
  selectedRoute,
  params,
  renderStats,
  setStatus,
  showError,
  spoken,
  trimSlash,
  videoRtpStats,
} from './common.js';

const video = $('video');
const meter = new RateMeter();
let session = null; // { pc, resource }
let last = {
  connectionState: 'new',
  codec: '',
  framesDecoded: 0,
  fps: 0,
  // Loss repair: NACKs this viewer sent and the packets resent to it, keyframe requests, freezes.
  nackCount: 0,
  retransmittedPacketsReceived: 0,
  pliCount: 0,
  freezeCount: 0,
  videoWidth: 0,
  videoHeight: 0,
  kbps: 0,
  packetsReceived: 0,
  packetsLost: 0,
};

function prefill(tree) {
  const relays = [...(tree?.relays ?? [])].sort((a, b) => b.level - a.level);
  $('relay').value = params.get('relay') ?? relays[0]?.url ?? `http://${location.hostname}:8201`;
  $('stream').value = params.get('stream') ?? tree?.stream ?? 'demo';
  // A play token, for relays run with --viewer-auth; kept out of the address bar below.
  $('token').value = params.get('token') ?? tree?.playToken ?? '';
  if (!tree) return;

  const pick = $('pick');
  const option = (label, value) => Object.assign(document.createElement('option'), { textContent: label, value });
  pick.append(
    option('(custom)', ''),
    ...[...tree.relays]
      .sort((a, b) => a.level - b.level || a.id.localeCompare(b.id))
      .map((r) => option(`${r.id} · level ${r.level}`, r.url)),
    option('origin · only with --serve-viewers', tree.origin),
  );
  const sync = () => {
    pick.value = [...pick.options].some((o) => o.value === trimSlash($('relay').value)) ? trimSlash($('relay').value) : '';
  };
  sync();
  pick.addEventListener('change', () => pick.value && ($('relay').value = pick.value));
  $('relay').addEventListener('input', sync);
  $('pick-label').hidden = false;
}

// Time-shift: `?ago=SECONDS` or `?start=EPOCH_MS|ISO` picks where playback begins.
function initFrom() {
  const ago = params.get('ago');
  const startParam = params.get('start');
  if (ago && [...$('from').options].some((o) => o.value === ago)) $('from').value = ago;
  else if (ago || startParam) {
    const t = startParam ? (/^\d+$/.test(startParam) ? Number(startParam) : Date.parse(startParam)) : Date.now() - Number(ago) * 1000;
    if (Number.isFinite(t)) {
      $('from').value = 'at';
      $('at').value = new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    }
  }
  const sync = () => ($('at-label').hidden = $('from').value !== 'at');
  $('from').addEventListener('change', sync);
  sync();
}
initFrom();

/** The start time asked for (epoch ms), or null for live. */
function startTime() {
  const from = $('from').value;
  if (from === '') return null;
  if (from === 'at') {
    const t = Date.parse($('at').value);
    if (!Number.isFinite(t)) throw new Error('pick a time to watch from');
    return t;
  }
  return Date.now() - Number(from) * 1000;
}

async function start() {
  await stop().catch(() => {});
  showError(null);
  const relay = trimSlash($('relay').value);
  const stream = $('stream').value.trim();
  const token = $('token').value.trim();
  if (!relay || !stream) {
    const err = new Error('relay and stream are required');
    showError(err);
    throw err;
  }
  let startMs;
  try {
    startMs = startTime();
  } catch (err) {
    showError(err);
    throw err;
  }
  const query = { relay, stream, ...(startMs === null ? {} : { start: String(Math.round(startMs)) }) };
  history.replaceState(null, '', `?${new URLSearchParams(query)}`);
  setRunning(true);
  setStatus('negotiating…');
  showNotice(null);

  const pc = new RTCPeerConnection();
  const mine = { pc, resource: null, token };
  session = mine;
  try {
    const media = new MediaStream();
    pc.addEventListener('track', ({ track }) => {
      media.addTrack(track);
      if (video.srcObject !== media) video.srcObject = media;
      video.play().catch(() => {});
    });
    pc.addEventListener('connectionstatechange', () => {
      if (session !== mine) return;
      // Where playback started: the node says so when it moved a start before the recording
      // to the recording's beginning. A time-shifted stream need not be live any more, so say
      // when it was recorded rather than how far "behind live" it is.
      const from = mine.startMs ?? startMs;
      const when = from === null ? 'live' : `from ${new Date(from).toLocaleTimeString()}, recorded ${spoken(Date.now() - from)} ago`;
      setStatus(pc.connectionState === 'connected' ? `watching ${stream} (${when}) on ${relay}` : pc.connectionState);
      if (pc.connectionState === 'failed') showError(new Error('connection to the relay failed'));
    });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    const endpoint = `${relay}/whep/${encodeURIComponent(stream)}${startMs === null ? '' : `?start=${Math.round(startMs)}`}`;
    const resource = await negotiate(pc, endpoint, {
      token,
      onAnswer: (headers) => {
        const start = Number(headers.get('Canopy-Start'));
        if (Number.isFinite(start) && start > 0) mine.startMs = start;
        showNotice(headers.get('Canopy-Notice'));
      },
    });
    if (session !== mine) {
      await endSession(resource, { token }).catch(() => {});
      throw new Error('stopped before playback was established');
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
    video.srcObject = null;
    meter.reset();
    last = { ...last, connectionState: 'closed', kbps: 0 };
    setStatus('stopped');
  }
}

async function state() {
  const s = session;
  if (!s) return { ...last };
  try {
    const { rtp, codec } = await videoRtpStats(s.pc, 'inbound-rtp');
    if (s !== session) return { ...last };
    const route = await selectedRoute(s.pc);
    last = {
      connectionState: s.pc.connectionState,
      // This browser's side of the ICE pair: host/udp, or relay/tcp through TURN over TCP.
      route,
      codec,
      framesDecoded: rtp?.framesDecoded ?? 0,
      fps: rtp?.framesPerSecond ?? 0,
      nackCount: rtp?.nackCount ?? 0,
      retransmittedPacketsReceived: rtp?.retransmittedPacketsReceived ?? 0,
      pliCount: rtp?.pliCount ?? 0,
      freezeCount: rtp?.freezeCount ?? 0,
      videoWidth: video.videoWidth,
      videoHeight: video.videoHeight,
      kbps: rtp ? meter.add(rtp.timestamp, rtp.bytesReceived) : 0,
      packetsReceived: rtp?.packetsReceived ?? 0,
      // RFC 3550 §6.4.1's cumulative loss goes negative when duplicates (retransmissions)
      // outnumber losses; nothing was lost then.
      packetsLost: Math.max(0, rtp?.packetsLost ?? 0),
    };
  } catch {
    // getStats() rejects once the connection is closed; keep the last sample.
  }
  return { ...last };
}

function showNotice(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = !text;
}

function setRunning(running) {
  $('start').disabled = running;
  $('stop').disabled = !running;
}

$('form').addEventListener('submit', (e) => {
  e.preventDefault();
  start().catch(() => {});
});
$('stop').addEventListener('click', () => stop().catch(() => {}));
addEventListener('pagehide', () => stop().catch(() => {}));

prefill(await loadTree());
// Published only once the form is filled, so automation can call start() right away.
window.canopy = { start, stop, state };
every(1000, async () => renderStats(await state()));
if (params.get('autostart') === '1') start().catch(() => {});
