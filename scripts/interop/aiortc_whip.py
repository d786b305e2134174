#!/usr/bin/python3
"""WHIP publisher built on aiortc (a WebRTC stack other than Canopy's), for interop tests.

    /usr/bin/python3 scripts/interop/aiortc_whip.py http://127.0.0.1:8080/whip/live --seconds 10 [--audio]

Publishes generated video (moving colour bars; VP8 forced with setCodecPreferences, or
--video-codec H264) and optionally a 440 Hz sine (opus), with a complete non-trickle offer
(aiortc gathers before setLocalDescription returns). Streams for --seconds once connected
(or until SIGTERM / SIGINT), DELETEs the session and prints one JSON line on stdout with what
it sent. Progress goes to stderr; "whip: connected" once the ICE+DTLS connection is up.

Exit codes: 0 ok; 2 POST not answered with 201; 3 no connection; 4 nothing sent.
"""

import argparse
import asyncio
import fractions
import signal
import sys
import time
import urllib.parse

import numpy as np
from aiortc import RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack
from av import AudioFrame, VideoFrame

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
from _common import (  # noqa: E402
    allow_loopback_candidates,
    add_opus_fmtp,
    answer_codecs,
    codec_capabilities,
    emit,
    http_client_name,
    http_request,
    is_loopback_url,
    log,
    new_peer_connection,
)


class MovingBarsTrack(VideoStreamTrack):
    """Colour bars scrolling one step per frame, with a frame counter drawn as a moving block."""

    def __init__(self, width, height, fps):
        super().__init__()
        self.width, self.height, self.fps = width, height, fps
        self.frames = 0
        x = np.arange(width)
        bars = np.zeros((height, width, 3), np.uint8)
        palette = np.array(
            [[255, 255, 255], [255, 255, 0], [0, 255, 255], [0, 255, 0], [255, 0, 255], [255, 0, 0], [0, 0, 255], [0, 0, 0]],
            np.uint8,
        )
        bars[:, :, :] = palette[(x * 8) // width][None, :, :]
        self.base = bars
        self._t0 = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._t0 is None:
            self._t0 = time.monotonic()
        else:
            wait = self._t0 + self.frames / self.fps - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        n = self.frames
        img = np.roll(self.base, (n * 4) % self.width, axis=1)
        bs = max(8, self.height // 8)
        y = (n * 3) % max(1, self.height - bs)
        img[y : y + bs, : bs] = (n * 7) % 256
        frame = VideoFrame.from_ndarray(img, format="rgb24")
        frame.pts = int(n * 90000 / self.fps)
        frame.time_base = fractions.Fraction(1, 90000)
        self.frames += 1
        return frame


class SineTrack(AudioStreamTrack):
    """440 Hz sine, 48 kHz mono, 20 ms frames."""

    RATE = 48000
    SAMPLES = 960

    def __init__(self, freq=440.0):
        super().__init__()
        self.freq = freq
        self.frames = 0
        self._t0 = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._t0 is None:
            self._t0 = time.monotonic()
        else:
            wait = self._t0 + self.frames * self.SAMPLES / self.RATE - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        start = self.frames * self.SAMPLES
        t = (np.arange(start, start + self.SAMPLES) / self.RATE).astype(np.float64)
        samples = (np.sin(2 * np.pi * self.freq * t) * 8000).astype(np.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.RATE
        frame.pts = start
        frame.time_base = fractions.Fraction(1, self.RATE)
        self.frames += 1
        return frame


async def outbound_stats(pc):
    out = {}
    try:
        report = await pc.getStats()
    except Exception as e:  # stats are informative only
        return {"error": str(e)}
    for s in report.values():
        if getattr(s, "type", None) == "outbound-rtp":
            out[s.kind] = {"packets": s.packetsSent, "bytes": s.bytesSent, "ssrc": s.ssrc}
    return out


async def main(args):
    if args.loopback == "on" or (args.loopback == "auto" and is_loopback_url(args.url)):
        allow_loopback_candidates()
    result = {
        "role": "whip",
        "url": args.url,
        "audio": args.audio,
        "http": http_client_name(),
    }
    pc = new_peer_connection()
    video = MovingBarsTrack(args.width, args.height, args.fps)
    audio = SineTrack() if args.audio else None
    connected = asyncio.Event()
    failed = asyncio.Event()

    @pc.on("connectionstatechange")
    async def on_state():
        log(f"whip: connection state {pc.connectionState}")
        if pc.connectionState == "connected":
            connected.set()
        elif pc.connectionState in ("failed", "closed"):
            failed.set()

    vt = pc.addTransceiver(video, direction="sendonly")
    vt.setCodecPreferences(codec_capabilities("video", args.video_codec))
    if audio is not None:
        at = pc.addTransceiver(audio, direction="sendonly")
        at.setCodecPreferences(codec_capabilities("audio", "opus"))

    await pc.setLocalDescription(await pc.createOffer())  # gathers: the offer is complete
    offer = pc.localDescription.sdp
    if args.opus_fmtp:
        offer = add_opus_fmtp(offer, args.opus_fmtp)
    result["offer_candidates"] = sum(1 for l in offer.splitlines() if l.startswith("a=candidate:"))
    if args.dump_sdp:
        log("whip: offer\n" + offer)

    headers = {"Content-Type": "application/sdp"}
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    status, rheaders, body = await http_request("POST", args.url, offer, headers)
    result["status"] = status
    if status != 201:
        result["error"] = body.strip()[:500]
        await pc.close()
        emit(result)
        return 2
    if args.dump_sdp:
        log("whip: answer\n" + body)
    location = rheaders.get("location")
    session_url = urllib.parse.urljoin(args.url, location) if location else None
    result["location"] = location
    result["answer_media"] = answer_codecs(body)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    code = 0
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="answer"))
        t0 = time.monotonic()
        done, _ = await asyncio.wait(
            [asyncio.ensure_future(connected.wait()), asyncio.ensure_future(failed.wait()), asyncio.ensure_future(stop.wait())],
            timeout=args.connect_timeout,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if not connected.is_set():
            result["error"] = f"not connected ({pc.connectionState}) after {time.monotonic() - t0:.1f}s"
            code = 3
        else:
            result["connect_ms"] = round((time.monotonic() - t0) * 1000)
            log("whip: connected")
            try:
                await asyncio.wait_for(stop.wait(), timeout=args.seconds)
                result["stopped_by_signal"] = True
            except asyncio.TimeoutError:
                pass
    except Exception as e:
        result["error"] = f"{type(e).__name__}: {e}"
        code = 3
    finally:
        result["video_frames"] = video.frames
        result["width"], result["height"], result["fps"] = args.width, args.height, args.fps
        result["audio_frames"] = audio.frames if audio is not None else 0
        result["sent"] = await outbound_stats(pc)
        if session_url:
            try:
                dstatus, _, _ = await http_request("DELETE", session_url, None, {"Authorization": f"Bearer {args.token}"} if args.token else {})
                result["delete_status"] = dstatus
            except Exception as e:
                result["delete_status"] = f"{type(e).__name__}: {e}"
        await pc.close()
    if code == 0 and result["sent"].get("video", {}).get("packets", 0) == 0:
        result["error"] = "no video packets sent"
        code = 4
    emit(result)
    return code


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url", help="WHIP endpoint, e.g. http://127.0.0.1:8080/whip/live")
    p.add_argument("--seconds", type=float, default=10.0, help="how long to stream once connected (default 10)")
    p.add_argument("--audio", action="store_true", help="also send a sine tone (opus)")
    p.add_argument("--video-codec", default="VP8", help="video codec to force (VP8 or H264; default VP8)")
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--token", help="Bearer token")
    p.add_argument("--connect-timeout", type=float, default=15.0)
    p.add_argument(
        "--loopback",
        choices=["auto", "on", "off"],
        default="auto",
        help="also gather a 127.0.0.1 host candidate (aioice skips it); auto = when the URL host is loopback",
    )
    p.add_argument(
        "--opus-fmtp",
        help="diagnostic: add this a=fmtp to the offered opus (aiortc offers none), e.g. 'minptime=10;useinbandfec=1'",
    )
    p.add_argument("--dump-sdp", action="store_true", help="print offer and answer on stderr")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(sys.argv[1:]))))
