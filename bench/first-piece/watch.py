#!/usr/bin/python3
"""Times a leecher from its start to its first verified piece, then stops it.

usage: watch.py file PATH      -- CMD...   first verified piece = PATH has bytes (our node
                                           writes a piece only after its SHA-1 matched)
       watch.py aria2 RPC_PORT -- CMD...   aria2's JSON-RPC bitfield (verified pieces) is not 0
       watch.py line TEXT      -- CMD...   the leecher printed a line starting with TEXT
Prints the seconds from just before CMD started; exits 1 if CMD ends or 60 s pass first.
Polls every 5 ms. CMD is started by this script and terminated (then killed) by its PID.
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


def aria2_has_piece(port):
    body = json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': 'aria2.tellActive', 'params': [['bitfield']]})
    try:
        with urllib.request.urlopen('http://127.0.0.1:%s/jsonrpc' % port, body.encode(), timeout=1) as r:
            active = json.load(r)['result']
    except OSError:
        return False  # RPC not up yet
    return any(a.get('bitfield', '0').strip('0') for a in active)


t0 = time.time()
child = subprocess.Popen(cmd, stdout=subprocess.PIPE if mode == 'line' else subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, text=True)
found = None
pending = ''
try:
    while time.time() - t0 < 60 and found is None:
        if mode == 'file':
            try:
                if os.stat(arg).st_size > 0:
                    found = time.time()
            except FileNotFoundError:
                pass
        elif mode == 'aria2':
            if aria2_has_piece(arg):
                found = time.time()
        else:
            ready, _, _ = select.select([child.stdout], [], [], 0.005)
            if ready:
                line = child.stdout.readline()
                if line.startswith(arg):
                    found = time.time()
                elif not line:
                    break
        if found is None:
            if child.poll() is not None:
                break
            if mode != 'line':
                time.sleep(0.005)
finally:
    child.terminate()
    try:
        child.wait(5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
if found is None:
    print('no verified piece (leecher exit code %s)' % child.returncode, file=sys.stderr)
    sys.exit(1)
print('%.3f' % (found - t0))
