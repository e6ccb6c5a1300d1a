#!/usr/bin/python3
"""Writes a v1 torrent with BEP 47 padding files, as libtorrent makes them, for interop tests.

usage: lt_make_padded.py CONTENT_DIR PIECE_LENGTH OUT.torrent
canonical_files pads every file to a piece boundary with '.pad/N' entries (attr 'p').
"""
import os
import sys

import libtorrent as lt


def main():
    content, piece_length, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    fs = lt.file_storage()
    lt.add_files(fs, content)
    ct = lt.create_torrent(fs, piece_length, flags=lt.create_torrent.v1_only | lt.create_torrent.canonical_files)
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(content)))
    with open(out, 'wb') as f:
        f.write(lt.bencode(ct.generate()))


if __name__ == '__main__':
    main()
