#!/usr/bin/python3
"""libtorrent peer for interop tests: seed or leech one torrent on 127.0.0.1, TCP only.

usage: lt_peer.py seed|leech TORRENT SAVE_DIR PORT [PEER_HOST:PORT]
       lt_peer.py magnet MAGNET_URI SAVE_DIR PORT [PEER_HOST:PORT]   (a leecher that starts from the link)
Prints 'LISTENING <port>' once up, 'SEEDING' when it has everything; a leecher then exits 0.
"""
import sys
import time

import libtorrent as lt


def main():
    mode, torrent, save, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    peer = sys.argv[5] if len(sys.argv) > 5 else None
    ses = lt.session({
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'enable_incoming_utp': False, 'enable_outgoing_utp': False,
        'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False,
        'announce_to_all_trackers': True, 'alert_mask': 0,
    })
    if mode == 'magnet':
        params = lt.parse_magnet_uri(torrent)
        params.save_path = save
        handle = ses.add_torrent(params)
        mode = 'leech'
    else:
        info = lt.torrent_info(torrent)
        handle = ses.add_torrent({'ti': info, 'save_path': save})
    print('LISTENING %d' % ses.listen_port(), flush=True)
    last_connect = 0.0
    announced_seeding = False
    announced_metadata = False
    while True:
        st = handle.status()
        if st.has_metadata and not announced_metadata:
            print('METADATA', flush=True)
            announced_metadata = True
        if st.is_seeding and not announced_seeding:
            print('SEEDING', flush=True)
            announced_seeding = True
            if mode == 'leech':
                time.sleep(0.5)  # let the final HAVE messages out
                return 0
        if peer and not st.is_seeding and time.time() - last_connect > 2:
            host, p = peer.rsplit(':', 1)
            handle.connect_peer((host, int(p)))
            last_connect = time.time()
        time.sleep(0.1)


if __name__ == '__main__':
    sys.exit(main())
