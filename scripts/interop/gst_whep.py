#!/usr/bin/python3
"""WHEP viewer built on GStreamer's webrtcbin (libnice ICE, its own DTLS/SRTP), for interop tests.

    /usr/bin/python3 scripts/interop/gst_whep.py http://127.0.0.1:8081/whep/live --seconds 5 [--audio]

Offers recvonly VP8 (and opus with --audio), non-trickle, gathers on 127.0.0.1 only
(webrtcbin's ICE agent, add-local-ip-address), decodes what arrives and counts decoded video
frames and audio buffers for --seconds after the first frame. Then DELETEs the session and
prints one JSON line: {"status": 201, "frames": n, "width": w, "height": h, "audio_buffers": m, ...}

Exit codes: 0 ok; 1 no video frame decoded; 2 POST not answered with 201; 3 no connection.
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


def http(method, url, body=None):
    req = urllib.request.Request(url, data=body.encode() if body else None, method=method, headers={"Content-Type": "application/sdp"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--audio", action="store_true")
    args = ap.parse_args()
    Gst.init(None)
    result = {"role": "whep", "stack": "gstreamer-webrtcbin " + Gst.version_string(), "frames": 0, "audio_buffers": 0, "width": 0, "height": 0}
    loop = GLib.MainLoop()
    pipe = Gst.Pipeline.new("whep")
    webrtc = Gst.ElementFactory.make("webrtcbin", "webrtc")
    webrtc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
    pipe.add(webrtc)
    # Loopback only: the server is on 127.0.0.1 and no traffic may leave it.
    webrtc.get_property("ice-agent").emit("add-local-ip-address", "127.0.0.1")
    recv = GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY
    webrtc.emit("add-transceiver", recv, Gst.caps_from_string("application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000"))
    if args.audio:
        webrtc.emit("add-transceiver", recv, Gst.caps_from_string("application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000"))
    state = {"first": None, "location": None}

    def finish(code):
        result["exit"] = code
        loop.quit()
        return False

    def on_buffer(sink, buf, pad, kind):
        if kind == "video":
            result["frames"] += 1
            s = pad.get_current_caps().get_structure(0)
            result["width"], result["height"] = s.get_value("width"), s.get_value("height")
            if state["first"] is None:
                state["first"] = time.monotonic()
                GLib.timeout_add(int(args.seconds * 1000), finish, 0)
        else:
            result["audio_buffers"] += 1

    def on_decoded(_dec, pad):
        name = pad.get_current_caps().get_structure(0).get_name()
        kind = "video" if name.startswith("video/") else "audio"
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("signal-handoffs", True)
        sink.set_property("sync", False)
        sink.connect("handoff", on_buffer, kind)
        pipe.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

    def on_pad(_w, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        dec = Gst.ElementFactory.make("decodebin")
        dec.connect("pad-added", on_decoded)
        pipe.add(dec)
        dec.sync_state_with_parent()
        pad.link(dec.get_static_pad("sink"))

    def post_offer():
        offer = webrtc.get_property("local-description").sdp.as_text()
        status, headers, body = http("POST", args.url, offer)
        result["status"] = status
        if status != 201:
            result["body"] = body[:200]
            GLib.idle_add(finish, 2)
            return
        state["location"] = urllib.parse.urljoin(args.url, headers.get("Location") or headers.get("location"))
        _, sdp = GstSdp.SDPMessage.new_from_text(body)
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, sdp)
        GLib.idle_add(lambda: webrtc.emit("set-remote-description", answer, Gst.Promise.new()) and False)

    def on_gathering(_w, _p):
        if webrtc.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE and "status" not in result:
            result["status"] = 0
            threading.Thread(target=post_offer, daemon=True).start()

    def on_offer(promise, _):
        offer = promise.get_reply().get_value("offer")
        webrtc.emit("set-local-description", offer, Gst.Promise.new())

    def on_negotiation(_w):
        webrtc.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer, None))

    webrtc.connect("on-negotiation-needed", on_negotiation)
    webrtc.connect("pad-added", on_pad)
    webrtc.connect("notify::ice-gathering-state", on_gathering)
    pipe.set_state(Gst.State.PLAYING)
    GLib.timeout_add(20000, lambda: finish(3) if state["first"] is None else False)
    loop.run()
    result["ice"] = str(webrtc.get_property("ice-connection-state"))
    pipe.set_state(Gst.State.NULL)
    if state["location"]:
        result["delete_status"] = http("DELETE", state["location"])[0]
    code = result.pop("exit", 3)
    if code == 0 and result["frames"] == 0:
        code = 1
    print(json.dumps(result), flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
