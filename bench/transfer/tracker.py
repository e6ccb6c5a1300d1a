#!/usr/bin/python3
"""Benchmark tracker: answers every announce with one fixed peer (the seeder), compact form.

usage: tracker.py LISTEN_PORT SEEDER_PORT   (both on 127.0.0.1)
The seeder's own announces get an empty list.
"""
import http.server
import struct
import sys
import urllib.parse

LISTEN, SEEDER = int(sys.argv[1]), int(sys.argv[2])


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        port = int(q.get('port', ['0'])[0])
        peers = b'' if port == SEEDER else bytes([127, 0, 0, 1]) + struct.pack('>H', SEEDER)
        body = b'd8:intervali30e5:peers%d:%se' % (len(peers), peers)
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', LISTEN), Handler).serve_forever()
