#!/usr/bin/python3
"""WHEP viewer built on aiortc (a WebRTC stack other than Canopy's), for interop tests.

    /usr/bin/python3 scripts/interop/aiortc_whep.py http://127.0.0.1:8081/whep/live --seconds 5 [--audio]

Offers recvonly video (and audio with --audio), non-trickle, and counts the frames aiortc
decodes (track.recv() returns decoded av frames) for --seconds after the connection is up.
Then DELETEs the session and prints one JSON line on stdout:

    {"frames": n, "width": w, "height": h, "audio_frames": m, ...}

Exit codes: 0 ok; 1 no video frame decoded; 2 POST not answered with 201; 3 no connection.
"""

import argparse
import asyncio
import sys
import time
import urllib.parse

from aiortc import RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

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


class Counter:
    def __init__(self):
        self.frames = 0
        self.width = 0
        self.height = 0
        self.sizes = set()
        self.first_frame_at = None
        self.sample_rate = 0


async def consume(track, counter, t0):
    try:
        while True:
            frame = await track.recv()
            counter.frames += 1
            if counter.first_frame_at is None:
                counter.first_frame_at = time.monotonic() - t0
            if track.kind == "video":
                counter.width, counter.height = frame.width, frame.height
                counter.sizes.add(f"{frame.width}x{frame.height}")
            else:
                counter.sample_rate = frame.sample_rate
    except MediaStreamError:
        pass


async def inbound_stats(pc):
    out = {}
    try:
        report = await pc.getStats()
    except Exception as e:
        return {"error": str(e)}
    for s in report.values():
        if getattr(s, "type", None) == "inbound-rtp":
            out[s.kind] = {"packets": s.packetsReceived, "lost": s.packetsLost, "ssrc": s.ssrc}
    return out


async def main(args):
    if args.loopback == "on" or (args.loopback == "auto" and is_loopback_url(args.url)):
        allow_loopback_candidates()
    result = {"role": "whep", "url": args.url, "audio": args.audio, "http": http_client_name()}
    video, audio = Counter(), Counter()
    pc = new_peer_connection()
    connected = asyncio.Event()
    failed = asyncio.Event()
    consumers = []
    t0 = time.monotonic()

    @pc.on("connectionstatechange")
    async def on_state():
        log(f"whep: connection state {pc.connectionState}")
        if pc.connectionState == "connected":
            connected.set()
        elif pc.connectionState in ("failed", "closed"):
            failed.set()

    @pc.on("track")
    def on_track(track):
        log(f"whep: track {track.kind}")
        consumers.append(asyncio.ensure_future(consume(track, video if track.kind == "video" else audio, t0)))

    vt = pc.addTransceiver("video", direction="recvonly")
    if args.video_codec != "all":
        vt.setCodecPreferences(codec_capabilities("video", args.video_codec))
    if args.audio:
        at = pc.addTransceiver("audio", direction="recvonly")
        if args.audio_codec != "all":
            at.setCodecPreferences(codec_capabilities("audio", args.audio_codec))

    await pc.setLocalDescription(await pc.createOffer())  # gathers: the offer is complete
    offer = pc.localDescription.sdp
    if args.opus_fmtp:
        offer = add_opus_fmtp(offer, args.opus_fmtp)
    result["offer_candidates"] = sum(1 for l in offer.splitlines() if l.startswith("a=candidate:"))
    if args.dump_sdp:
        log("whep: offer\n" + offer)

    headers = {"Content-Type": "application/sdp"}
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    status, rheaders, body = await http_request("POST", args.url, offer, headers)
    result["status"] = status
    if status != 201:
        result["error"] = body.strip()[:500]
        result.update(frames=0, width=0, height=0, audio_frames=0)
        await pc.close()
        emit(result)
        return 2
    if args.dump_sdp:
        log("whep: answer\n" + body)
    location = rheaders.get("location")
    session_url = urllib.parse.urljoin(args.url, location) if location else None
    result["location"] = location
    result["answer_media"] = answer_codecs(body)

    code = 0
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="answer"))
        t1 = time.monotonic()
        await asyncio.wait(
            [asyncio.ensure_future(connected.wait()), asyncio.ensure_future(failed.wait())],
            timeout=args.connect_timeout,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if not connected.is_set():
            result["error"] = f"not connected ({pc.connectionState}) after {time.monotonic() - t1:.1f}s"
            code = 3
        else:
            result["connect_ms"] = round((time.monotonic() - t1) * 1000)
            log("whep: connected")
            await asyncio.sleep(args.seconds)
    except Exception as e:
        result["error"] = f"{type(e).__name__}: {e}"
        code = 3
    finally:
        result["received"] = await inbound_stats(pc)
        if session_url:
            try:
                dstatus, _, _ = await http_request("DELETE", session_url, None, {"Authorization": f"Bearer {args.token}"} if args.token else {})
                result["delete_status"] = dstatus
            except Exception as e:
                result["delete_status"] = f"{type(e).__name__}: {e}"
        await pc.close()
        for c in consumers:
            c.cancel()
    result.update(
        frames=video.frames,
        width=video.width,
        height=video.height,
        sizes=sorted(video.sizes),
        first_frame_s=None if video.first_frame_at is None else round(video.first_frame_at, 3),
        audio_frames=audio.frames,
        audio_sample_rate=audio.sample_rate,
    )
    if code == 0 and video.frames == 0:
        result["error"] = "no video frame decoded"
        code = 1
    emit(result)
    return code


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url", help="WHEP endpoint, e.g. http://127.0.0.1:8081/whep/live")
    p.add_argument("--seconds", type=float, default=5.0, help="how long to receive once connected (default 5)")
    p.add_argument("--audio", action="store_true", help="also receive audio")
    p.add_argument(
        "--video-codec",
        default="VP8",
        help="offer only this video codec (VP8, H264), or 'all' for aiortc's default list (VP8, rtx, H264 ...)",
    )
    p.add_argument("--audio-codec", default="opus", help="offer only this audio codec, or 'all' (opus, PCMU, PCMA)")
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
