#!/usr/bin/python3
"""Swarm benchmark tracker: a plain BEP 3/23 tracker for 127.0.0.1 that logs every announce.

usage: tracker.py LISTEN_PORT LOG_FILE [INTERVAL]
Every announce gets every other live peer (compact form) and an INTERVAL s interval (default 5);
each announce is
appended to LOG_FILE as "port event uploaded downloaded left infohash", so the benchmark can read what
the seeder says it uploaded (its final, 'stopped' announce) whichever client it is.
"""
import http.server
import struct
import sys
import threading
import urllib.parse

LISTEN, LOG = int(sys.argv[1]), sys.argv[2]
INTERVAL = int(sys.argv[3]) if len(sys.argv) > 3 else 5
peers = {}  # info_hash -> set of ports
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True,
                                  encoding='latin-1')
        ih = q.get('info_hash', [''])[0]
        port = int(q.get('port', ['0'])[0])
        event = q.get('event', ['none'])[0] or 'none'
        with lock:
            with open(LOG, 'a') as f:
                f.write('%d %s %s %s %s %s\n' % (port, event, q.get('uploaded', ['0'])[0],
                                                 q.get('downloaded', ['0'])[0], q.get('left', ['0'])[0],
                                                 ih.encode('latin-1').hex()))
            swarm = peers.setdefault(ih, set())
            if event == 'stopped':
                swarm.discard(port)
            else:
                swarm.add(port)
            others = [p for p in swarm if p != port]
        body = b''.join(bytes([127, 0, 0, 1]) + struct.pack('>H', p) for p in others)
        reply = b'd8:intervali%de12:min intervali1e5:peers%d:%se' % (INTERVAL, len(body), body)
        self.send_response(200)
        self.send_header('Content-Length', str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', LISTEN), Handler).serve_forever()
