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
let session = null; // { pc, resource } over WebRTC, or { hls } over HLS
/**
 * `?transport=`: auto (WebRTC, falling back to LL-HLS when it has not connected within
 * `?hlsAfter=` seconds, default 4: a network that blocks UDP, a failed ICE), webrtc, or hls.
 */
const TRANSPORT = params.get('transport') ?? 'auto';
const HLS_AFTER_MS = Number(params.get('hlsAfter') ?? 4) * 1000;
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
  broadcastPaused: '',
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
    ...[...tree.relays].sort((a, b) => a.level - b.level || a.id.localeCompare(b.id)).map((r) => option(`${r.id} · level ${r.level}`, r.url)),
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

  if (TRANSPORT === 'hls') return startHls({ relay, stream, token, startMs }, 'HLS asked for (?transport=hls)');
  // Gather while the POST is in flight: Chromium allocates its TCP candidates in a later step
  // than UDP, so without a pool a viewer whose UDP is blocked opened its ICE-TCP connection
  // 0.8-1.8 s after the POST, with one 44-222 ms (docs/firewalls.md). A 201 with TURN servers
  // replaces the pool (setConfiguration), as before.
  const pc = new RTCPeerConnection({ iceCandidatePoolSize: 1 });
  const mine = { pc, resource: null, token };
  session = mine;
  if (TRANSPORT === 'auto') {
    // WebRTC that has not connected within a few seconds (UDP blocked, ICE failed) falls back
    // to LL-HLS from the same relay, and the page says so.
    mine.fallback = setTimeout(() => {
      if (session === mine && pc.connectionState !== 'connected') {
        void fallBack(mine, { relay, stream, token, startMs }, `WebRTC did not connect within ${HLS_AFTER_MS / 1000} s`);
      }
    }, HLS_AFTER_MS);
  }
  try {
    const media = new MediaStream();
    pc.addEventListener('track', ({ track }) => {
      media.addTrack(track);
      if (video.srcObject !== media) video.srcObject = media;
      video.play().catch(() => {});
    });
    mine.describe = () => {
      // Where playback started: the node says so (Canopy-Start) when it moved the start (to the
      // recording's beginning, or past a gap). A time-shifted stream need not be live any more,
      // so say when it was recorded rather than how far "behind live" it is; the age grows.
      const from = mine.startMs ?? startMs;
      const when = from === null ? 'live' : `from ${new Date(from).toLocaleTimeString()}, recorded ${spoken(Date.now() - from)} ago`;
      return `watching ${stream} (${when}) on ${relay}`;
    };
    pc.addEventListener('connectionstatechange', () => {
      if (session !== mine) return;
      if (pc.connectionState === 'connected') mine.everConnected = true;
      if (pc.connectionState === 'failed' && mine.paused) {
        // The broadcast ended and the broadcaster did not come back within the node's grace:
        // the node ended the session. An ending, not a failure.
        setStatus(`the broadcast ended (${mine.paused})`);
        return;
      }
      setStatus(pc.connectionState === 'connected' ? mine.describe() : pc.connectionState);
      if (pc.connectionState === 'failed') {
        showError(new Error('connection to the relay failed'));
        if (TRANSPORT === 'auto') void fallBack(mine, { relay, stream, token, startMs }, 'the WebRTC connection failed');
      }
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
    // A relay that refuses WebRTC for a reason HLS would share (auth, no such stream) is an error;
    // anything else (no answer, a network error, a 5xx) is worth trying over HLS.
    const status = err.status ?? Number(/\b([45]\d\d)\b/.exec(String(err.message))?.[1] ?? 0);
    if (session === mine && TRANSPORT === 'auto' && !(status >= 400 && status < 500)) {
      await fallBack(mine, { relay, stream, token, startMs }, `WebRTC failed (${err.message})`);
      if (session !== mine) return;
    }
    if (session === mine) await stop().catch(() => {});
    showError(err);
    throw err;
  }
}

/**
 * Leaves WebRTC for LL-HLS (hls.js) on the same relay, once: only a session that never
 * connected, and only when the relay serves this stream over HLS (a VP8 stream answers 406):
 * otherwise WebRTC keeps trying and the page shows what it shows today.
 */
async function fallBack(mine, where, why) {
  if (session !== mine || mine.fellBack || mine.everConnected) return;
  mine.fellBack = true;
  const ok = await fetch(hlsUrl(where)).then(
    (r) => r.ok,
    () => false,
  );
  if (session !== mine || mine.everConnected) return;
  if (!ok) {
    mine.fellBack = false; // HLS cannot help: keep WebRTC
    return;
  }
  showError(null);
  clearTimeout(mine.fallback);
  if (mine.resource) endSession(mine.resource, mine).catch(() => {});
  mine.pc.close();
  video.srcObject = null;
  session = null;
  await startHls(where, why).catch((err) => showError(err));
}

function hlsUrl({ relay, stream, token, startMs }) {
  const q = new URLSearchParams();
  if (startMs !== null) q.set('start', String(Math.round(startMs)));
  // Players cannot send an Authorization header: the token goes in the query (docs/hls.md).
  if (token) q.set('access_token', token);
  return `${relay}/hls/${encodeURIComponent(stream)}/index.m3u8${[...q].length ? `?${q}` : ''}`;
}

/** Plays /hls/{stream}/index.m3u8 with hls.js (served from npm's hls.js by the demo server). */
async function startHls({ relay, stream, token, startMs }, why) {
  const { default: Hls } = await import('./vendor/hls.js/hls.mjs');
  const src = hlsUrl({ relay, stream, token, startMs });
  const mine = { hls: null, startedAt: Date.now() };
  session = mine;
  setRunning(true);
  showNotice(`Playing over HLS: ${why}. Expect a few seconds more delay than WebRTC.`);
  setStatus('loading HLS…');
  if (!Hls.isSupported()) {
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = src; // Safari plays HLS itself
      video.play().catch(() => {});
      setStatus(`watching ${stream} over HLS on ${relay}`);
      return;
    }
    throw new Error('this browser has neither WebRTC that connects nor HLS playback');
  }
  const hls = new Hls({
    lowLatencyMode: true,
    backBufferLength: 30,
    // Play 1 s behind the newest part: the relay's PART-HOLD-BACK (0.9 s, 3 × PART-TARGET,
    // RFC 8216bis §4.4.3.8) plus a little; a player SHOULD NOT start closer than PART-HOLD-BACK.
    // Setting it here (not from the playlist) is what lets liveMaxLatencyDuration be set.
    liveSyncDuration: 1.0,
    // More than 4 s behind (after stalls on a busy machine), jump back to 1 s; in between, play
    // up to 1.5× until back at the target instead of staying late for good.
    liveMaxLatencyDuration: 4,
    maxLiveSyncPlaybackRate: 1.5,
    // hls.js's default adds 1 s to the target per stall (up to a target duration): a short
    // stall would cost a second of latency for the rest of the session.
    liveSyncOnStallIncrease: 0.1,
  });
  mine.hls = hls;
  mine.errors = [];
  hls.on(Hls.Events.ERROR, (_e, data) => {
    // Every hls.js error goes to the console and the page's state (tests read both).
    const line = `${data.fatal ? 'fatal' : 'non-fatal'} ${data.type}/${data.details}${data.reason ? `: ${data.reason}` : ''}${data.error ? `: ${data.error.message ?? data.error}` : ''}`;
    mine.errors.push(line);
    if (mine.errors.length > 20) mine.errors.shift();
    console.warn(`hls.js error: ${line}`);
    if (data.fatal && session === mine) showError(new Error(`HLS: ${data.details}`));
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    video.play().catch(() => {});
    if (session === mine)
      setStatus(`watching ${stream} over HLS (${startMs === null ? 'live' : `from ${new Date(startMs).toLocaleTimeString()}`}) on ${relay}`);
  });
  hls.loadSource(src);
  hls.attachMedia(video);
}

async function stop() {
  const s = session;
  if (!s) return;
  session = null;
  setRunning(false);
  setStatus('stopping…');
  if (s.hls !== undefined) {
    s.hls?.destroy();
    video.removeAttribute('src');
    video.load();
    last = { ...last, connectionState: 'closed', transport: 'hls', kbps: 0 };
    setStatus('stopped');
    return;
  }
  clearTimeout(s.fallback);
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
  if (s.hls !== undefined) return hlsState(s);
  try {
    const { rtp, codec } = await videoRtpStats(s.pc, 'inbound-rtp');
    if (s !== session) return { ...last };
    const route = await selectedRoute(s.pc);
    last = {
      transport: 'webrtc',
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
      // The node's word on the broadcast: '' while it plays, else why it paused.
      broadcastPaused: s.paused ?? '',
    };
  } catch {
    // getStats() rejects once the connection is closed; keep the last sample.
  }
  return { ...last };
}

/** The same fields over HLS: frames from the video element, latency from EXT-X-PROGRAM-DATE-TIME (capture time at the origin). */
function hlsState(s) {
  const q = video.getVideoPlaybackQuality?.();
  const playing = s.hls?.playingDate?.getTime();
  const level = s.hls?.levels?.[s.hls.currentLevel] ?? s.hls?.levels?.[0];
  last = {
    ...last,
    transport: 'hls',
    connectionState: video.readyState >= 2 && !video.paused ? 'playing' : 'loading',
    codec: level?.videoCodec ?? level?.attrs?.CODECS ?? '',
    framesDecoded: q?.totalVideoFrames ?? 0,
    videoWidth: video.videoWidth,
    videoHeight: video.videoHeight,
    latencyMs: playing ? Date.now() - playing : null,
    hlsLatencyS: s.hls?.latency ?? null,
    hlsTargetLatencyS: s.hls?.targetLatency ?? null,
    currentTime: video.currentTime,
    hlsErrors: [...(s.errors ?? [])],
  };
  return { ...last };
}

function showNotice(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = !text;
}

function setRunning(running) {
  // Watch stays usable while watching: it restarts from the "Watch from" chosen now.
  $('start').textContent = running ? 'Watch again' : 'Watch';
  $('stop').disabled = !running;
}

/**
 * Once a second while watching: the status line (its "recorded N s ago" grows), and the
 * session's status from the node (GET on the session resource): "paused" when the
 * broadcaster ended or lost the broadcast, which the node keeps the session through.
 */
async function refresh() {
  const s = session;
  if (!s?.resource || s.pc.connectionState !== 'connected') return;
  if (s.statusUrl !== false) {
    try {
      const res = await fetch(s.resource, { headers: s.token ? { Authorization: `Bearer ${s.token}` } : {}, signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        const status = await res.json();
        if (s !== session) return;
        s.paused = status.state === 'paused' ? status.reason || 'the broadcaster left' : null;
      } else if (res.status === 405) s.statusUrl = false; // a node without session status
    } catch {
      // no answer this time; the connection state tells the rest
    }
  }
  if (s !== session || s.pc.connectionState !== 'connected') return;
  setStatus(s.paused ? `the broadcast ended (${s.paused}); this page resumes when it starts again` : s.describe());
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
every(1000, async () => {
  renderStats(await state());
  await refresh();
});
if (params.get('autostart') === '1') start().catch(() => {});
