#!/usr/bin/python3
"""libtorrent leecher for the magnet benchmark: starts from a magnet link (its tr and x.pe are
used as libtorrent parses them), prints 'FIRST_PIECE' once one piece has passed its hash check
(status().num_pieces counts only verified pieces) and exits 0 when the download is complete.

usage: lt_magnet.py MAGNET SAVE_DIR PORT
"""
import sys
import time

import libtorrent as lt

magnet, save, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
ses = lt.session({
    'listen_interfaces': '127.0.0.1:%d' % port,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False, 'alert_mask': 0,
})
params = lt.parse_magnet_uri(magnet)
params.save_path = save
handle = ses.add_torrent(params)
said = False
while True:
    s = handle.status()
    if not said and s.num_pieces >= 1:
        print('FIRST_PIECE', flush=True)
        said = True
    if s.is_seeding:
        if not said:
            print('FIRST_PIECE', flush=True)
        sys.exit(0)
    time.sleep(0.005)
