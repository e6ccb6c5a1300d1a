#!/usr/bin/python3
"""libtorrent leecher for the magnet benchmark: starts from a magnet link (its tr and x.pe are
used as libtorrent parses them), prints 'FIRST_PIECE' once one piece has passed its hash check
(status().num_pieces counts only verified pieces) and exits 0 when the download is complete.
With DHT_HOST:PORT its DHT is on (UDP PORT as well), joined through that node, with the
restrictions that keep loopback and same-IP nodes out turned off (as in LibtorrentDhtIT).

usage: lt_magnet.py MAGNET SAVE_DIR PORT [DHT_HOST:PORT]
"""
import sys
import time

import libtorrent as lt

magnet, save, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
boot = sys.argv[4] if len(sys.argv) > 4 else None
settings = {
    'listen_interfaces': '127.0.0.1:%d' % port,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False, 'alert_mask': 0,
}
if boot:
    settings.update({
        'enable_dht': True, 'dht_bootstrap_nodes': boot,
        'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
        'dht_ignore_dark_internet': False, 'dht_enforce_node_id': False, 'dht_prefer_verified_node_ids': False,
    })
ses = lt.session(settings)
if boot:
    host, bport = boot.rsplit(':', 1)
    ses.add_dht_node((host, int(bport)))
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
