#!/usr/bin/python3
"""libtorrent peer that finds peers through the DHT only, on 127.0.0.1 (interop tests).

usage: lt_dht.py seed|leech TORRENT SAVE_DIR PORT BOOTSTRAP_HOST:PORT
The DHT runs on UDP PORT with loopback allowed (routing/search restrictions off) and bootstraps
from the given node. Prints 'LISTENING <port>' once up, 'DHT <nodes>' as its table grows,
'SEEDING' when it has everything; a leecher then exits 0. It announces every 2 s.
"""
import sys
import time

import libtorrent as lt


def main():
    mode, torrent, save, port, boot = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    host, bport = boot.rsplit(':', 1)
    ses = lt.session({
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': True, 'dht_bootstrap_nodes': '%s:%s' % (host, bport),
        'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
        'dht_ignore_dark_internet': False, 'dht_enforce_node_id': False, 'dht_prefer_verified_node_ids': False,
        'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'enable_incoming_utp': False, 'enable_outgoing_utp': False,
        'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False, 'alert_mask': 0,
    })
    ses.add_dht_node((host, int(bport)))
    info = lt.torrent_info(torrent)
    handle = ses.add_torrent({'ti': info, 'save_path': save})
    print('LISTENING %d' % ses.listen_port(), flush=True)
    last_announce = 0.0
    last_nodes = -1
    announced_seeding = False
    while True:
        st = handle.status()
        nodes = ses.status().dht_nodes
        if nodes != last_nodes:
            print('DHT %d' % nodes, flush=True)
            last_nodes = nodes
        if st.is_seeding and not announced_seeding:
            print('SEEDING', flush=True)
            announced_seeding = True
            if mode == 'leech':
                time.sleep(0.5)
                return 0
        if time.time() - last_announce > 2:
            handle.force_dht_announce()
            last_announce = time.time()
        time.sleep(0.1)


if __name__ == '__main__':
    sys.exit(main())
