"""Shared helpers for the aiortc interop scripts (WHIP publisher, WHEP viewer).

Runs with Debian's aiortc 1.4.0 (python3-aiortc) on /usr/bin/python3. HTTP goes through
aiohttp when it is importable (python3-aiohttp), else through urllib in a worker thread.
"""

import asyncio
import ipaddress
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

try:  # optional: python3-aiohttp
    import aiohttp  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    aiohttp = None

from aiortc import RTCConfiguration, RTCPeerConnection
from aiortc.rtcrtpsender import RTCRtpSender


def http_client_name():
    return "aiohttp" if aiohttp is not None else "urllib"


async def http_request(method, url, body=None, headers=None, timeout=10.0):
    """Returns (status, headers dict with lower-case names, body text). Never raises on HTTP status."""
    headers = dict(headers or {})
    data = body.encode() if isinstance(body, str) else body
    if aiohttp is not None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as s:
            async with s.request(method, url, data=data, headers=headers) as r:
                text = await r.text()
                return r.status, {k.lower(): v for k, v in r.headers.items()}, text

    def blocking():
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")

    return await asyncio.to_thread(blocking)


def is_loopback_url(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allow_loopback_candidates():
    """aioice never gathers 127.0.0.1 / ::1 host candidates. Against a server on loopback that
    only works through peer-reflexive candidates from another local interface, and not at all
    on a machine whose only interface is lo (e.g. a network-less CI container). Add them."""
    import aioice.ice

    original = aioice.ice.get_host_addresses
    if getattr(original, "_canopy_loopback", False):
        return

    def with_loopback(use_ipv4, use_ipv6):
        addrs = list(original(use_ipv4, use_ipv6))
        if use_ipv4 and "127.0.0.1" not in addrs:
            addrs.insert(0, "127.0.0.1")
        return addrs

    with_loopback._canopy_loopback = True
    aioice.ice.get_host_addresses = with_loopback


def new_peer_connection():
    # No iceServers: aiortc would otherwise default to stun.l.google.com (offline machines stall).
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


def codec_capabilities(kind, name):
    """aiortc's capabilities for `kind` restricted to codec `name` (e.g. 'VP8', 'opus'); no RTX."""
    caps = RTCRtpSender.getCapabilities(kind).codecs
    chosen = [c for c in caps if c.mimeType.lower() == f"{kind}/{name}".lower()]
    if not chosen:
        raise SystemExit(f"aiortc has no {kind} codec {name}: {[c.mimeType for c in caps]}")
    return chosen


def answer_codecs(sdp):
    """Per m-line of an SDP, in order: {kind, port, direction, codecs (rtpmap names)}."""
    out = []
    for line in sdp.splitlines():
        if line.startswith("m="):
            f = line[2:].split(" ")
            out.append({"kind": f[0], "port": f[1], "direction": "sendrecv", "codecs": []})
        elif not out:
            continue
        elif line.startswith("a=rtpmap:"):
            out[-1]["codecs"].append(line.split(" ", 1)[1].split("/")[0])
        elif line in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"):
            out[-1]["direction"] = line[2:]
    return out


def add_opus_fmtp(sdp, fmtp):
    """Adds `a=fmtp:<pt> <fmtp>` after every opus rtpmap that has no fmtp line. aiortc 1.4.0 offers
    opus without one (browsers always send one); diagnostic switch only (--opus-fmtp)."""
    lines = sdp.split("\r\n")
    have = {l.split(" ")[0][len("a=fmtp:"):] for l in lines if l.startswith("a=fmtp:")}
    out = []
    for l in lines:
        out.append(l)
        if l.startswith("a=rtpmap:") and " opus/" in l.lower():
            pt = l[len("a=rtpmap:"):].split(" ")[0]
            if pt not in have:
                out.append(f"a=fmtp:{pt} {fmtp}")
    return "\r\n".join(out)


def emit(result):
    print(json.dumps(result, sort_keys=True), flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)
