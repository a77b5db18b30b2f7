#!/usr/bin/env python3
"""Boot N servers with concurrency C against a running deployment.

Prints the wall time until all are ACTIVE, create-to-ACTIVE p50/p95 (from
the servers' own created / launched_at timestamps) and the CPU seconds the
service processes consumed per booted server. Not a test: run it against
``tools/run-embedded`` or a deployed cloud.

    tools/bench_boot.py --endpoint http://127.0.0.1:8774/v2.1 -n 200 -c 20

Service processes are found by their command line (``nova.cmd`` or
``nova-``); pass ``--pids`` to choose them yourself.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request

CLK_TCK = os.sysconf('SC_CLK_TCK')


def api(endpoint, token, method, path, body=None, timeout=60,
        version='2.37'):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        endpoint + path, data=data, method=method,
        headers={'X-Auth-Token': token, 'Content-Type': 'application/json',
                 'OpenStack-API-Version': f'compute {version}'})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, json.loads(raw) if raw else None


def service_pids():
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f'/proc/{entry}/cmdline', 'rb') as handle:
                cmd = handle.read().replace(b'\0', b' ').decode()
        except OSError:
            continue
        if ('nova.cmd.' in cmd or '/nova-' in cmd) and \
                'bench_boot' not in cmd:
            pids.append(int(entry))
    return pids


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            with open(f'/proc/{pid}/stat') as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime (fields 14-17 of proc(5)).
        total += sum(int(f) for f in fields[11:15]) / CLK_TCK
    return total


def parse_time(text):
    text = text.rstrip('Z')
    fmt = '%Y-%m-%dT%H:%M:%S.%f' if '.' in text else '%Y-%m-%dT%H:%M:%S'
    return datetime.datetime.strptime(text, fmt)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--endpoint', default='http://127.0.0.1:8774/v2.1')
    parser.add_argument('--token', default='admin:admin',
                        help='noauth2 token "user:project" or a Keystone '
                             'token')
    parser.add_argument('-n', type=int, default=200)
    parser.add_argument('-c', type=int, default=20)
    parser.add_argument('--flavor', default='1')
    parser.add_argument('--image', help='image id (default: the first)')
    parser.add_argument('--pids', type=int, nargs='*')
    parser.add_argument('--timeout', type=float, default=1800)
    parser.add_argument('--keep', action='store_true',
                        help='do not delete the servers afterwards')
    args = parser.parse_args()

    image = args.image or _first_image(args)
    pids = args.pids or service_pids()
    cpu_before = cpu_seconds(pids)
    start = time.monotonic()

    def boot(index):
        status, body = api(args.endpoint, args.token, 'POST', '/servers', {
            'server': {'name': f'bench-{index}', 'imageRef': image,
                       'flavorRef': args.flavor, 'networks': 'auto'}})
        if status != 202:
            raise SystemExit(f'create failed: {status} {body}')
        return body['server']['id']

    with concurrent.futures.ThreadPoolExecutor(args.c) as pool:
        ids = list(pool.map(boot, range(args.n)))
    pending, done = set(ids), {}
    deadline = start + args.timeout
    while pending and time.monotonic() < deadline:
        _, body = api(args.endpoint, args.token, 'GET',
                      '/servers/detail?limit=1000&name=^bench-')
        for server in body['servers']:
            if server['id'] in pending and server['status'] in ('ACTIVE',
                                                                'ERROR'):
                pending.discard(server['id'])
                done[server['id']] = server
        time.sleep(0.2)
    wall = time.monotonic() - start
    cpu = cpu_seconds(pids) - cpu_before
    active = [s for s in done.values() if s['status'] == 'ACTIVE']
    latencies = [(parse_time(s['OS-SRV-USG:launched_at']) -
                  parse_time(s['created'])).total_seconds()
                 for s in active if s.get('OS-SRV-USG:launched_at')]
    print(f'servers requested     {args.n} (concurrency {args.c})')
    print(f'ACTIVE / ERROR / lost {len(active)} / '
          f'{len(done) - len(active)} / {len(pending)}')
    print(f'wall time to settle   {wall:.1f} s')
    if latencies:
        print(f'create->ACTIVE p50    {statistics.median(latencies):.2f} s')
        print(f'create->ACTIVE p95    {percentile(latencies, 0.95):.2f} s')
    print(f'service CPU           {cpu:.1f} s over {len(pids)} processes '
          f'({cpu / max(1, len(active)):.3f} s per ACTIVE server)')
    if not args.keep:
        with concurrent.futures.ThreadPoolExecutor(args.c) as pool:
            list(pool.map(lambda i: api(args.endpoint, args.token, 'DELETE',
                                        f'/servers/{i}'), ids))
    return 0 if len(active) == args.n else 1


def _first_image(args):
    # The /images proxy is gone from 2.36: ask at 2.1.
    status, body = api(args.endpoint, args.token, 'GET', '/images',
                       version='2.1')
    if status != 200 or not body.get('images'):
        sys.exit('no image found; pass --image')
    return body['images'][0]['id']


if __name__ == '__main__':
    sys.exit(main())
