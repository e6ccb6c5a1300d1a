#!/usr/bin/python3
"""A slow libtorrent leecher for the menu's Transfers test: stays connected to one peer.

usage: lt_slow_leecher.py TORRENT SAVE_DIR PEER_HOST:PORT BYTES_PER_SECOND
Asks no tracker; dials the peer every 2 s while not connected to it, so it comes back after
the peer pauses and resumes. Prints 'CONNECTED' each time a connection to the peer is up.
Runs until killed.
"""
import sys
import time

import libtorrent as lt


def main():
    torrent, save, peer, rate = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    host, port = peer.rsplit(':', 1)
    ses = lt.session({
        'listen_interfaces': '127.0.0.1:0',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'enable_incoming_utp': False, 'enable_outgoing_utp': False,
        'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False,
        'out_enc_policy': 2,  # pe_disabled: a plain handshake at once, no encrypted first try
        'min_reconnect_time': 1,  # after the peer pauses, try again within seconds (default 60 s)
        'alert_mask': 0,
    })
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save
    params.flags = (params.flags | lt.torrent_flags.paused) & ~lt.torrent_flags.auto_managed
    handle = ses.add_torrent(params)
    handle.replace_trackers([])  # before it starts: the peer is dialed directly, no tracker is asked
    # A torrent's own limit: the session-wide one spares peers on the local network, 127.0.0.1 included.
    handle.set_download_limit(rate)
    handle.resume()
    connected = False
    last_dial = 0.0
    while True:
        now_connected = len(handle.get_peer_info()) > 0
        if now_connected and not connected:
            print('CONNECTED', flush=True)
        connected = now_connected
        if not connected and time.time() - last_dial > 2:
            handle.connect_peer((host, int(port)))
            last_dial = time.time()
        time.sleep(0.2)


if __name__ == '__main__':
    sys.exit(main())
