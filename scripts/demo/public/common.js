// Shared helpers for the Canopy demo pages: WHIP/WHEP signalling, stats, small DOM utilities.

export class HttpError extends Error {
  constructor(status, body, what) {
    super(`${what}: HTTP ${status}${body.trim() ? ` — ${body.trim()}` : ''}`);
    this.status = status;
    this.body = body;
  }
}

export const $ = (id) => document.getElementById(id);

export const params = new URLSearchParams(location.search);

export function trimSlash(url) {
  return url.trim().replace(/\/+$/, '');
}

/** Resolves once ICE gathering is complete (or after `timeoutMs`, offering whatever was gathered). */
export function iceGatheringComplete(pc, timeoutMs = 5000) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve();
    };
    const onChange = () => pc.iceGatheringState === 'complete' && done();
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
  });
}

function authHeaders(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** fetch() with a deadline and an error message a person can act on. */
async function request(what, url, init, timeoutMs) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : 'network error (is the node up?)';
    throw new Error(`${what} ${url}: ${why}`);
  }
}

/**
 * The ICE servers of a 201's Link headers (RFC 9725 §4.6, RFC 8288): `<turn:…>; rel="ice-server";
 * username="…"; credential="…"`, as RTCIceServer entries (one per credential).
 */
export function iceServersFromLinks(header) {
  if (!header) return [];
  const servers = new Map();
  // Several Link headers arrive joined by ", "; a link-value starts with "<".
  for (const value of header.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(value);
    if (!m) continue;
    const params = {};
    for (const p of m[2].matchAll(/;\s*([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*))/g)) {
      params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    }
    if (params.rel?.toLowerCase() !== 'ice-server' || !/^(stuns?|turns?):/.test(m[1])) continue;
    const key = `${params.username ?? ''}\n${params.credential ?? ''}`;
    const entry = servers.get(key) ?? {
      urls: [],
      ...(params.username !== undefined ? { username: params.username, credential: params.credential ?? '' } : {}),
    };
    entry.urls.push(m[1]);
    servers.set(key, entry);
  }
  return [...servers.values()];
}

/**
 * Non-trickle WHIP/WHEP exchange: POST the offer, expect 201 + answer + Location (RFC 9725 §4.2).
 * The 201 may name TURN servers (Link headers, §4.6); they can only be used for candidates
 * gathered after they are configured, so the offer is POSTed before setLocalDescription starts
 * gathering, without candidates, and the ICE servers go in first (§4.6's note). The node, a full
 * ICE agent, learns this browser's addresses from its checks (peer-reflexive, RFC 8445
 * §7.3.1.3), relayed ones included. Returns the absolute session URL to DELETE later;
 * `onAnswer` sees the 201's headers.
 */
export async function negotiate(pc, endpoint, { token, onAnswer } = {}) {
  const offer = await pc.createOffer();
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', ...authHeaders(token) },
    body: offer.sdp,
  };
  // Generous: a relay may first have to pull the stream from upstream.
  const res = await request('POST', endpoint, init, 20_000);
  const body = await res.text();
  if (res.status !== 201) throw new HttpError(res.status, body, `POST ${endpoint}`);
  const location = res.headers.get('Location');
  if (!location) throw new Error(`POST ${endpoint}: 201 without a Location header`);
  const iceServers = iceServersFromLinks(res.headers.get('Link'));
  // `?ice=relay` forces the TURN path (iceTransportPolicy 'relay'), to try it from a network
  // whose UDP works; otherwise ICE prefers a direct pair and TURN is the fallback.
  const relayOnly = params.get('ice') === 'relay';
  if (iceServers.length || relayOnly) pc.setConfiguration({ ...pc.getConfiguration(), iceServers, ...(relayOnly ? { iceTransportPolicy: 'relay' } : {}) });
  await pc.setLocalDescription(offer);
  await pc.setRemoteDescription({ type: 'answer', sdp: body });
  onAnswer?.(res.headers);
  return new URL(location, endpoint).href;
}

/**
 * How this browser reaches the node: its side of the selected candidate pair, e.g. `host/udp`,
 * `relay/tcp` (through TURN over TCP) or `relay/tls`; '' before ICE has selected a pair.
 */
export async function selectedRoute(pc) {
  const report = await pc.getStats();
  for (const s of report.values()) {
    if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
    const pair = report.get(s.selectedCandidatePairId);
    const local = pair && report.get(pair.localCandidateId);
    if (!local) return '';
    const via = local.candidateType === 'relay' ? local.relayProtocol : local.protocol;
    return `${local.candidateType}/${via}`;
  }
  return '';
}

export async function endSession(sessionUrl, { token } = {}) {
  // keepalive lets the DELETE outlive the page when called from pagehide.
  const init = { method: 'DELETE', headers: authHeaders(token), keepalive: true };
  const res = await request('DELETE', sessionUrl, init, 5_000);
  if (!res.ok) throw new HttpError(res.status, await res.text(), `DELETE ${sessionUrl}`);
}

/**
 * Restricts a video transceiver to one codec family (VP8, VP9, H264 or AV1); H264
 * packetization-mode=1 entries go first, the only mode the tree takes.
 */
export function preferVideoCodec(transceiver, codec) {
  const mimeType = `video/${codec}`.toLowerCase();
  const mode1 = (c) => /packetization-mode=1/.test(c.sdpFmtpLine ?? '');
  // Only the chosen codec and its RTX (RFC 4588: the origin asks for lost packets back), no
  // red/ulpfec: the tree forwards the stream untouched, one media payload type per hop.
  const all = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
  const codecs = all.filter((c) => c.mimeType.toLowerCase() === mimeType).sort((a, b) => Number(mode1(b)) - Number(mode1(a)));
  if (codecs.length === 0) throw new Error(`this browser cannot send ${codec}`);
  transceiver.setCodecPreferences([...codecs, ...all.filter((c) => c.mimeType.toLowerCase() === 'video/rtx')]);
}

/** Bit rate over the last ~1–2 s from cumulative byte counters. */
export class RateMeter {
  #samples = [];
  #kbps = 0;

  add(timestampMs, bytes) {
    const samples = this.#samples;
    if (samples.length && bytes < samples[samples.length - 1].bytes) samples.length = 0; // counter reset
    samples.push({ t: timestampMs, bytes });
    while (samples.length > 2 && samples[1].t <= timestampMs - 2000) samples.shift();
    const first = samples[0];
    const dt = timestampMs - first.t;
    // Back-to-back calls (page timer + window.canopy.state()) would give a noisy tiny window.
    if (dt >= 500) this.#kbps = Math.round(((bytes - first.bytes) * 8) / dt);
    return this.#kbps;
  }

  reset() {
    this.#samples = [];
    this.#kbps = 0;
  }
}

/** The video RTP stats entry of `type` plus its codec mimeType, from one getStats() call. */
export async function videoRtpStats(pc, type) {
  const report = await pc.getStats();
  let rtp = null;
  for (const s of report.values()) {
    if (s.type === type && s.kind === 'video') rtp = s;
  }
  const codec = rtp?.codecId ? (report.get(rtp.codecId)?.mimeType ?? '') : '';
  return { rtp, codec };
}

export function showError(err) {
  const line = $('error');
  line.textContent = err ? String(err.message ?? err) : '';
  line.hidden = !err;
  if (err) console.error(err);
}

export function setStatus(text) {
  $('status').textContent = text;
}

/** "39 s", "4 min 5 s", "2 h 10 min" (as the nodes word it). */
export function spoken(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** Fills a <dl id="stats"> from a flat object. */
export function renderStats(state) {
  const dl = $('stats');
  dl.replaceChildren(
    ...Object.entries(state).flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = k;
      dd.textContent = v === '' || v === null ? '—' : String(v);
      return [dt, dd];
    }),
  );
}

/** Runs `fn` now and then `ms` after each run completes, so slow runs never overlap. */
export function every(ms, fn) {
  const tick = async () => {
    try {
      await fn();
    } catch (err) {
      console.warn(err);
    }
    setTimeout(tick, ms);
  };
  tick();
}

/** The demo's tree.json, or null when the page is served without one. */
export async function loadTree() {
  try {
    const res = await fetch('tree.json', { cache: 'no-store' });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}
