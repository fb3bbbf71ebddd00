#!/usr/bin/python3
"""A real RTSP server for the tests (GStreamer's gst-rtsp-server, from Debian's packages): serves a live 320x240
30 fps test pattern as RTP/JPEG at rtsp://127.0.0.1:PORT/live over the lower transports given (udp, tcp or both).

usage: rtsp-server.py PORT udp|tcp|udp,tcp
Prints "ready" once it listens; runs until killed.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

port, transports = sys.argv[1], sys.argv[2].split(",")
Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 "
                   "! jpegenc quality=70 ! rtpjpegpay name=pay0 pt=26 )")
factory.set_shared(True)
mask = GstRtsp.RTSPLowerTrans(0)
if "udp" in transports:
    mask |= GstRtsp.RTSPLowerTrans.UDP
if "tcp" in transports:
    mask |= GstRtsp.RTSPLowerTrans.TCP
factory.set_protocols(mask)
server.get_mount_points().add_factory("/live", factory)
if server.attach(None) == 0:
    sys.exit("cannot listen on port " + port)
print("ready", flush=True)
GLib.MainLoop().run()
