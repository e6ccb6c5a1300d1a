#!/usr/bin/python3
"""libtorrent leecher for the first-piece benchmark: prints 'FIRST_PIECE' as soon as one piece
has passed its hash check (status().num_pieces counts only verified pieces), then keeps going
until it is stopped.

usage: lt_leech.py TORRENT SAVE_DIR PORT PEER_HOST:PORT
"""
import sys
import time

import libtorrent as lt

torrent, save, port, peer = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ses = lt.session({
    'listen_interfaces': '127.0.0.1:%d' % port,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False, 'alert_mask': 0,
})
handle = ses.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save})
host, p = peer.rsplit(':', 1)
last_connect = 0.0
while handle.status().num_pieces < 1:
    if time.time() - last_connect > 1 and handle.status().num_peers == 0:
        handle.connect_peer((host, int(p)))
        last_connect = time.time()
    time.sleep(0.005)
print('FIRST_PIECE', flush=True)
while True:
    time.sleep(1)
