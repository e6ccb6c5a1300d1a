#!/usr/bin/python3
"""Samples how many bytes a file occupies on disk, for the rate-over-time charts.

usage: sample_file.py FILE OUT_CSV T0 [INTERVAL_S]
Writes "seconds,bytes" lines to OUT_CSV every INTERVAL_S (default 0.2) until SIGTERM, where
seconds count from T0 (epoch seconds, taken by the caller just before it started the leecher)
and bytes are the allocated blocks (st_blocks * 512): clients that write pieces out of order
into a sparse file are counted by what they wrote, not by the file's length.
"""
import os
import signal
import sys
import time

path, out, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.2
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
with open(out, 'w') as f:
    f.write('seconds,bytes\n')
    while True:
        try:
            n = os.stat(path).st_blocks * 512
        except FileNotFoundError:
            n = 0
        f.write('%.3f,%d\n' % (time.time() - t0, n))
        f.flush()
        time.sleep(interval)
