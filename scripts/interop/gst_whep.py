#!/usr/bin/python3
"""WHEP viewer built on GStreamer's webrtcbin (libnice ICE, GStreamer's DTLS/SRTP), for interop tests.

    /usr/bin/python3 scripts/interop/gst_whep.py http://127.0.0.1:8081/whep/live --seconds 4 [--audio]

Adds recvonly transceivers (VP8 video, and opus with --audio) before asking for the offer (an
offer from webrtcbin without transceivers has no m-lines), waits for ICE gathering to complete
(non-trickle WHEP, RFC 9725 §4.1), POSTs it, applies the answer, and counts for --seconds after
the first decoded frame: RTP buffers out of webrtcbin and frames out of the decoder. Everything
webrtcbin does happens on its own threads; its promises and signals are handed to one GLib main
loop, without which the promise callbacks would never run. Prints one JSON line:

    {"status": 201, "frames": n, "width": w, "height": h, "rtp": {"video": k, "audio": m}, ...}

Exit codes: 0 ok; 1 no video frame decoded; 2 POST not answered with 201; 3 no offer or no connection.
Needs gstreamer1.0-nice, gstreamer1.0-plugins-bad (webrtcbin), -good (VP8 depay), -base (opus), python3-gi,
gir1.2-gst-plugins-bad-1.0 (GstWebRTC).
"""

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

VIDEO_CAPS = "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000"
AUDIO_CAPS = "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=(string)2"


def log(msg):
    print(f"gst-whep: {msg}", file=sys.stderr, flush=True)


def http(method, url, body=None, headers=None, timeout=10.0):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")


def is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


class Viewer:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.result = {"role": "whep", "client": "gstreamer-webrtcbin", "gst": Gst.version_string(), "url": args.url, "audio": args.audio}
        self.code = 0
        self.lock = threading.Lock()
        self.rtp = {"video": 0, "audio": 0}
        self.frames = 0
        self.audio_frames = 0
        self.width = 0
        self.height = 0
        self.first_frame_at = None
        self.session_url = None
        self.posted = False
        self.t0 = time.monotonic()

        self.pipe = Gst.Pipeline.new("whep")
        self.webrtc = Gst.ElementFactory.make("webrtcbin", "webrtc")
        self.webrtc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        self.pipe.add(self.webrtc)
        # Recvonly transceivers with their codecs, before the offer is made.
        self.webrtc.emit("add-transceiver", GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY, Gst.Caps.from_string(VIDEO_CAPS))
        if args.audio:
            self.webrtc.emit("add-transceiver", GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY, Gst.Caps.from_string(AUDIO_CAPS))
        # libnice skips loopback interfaces when it gathers; against a server on 127.0.0.1 (and
        # on a machine with only lo) give it the address to use, as aiortc's test does.
        local = args.local_address or (urllib.parse.urlsplit(args.url).hostname if is_loopback(args.url) else None)
        if local:
            # Keep the wrapper: PyGObject mis-counts this transfer-none property, and a collected
            # wrapper would drop webrtcbin's own reference to its ICE agent.
            self.ice = self.webrtc.get_property("ice-agent")
            self.ice.emit("add-local-ip-address", local)
        self.webrtc.connect("pad-added", self.on_pad)
        self.webrtc.connect("notify::ice-gathering-state", self.on_gathering)
        self.webrtc.connect("notify::connection-state", self.on_connection)
        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_error)

    # ---- signalling ----
    def start(self):
        self.pipe.set_state(Gst.State.PLAYING)
        promise = Gst.Promise.new_with_change_func(self.on_offer, None)
        self.webrtc.emit("create-offer", None, promise)
        GLib.timeout_add(int(self.args.connect_timeout * 1000), self.on_timeout)

    def on_offer(self, promise, _data):
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None else None
        if offer is None:
            GLib.idle_add(self.fail, 3, f"webrtcbin made no offer ({reply.to_string() if reply else 'no reply'})")
            return
        self.webrtc.emit("set-local-description", offer, Gst.Promise.new())
        # A gathering that completed before the notify handler could see it: check once here too.
        GLib.timeout_add(50, self.maybe_post)

    def on_gathering(self, *_):
        GLib.idle_add(self.maybe_post)

    def maybe_post(self):
        if self.posted:
            return False
        state = self.webrtc.get_property("ice-gathering-state")
        local = self.webrtc.get_property("local-description")
        if local is None or state != GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            # Gathering without STUN servers ends in a moment; don't wait on it beyond 3 s.
            if local is None or time.monotonic() - self.t0 < 3:
                return state != GstWebRTC.WebRTCICEGatheringState.COMPLETE and local is not None
        self.posted = True
        offer = local.sdp.as_text()
        self.result["offer_candidates"] = sum(1 for l in offer.splitlines() if l.startswith("a=candidate:"))
        if self.args.dump_sdp:
            log("offer\n" + offer)
        headers = {"Content-Type": "application/sdp"}
        if self.args.token:
            headers["Authorization"] = f"Bearer {self.args.token}"
        try:
            status, rheaders, body = http("POST", self.args.url, offer, headers)
        except Exception as e:  # noqa: BLE001 - report any transport failure
            self.fail(2, f"POST failed: {type(e).__name__}: {e}")
            return False
        self.result["status"] = status
        if status != 201:
            self.fail(2, body.strip()[:500])
            return False
        if self.args.dump_sdp:
            log("answer\n" + body)
        location = rheaders.get("location")
        self.session_url = urllib.parse.urljoin(self.args.url, location) if location else None
        res, msg = GstSdp.SDPMessage.new_from_text(body)
        if res != GstSdp.SDPResult.OK:
            self.fail(3, "the answer does not parse")
            return False
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self.webrtc.emit("set-remote-description", answer, Gst.Promise.new())
        self.t_answer = time.monotonic()
        return False

    def on_connection(self, *_):
        state = self.webrtc.get_property("connection-state")
        log(f"connection state {state.value_nick}")
        if state == GstWebRTC.WebRTCPeerConnectionState.CONNECTED and "connect_ms" not in self.result:
            self.result["connect_ms"] = round((time.monotonic() - getattr(self, "t_answer", self.t0)) * 1000)
        if state == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            GLib.idle_add(self.fail, 3, "connection failed")

    # ---- media ----
    def on_pad(self, _element, pad):
        if pad.direction != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        kind = caps.get_structure(0).get_string("media") or "video"
        log(f"pad {pad.get_name()} {kind}")

        def count_rtp(_pad, info):
            with self.lock:
                self.rtp[kind] = self.rtp.get(kind, 0) + 1
            return Gst.PadProbeReturn.OK

        pad.add_probe(Gst.PadProbeType.BUFFER, count_rtp)
        decode = Gst.ElementFactory.make("decodebin")
        decode.connect("pad-added", self.on_decoded_pad)
        self.pipe.add(decode)
        decode.sync_state_with_parent()
        pad.link(decode.get_static_pad("sink"))

    def on_decoded_pad(self, _decode, pad):
        caps = pad.get_current_caps() or pad.query_caps(None)
        name = caps.get_structure(0).get_name()
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        sink.set_property("signal-handoffs", True)
        video = name.startswith("video/")
        sink.connect("handoff", self.on_video_frame if video else self.on_audio_frame)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

    def on_video_frame(self, _sink, _buffer, pad):
        with self.lock:
            self.frames += 1
            if self.first_frame_at is None:
                self.first_frame_at = time.monotonic()
                caps = pad.get_current_caps()
                if caps:
                    s = caps.get_structure(0)
                    self.width = s.get_int("width")[1]
                    self.height = s.get_int("height")[1]
                GLib.idle_add(self.on_first_frame)

    def on_audio_frame(self, *_):
        with self.lock:
            self.audio_frames += 1

    def on_first_frame(self):
        log("first frame decoded")
        self.result["first_frame_s"] = round(self.first_frame_at - self.t0, 3)
        GLib.timeout_add(int(self.args.seconds * 1000), self.finish)
        return False

    # ---- the end ----
    def on_timeout(self):
        if self.first_frame_at is None:
            self.fail(3 if "connect_ms" not in self.result else 1, f"no frame decoded within {self.args.connect_timeout}s")
        return False

    def on_error(self, _bus, msg):
        err, dbg = msg.parse_error()
        log(f"pipeline error: {err.message} ({dbg})")

    def fail(self, code, why):
        if self.code == 0:
            self.code = code
            self.result["error"] = why
        self.finish()
        return False

    def finish(self):
        if self.loop.is_running():
            self.loop.quit()
        return False

    def run(self):
        GLib.idle_add(lambda: (self.start(), False)[1])
        self.loop.run()
        if self.session_url:
            try:
                self.result["delete_status"] = http("DELETE", self.session_url, None, {"Authorization": f"Bearer {self.args.token}"} if self.args.token else {})[0]
            except Exception as e:  # noqa: BLE001
                self.result["delete_status"] = f"{type(e).__name__}: {e}"
        self.pipe.set_state(Gst.State.NULL)
        with self.lock:
            self.result.update(frames=self.frames, width=self.width, height=self.height, audio_frames=self.audio_frames, rtp=dict(self.rtp))
        if self.code == 0 and self.frames == 0:
            self.code = 1
            self.result["error"] = "no video frame decoded"
        print(json.dumps(self.result, sort_keys=True), flush=True)
        return self.code


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url", help="WHEP endpoint, e.g. http://127.0.0.1:8081/whep/live")
    p.add_argument("--seconds", type=float, default=4.0, help="how long to receive after the first decoded frame")
    p.add_argument("--audio", action="store_true", help="also receive opus")
    p.add_argument("--token", help="Bearer token")
    p.add_argument("--connect-timeout", type=float, default=20.0, help="seconds until the first decoded frame")
    p.add_argument("--local-address", help="the address libnice gathers on (default: the URL's host when it is loopback)")
    p.add_argument("--dump-sdp", action="store_true")
    args = p.parse_args(argv)
    Gst.init(None)
    return Viewer(args).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
