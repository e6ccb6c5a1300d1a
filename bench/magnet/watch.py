#!/usr/bin/python3
"""Times a leecher started from a magnet link: to its first verified piece and to its complete
download: its exit with status 0 (ours, lt_magnet.py), or for aria2, which keeps running after
a magnet download, its JSON-RPC status showing every byte of the payload verified.

usage: watch.py file PATH      -- CMD...   first verified piece = PATH has bytes (our node
                                           writes a piece only after its SHA-1 matched)
       watch.py aria2 RPC_PORT -- CMD...   aria2's JSON-RPC bitfield (verified pieces) is not 0
       watch.py line TEXT      -- CMD...   the leecher printed a line starting with TEXT
Prints "FIRST DONE" in seconds from just before CMD started; exits 1 if CMD fails or
LIMIT seconds (env MAGNET_LIMIT, default 120) pass first. Polls every 5 ms.
"""
import json
import os
import select
import subprocess
import sys
import time
import urllib.request

mode, arg = sys.argv[1], sys.argv[2]
cmd = sys.argv[sys.argv.index('--') + 1:]
limit = float(os.environ.get('MAGNET_LIMIT', '120'))


def aria2_rpc(port, method, params):
    body = json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': method, 'params': params})
    try:
        with urllib.request.urlopen('http://127.0.0.1:%s/jsonrpc' % port, body.encode(), timeout=1) as r:
            return json.load(r).get('result') or []
    except (OSError, ValueError):
        return []  # RPC not up yet, or aria2 on its way out


# aria2 runs a magnet link as two downloads: [METADATA] (whose bitfield counts metadata pieces),
# then the payload, which names the first as the one it is 'following'; only the payload counts.
def aria2_has_piece(port):
    active = aria2_rpc(port, 'aria2.tellActive', [['bitfield', 'following']])
    return any(a.get('following') and a.get('bitfield', '0').strip('0') for a in active)


def aria2_complete(port):
    """The payload has every byte verified: aria2 keeps running after a magnet download even with
    --seed-time=0, so its exit is no signal."""
    keys = ['status', 'totalLength', 'completedLength', 'following']
    for d in aria2_rpc(port, 'aria2.tellActive', [keys]) + aria2_rpc(port, 'aria2.tellStopped', [0, 10, keys]):
        total = int(d.get('totalLength', '0'))
        if d.get('following') and total > 0 and int(d.get('completedLength', '0')) == total:
            return True
    return False


def first_piece(child):
    if mode == 'file':
        try:
            return os.stat(arg).st_size > 0
        except FileNotFoundError:
            return False
    if mode == 'aria2':
        return aria2_has_piece(arg)
    ready, _, _ = select.select([child.stdout], [], [], 0.005)
    return bool(ready) and child.stdout.readline().startswith(arg)


t0 = time.time()
child = subprocess.Popen(cmd, stdout=subprocess.PIPE if mode == 'line' else subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, text=True)
first = done = None
try:
    while time.time() - t0 < limit and done is None:
        if first is None and first_piece(child):
            first = time.time()
        if mode == 'aria2' and first is not None and aria2_complete(arg):
            done = time.time()
            break
        code = child.poll()
        if code is not None:
            if code == 0:
                done = time.time()
                first = first or done  # finished between two polls
            break
        if mode != 'line' or first is not None:
            time.sleep(0.005)
finally:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
if done is None:
    print('not complete (leecher exit code %s, first piece %s)' % (child.returncode, first and '%.3f' % (first - t0)),
          file=sys.stderr)
    sys.exit(1)
print('%.3f %.3f' % (first - t0, done - t0))
