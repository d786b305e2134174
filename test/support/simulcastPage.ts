/**
 * A Chromium simulcast publisher and a plain WHEP viewer driven inside any page served from
 * http://127.0.0.1 (the e2e ABR test and `npm run bench -- --only abr`). In-page code is passed
 * as source text: tsx's helpers (esbuild's __name) do not exist in the page.
 */
import type { Page } from 'playwright-core';

/** One simulcast encoding (RTCRtpEncodingParameters), lowest first as Chromium and OBS list them. */
export interface Encoding {
  rid: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

/** The issue's layers: about 120 kbit/s, 400 kbit/s and 1.2 Mbit/s from a 1280x720 camera. */
export const ISSUE_LAYERS: readonly Encoding[] = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 120_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 400_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/**
 * Publishes the fake camera (1280x720, video only: libdatachannel routes unsignalled layer
 * SSRCs only on a connection with one track, docs/abr.md) with these encodings over WHIP
 * (null: one encoding, no sendEncodings). Returns the answer SDP.
 */
export async function publishSimulcastPage(page: Page, whip: string, encodings: readonly Encoding[] | null = ISSUE_LAYERS): Promise<string> {
  return page.evaluate(`(async () => {
    const s = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
    const pc = new RTCPeerConnection();
    window.__pub = pc;
    const encodings = ${JSON.stringify(encodings)};
    pc.addTransceiver(s.getVideoTracks()[0], encodings ? { direction: 'sendonly', sendEncodings: encodings } : { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch(${JSON.stringify(whip)}, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp });
    if (res.status !== 201) throw new Error('WHIP ' + res.status + ': ' + (await res.text()));
    const answer = await res.text();
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    return answer;
  })()`) as Promise<string>;
}

/** What the publisher's page sends per rid (outbound-rtp). */
export async function publishedLayers(page: Page): Promise<Array<{ rid: string; frameWidth: number; bytesSent: number; packetsSent: number }>> {
  return page.evaluate(`(async () => {
    const out = [];
    (await window.__pub.getStats()).forEach((r) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video')
        out.push({ rid: String(r.rid), frameWidth: Number(r.frameWidth || 0), bytesSent: Number(r.bytesSent || 0), packetsSent: Number(r.packetsSent || 0) });
    });
    return out;
  })()`) as Promise<Array<{ rid: string; frameWidth: number; bytesSent: number; packetsSent: number }>>;
}

/**
 * Page script: the viewer's RTCPeerConnection (window.__view, as viewerStats reads it) playing
 * into a muted <video>; for the WHEP viewer here and the Janus anchor's (scripts/bench/janus-abr.ts).
 */
export const VIEWER_PAGE_SETUP = `const pc = new RTCPeerConnection();
    window.__view = pc;
    const v = document.createElement('video');
    v.muted = true; v.autoplay = true; v.playsInline = true;
    document.body.appendChild(v);
    pc.ontrack = (e) => { v.srcObject = new MediaStream([e.track]); v.play().catch(() => {}); };`;

/**
 * A WHEP viewer in the page (video only, into a muted <video>); returns the session URL
 * (the WHEP Location, for PATCH and GET).
 */
export async function watchPage(page: Page, whep: string): Promise<string> {
  return page.evaluate(`(async () => {
    ${VIEWER_PAGE_SETUP}
    pc.addTransceiver('video', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const whep = ${JSON.stringify(whep)};
    const res = await fetch(whep, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp });
    if (res.status !== 201) throw new Error('WHEP ' + res.status + ': ' + (await res.text()));
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    return new URL(res.headers.get('location'), whep).toString();
  })()`) as Promise<string>;
}

/** The page viewer's inbound-rtp video (getStats), with the page clock. */
export interface ViewerStats {
  at: number;
  connectionState: string;
  frameWidth: number;
  framesDecoded: number;
  freezeCount: number;
  totalFreezesDuration: number;
  pliCount: number;
  firCount: number;
  nackCount: number;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  ssrc: number;
}

export async function viewerStats(page: Page): Promise<ViewerStats | null> {
  return page.evaluate(`(async () => {
    const pc = window.__view;
    if (!pc) return null;
    let out = null;
    (await pc.getStats()).forEach((r) => {
      if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
      const n = (k) => Number(r[k] || 0);
      out = {
        at: performance.now(),
        connectionState: pc.connectionState,
        frameWidth: n('frameWidth'),
        framesDecoded: n('framesDecoded'),
        freezeCount: n('freezeCount'),
        totalFreezesDuration: n('totalFreezesDuration'),
        pliCount: n('pliCount'),
        firCount: n('firCount'),
        nackCount: n('nackCount'),
        packetsReceived: n('packetsReceived'),
        packetsLost: n('packetsLost'),
        bytesReceived: n('bytesReceived'),
        ssrc: n('ssrc'),
      };
    });
    return out;
  })()`) as Promise<ViewerStats | null>;
}

/** The viewer's remote description (to check what was negotiated, e.g. transport-cc). */
export async function viewerRemoteSdp(page: Page): Promise<string> {
  return page.evaluate(`(window.__view && window.__view.remoteDescription ? window.__view.remoteDescription.sdp : '')`) as Promise<string>;
}
