#!/usr/bin/python3
"""libtorrent peer for interop tests: seed or leech one torrent on 127.0.0.1, TCP only.

usage: lt_peer.py [--forced-rc4|--no-encryption] seed|leech TORRENT SAVE_DIR PORT [PEER_HOST:PORT]
       lt_peer.py [--forced-rc4|--no-encryption] magnet MAGNET_URI SAVE_DIR PORT [PEER_HOST:PORT]   (a leecher that starts from the link)
--forced-rc4: encryption (MSE) forced both ways, RC4 only, as a client set to "require encryption".
--no-encryption: MSE disabled both ways (plain BitTorrent only).
Prints 'LISTENING <port>' once up, 'SEEDING' when it has everything; a leecher then exits 0.
"""
import sys
import time

import libtorrent as lt


def main():
    flags = [a for a in sys.argv[1:] if a in ('--forced-rc4', '--no-encryption')]
    args = [a for a in sys.argv[1:] if a not in flags]
    forced = '--forced-rc4' in flags
    mode, torrent, save, port = args[0], args[1], args[2], int(args[3])
    peer = args[4] if len(args) > 4 else None
    settings = {
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'enable_incoming_utp': False, 'enable_outgoing_utp': False,
        'allow_multiple_connections_per_ip': True, 'ssrf_mitigation': False,
        'announce_to_all_trackers': True, 'alert_mask': 0,
    }
    if forced:
        settings.update({'out_enc_policy': int(lt.enc_policy.forced), 'in_enc_policy': int(lt.enc_policy.forced),
                         'allowed_enc_level': int(lt.enc_level.rc4)})
    if '--no-encryption' in flags:
        settings.update({'out_enc_policy': int(lt.enc_policy.disabled), 'in_enc_policy': int(lt.enc_policy.disabled)})
    ses = lt.session(settings)
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
