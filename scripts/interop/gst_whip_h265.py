#!/usr/bin/python3
"""WHIP publisher of H.265 built on GStreamer's webrtcbin (x265enc, rtph265pay), for interop tests.

    /usr/bin/python3 scripts/interop/gst_whip_h265.py http://127.0.0.1:8080/whip/cam --seconds 10

Chromium's headless software encoders cannot send H.265 over WebRTC; GStreamer can: a test
pattern (640x360, 30 fps) encoded by x265 (a keyframe a second), packetized by RFC 7798, sent
sendonly. Like libwebrtc's senders, every keyframe is an IDR with its VPS/SPS/PPS in band
(x265's repeat-headers; its default CRA keyframes without parameter sets after the first
could not start a decoder that joined later). It makes the offer, waits for ICE gathering (non-trickle WHIP, RFC 9725 §4.1), POSTs
it, applies the answer, sends for --seconds after connecting, then DELETEs the session. Prints
one JSON line: {"status": 201, "answer_h265": true, "connected": true, "rtp": n, ...}.

Exit codes: 0 ok; 2 POST not answered with 201; 3 no offer or no connection; 4 the answer dropped H265.
Needs gstreamer1.0-nice, -plugins-bad (webrtcbin), -plugins-good (rtph265pay), -ugly (x265enc), python3-gi.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

PIPELINE = (
    "webrtcbin name=w bundle-policy=max-bundle "
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1 ! "
    "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=500 option-string=repeat-headers=1:open-gop=0 ! video/x-h265,profile=main ! "
    "rtph265pay config-interval=-1 name=pay ! "
    "application/x-rtp,media=video,encoding-name=H265,payload=96,clock-rate=90000 ! w."
)


def log(msg):
    print(f"gst-whip-h265: {msg}", file=sys.stderr, flush=True)


def http(method, url, body=None, headers=None, timeout=10.0):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")


class Publisher:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.result = {"role": "whip", "client": "gstreamer-webrtcbin", "codec": "H265", "gst": Gst.version_string()}
        self.code = 0
        self.rtp = 0
        self.posted = False
        self.session_url = None
        self.t0 = time.monotonic()
        self.pipe = Gst.parse_launch(PIPELINE)
        self.webrtc = self.pipe.get_by_name("w")
        host = urllib.parse.urlsplit(args.url).hostname
        # libnice skips loopback interfaces when it gathers: give it the server's address.
        self.ice = self.webrtc.get_property("ice-agent")
        self.ice.emit("add-local-ip-address", args.local_address or host)
        self.webrtc.connect("on-negotiation-needed", lambda *_: None)
        self.webrtc.connect("notify::ice-gathering-state", lambda *_: GLib.idle_add(self.maybe_post))
        self.webrtc.connect("notify::connection-state", self.on_connection)
        pay = self.pipe.get_by_name("pay")
        pay.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self.count)
        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", lambda _b, m: GLib.idle_add(self.fail, 3, str(m.parse_error()[0])))

    def count(self, _pad, _info):
        self.rtp += 1
        return Gst.PadProbeReturn.OK

    def start(self):
        self.pipe.set_state(Gst.State.PLAYING)
        t = self.webrtc.emit("get-transceiver", 0)
        if t is not None:
            t.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        promise = Gst.Promise.new_with_change_func(self.on_offer, None)
        self.webrtc.emit("create-offer", None, promise)
        GLib.timeout_add(int(self.args.connect_timeout * 1000), self.on_timeout)

    def on_offer(self, promise, _data):
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None else None
        if offer is None:
            GLib.idle_add(self.fail, 3, "webrtcbin made no offer")
            return
        self.webrtc.emit("set-local-description", offer, Gst.Promise.new())
        GLib.timeout_add(50, self.maybe_post)

    def maybe_post(self):
        if self.posted:
            return False
        state = self.webrtc.get_property("ice-gathering-state")
        local = self.webrtc.get_property("local-description")
        if local is None:
            return True
        if state != GstWebRTC.WebRTCICEGatheringState.COMPLETE and time.monotonic() - self.t0 < 3:
            return True
        self.posted = True
        offer = local.sdp.as_text()
        if self.args.dump_sdp:
            log("offer\n" + offer)
        self.result["offer_fmtp"] = [l for l in offer.splitlines() if l.startswith("a=fmtp:")]
        status, headers, body = http("POST", self.args.url, offer, {"Content-Type": "application/sdp"})
        self.result["status"] = status
        if status != 201:
            self.fail(2, body.strip()[:300])
            return False
        if self.args.dump_sdp:
            log("answer\n" + body)
        rtpmap = [l for l in body.splitlines() if l.startswith("a=rtpmap:")]
        self.result["answer_rtpmap"] = rtpmap
        self.result["answer_fmtp"] = [l for l in body.splitlines() if l.startswith("a=fmtp:")]
        self.result["answer_h265"] = any("H265/90000" in l for l in rtpmap)
        if not self.result["answer_h265"]:
            self.fail(4, "the answer has no H265")
            return False
        loc = headers.get("location")
        self.session_url = urllib.parse.urljoin(self.args.url, loc) if loc else None
        _res, msg = GstSdp.SDPMessage.new_from_text(body)
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self.webrtc.emit("set-remote-description", answer, Gst.Promise.new())
        return False

    def on_connection(self, *_):
        state = self.webrtc.get_property("connection-state")
        log(f"connection state {state.value_nick}")
        if state == GstWebRTC.WebRTCPeerConnectionState.CONNECTED and not self.result.get("connected"):
            self.result["connected"] = True
            self.result["connect_ms"] = round((time.monotonic() - self.t0) * 1000)
            GLib.timeout_add(int(self.args.seconds * 1000), self.finish)
        if state == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            GLib.idle_add(self.fail, 3, "connection failed")

    def on_timeout(self):
        if not self.result.get("connected"):
            self.fail(3, "no connection in time")
        return False

    def finish(self):
        self.result["rtp"] = self.rtp
        if self.session_url:
            try:
                http("DELETE", self.session_url)
            except Exception:  # noqa: BLE001
                pass
        self.loop.quit()
        return False

    def fail(self, code, why):
        if self.code == 0:
            self.code = code
            self.result["error"] = why
            log(why)
        self.loop.quit()
        return False

    def run(self):
        self.start()
        self.loop.run()
        self.pipe.set_state(Gst.State.NULL)
        self.result["rtp"] = self.rtp
        print(json.dumps(self.result), flush=True)
        return self.code


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connect-timeout", type=float, default=15)
    ap.add_argument("--local-address")
    ap.add_argument("--dump-sdp", action="store_true")
    args = ap.parse_args()
    Gst.init(None)
    sys.exit(Publisher(args).run())


if __name__ == "__main__":
    main()
