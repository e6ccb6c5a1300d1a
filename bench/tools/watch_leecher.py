#!/usr/bin/python3
"""Times a leecher from its start to its first verified piece and, with --until complete, to its
complete download; then stops it. Used by bench/first-piece and bench/magnet.

usage: watch_leecher.py [--until first|complete] [--limit SECONDS] HOW ARG -- CMD...
How the first verified piece is seen (HOW ARG):
  file PATH       PATH has bytes (our node writes a piece only after its SHA-1 matched)
  aria2 RPC_PORT  aria2's JSON-RPC bitfield (verified pieces) of the payload is not 0
  line TEXT       the leecher printed a line starting with TEXT
Complete: CMD exits with status 0 (ours, lt_magnet.py), or for aria2, which keeps running after
a magnet download even with --seed-time=0, its JSON-RPC status shows every byte of the payload
verified.
Prints the seconds from just before CMD started: "FIRST", or "FIRST DONE" with --until complete.
Exits 1 if CMD ends first (with --until complete: ends with a failure) or LIMIT seconds
(default 60) pass first. Polls every 5 ms. CMD is started by this script and terminated (then
killed) by its PID.
"""
import json
import os
import select
import subprocess
import sys
import time
import urllib.request


def parse(argv):
    sep = argv.index('--')
    opts, cmd = argv[:sep], argv[sep + 1:]
    until, limit = 'first', 60.0
    while opts and opts[0].startswith('--'):
        name, value, opts = opts[0], opts[1], opts[2:]
        if name == '--until' and value in ('first', 'complete'):
            until = value
        elif name == '--limit':
            limit = float(value)
        else:
            sys.exit('watch_leecher.py: unknown option %s %s' % (name, value))
    how, arg = opts
    return until, limit, how, arg, cmd


until, limit, how, arg, cmd = parse(sys.argv[1:])
# aria2 runs a magnet link as two downloads: [METADATA] (whose bitfield counts metadata pieces),
# then the payload, which names the first as the one it is 'following'; only the payload counts.
magnet = any(a.startswith('magnet:') for a in cmd)


def aria2_rpc(port, method, params):
    body = json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': method, 'params': params})
    try:
        with urllib.request.urlopen('http://127.0.0.1:%s/jsonrpc' % port, body.encode(), timeout=1) as r:
            return json.load(r).get('result') or []
    except (OSError, ValueError):
        return []  # RPC not up yet, or aria2 on its way out


def aria2_payload(download):
    return bool(download.get('following')) or not magnet


def aria2_has_piece(port):
    active = aria2_rpc(port, 'aria2.tellActive', [['bitfield', 'following']])
    return any(aria2_payload(a) and a.get('bitfield', '0').strip('0') for a in active)


def aria2_complete(port):
    keys = ['status', 'totalLength', 'completedLength', 'following']
    for d in aria2_rpc(port, 'aria2.tellActive', [keys]) + aria2_rpc(port, 'aria2.tellStopped', [0, 10, keys]):
        total = int(d.get('totalLength', '0'))
        if aria2_payload(d) and total > 0 and int(d.get('completedLength', '0')) == total:
            return True
    return False


def first_piece(child):
    if how == 'file':
        try:
            return os.stat(arg).st_size > 0
        except FileNotFoundError:
            return False
    if how == 'aria2':
        return aria2_has_piece(arg)
    ready, _, _ = select.select([child.stdout], [], [], 0.005)
    return bool(ready) and child.stdout.readline().startswith(arg)


t0 = time.time()
child = subprocess.Popen(cmd, stdout=subprocess.PIPE if how == 'line' else subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, text=True)
first = done = None
try:
    while time.time() - t0 < limit:
        if first is None and first_piece(child):
            first = time.time()
            if until == 'first':
                break
        if how == 'aria2' and first is not None and aria2_complete(arg):
            done = time.time()
            break
        code = child.poll()
        if code is not None:
            if code == 0 and until == 'complete':
                done = time.time()
                first = first or done  # finished between two polls
            break
        if how != 'line' or first is not None:  # else select() above waited 5 ms already
            time.sleep(0.005)
finally:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
if until == 'first':
    if first is None:
        print('no verified piece (leecher exit code %s)' % child.returncode, file=sys.stderr)
        sys.exit(1)
    print('%.3f' % (first - t0))
else:
    if done is None:
        print('not complete (leecher exit code %s, first piece %s)' % (child.returncode, first and '%.3f' % (first - t0)),
              file=sys.stderr)
        sys.exit(1)
    print('%.3f %.3f' % (first - t0, done - t0))
