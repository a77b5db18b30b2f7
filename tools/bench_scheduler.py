#!/usr/bin/env python3
"""Benchmark nova-scheduler's select_destinations at 100 to 10,000 nodes.

    tools/bench_scheduler.py [--sizes 100,1000,10000] [--requests 200]
                             [--connection mysql+pymysql://...]

For each size: bulk-inserts simulated compute nodes (services, nodes,
inventories, some allocations, availability-zone aggregates) into a
fresh database (a SQLite file by default; with --connection, the given
database, which is migrated and emptied first), then times
select_destinations with the default filters and weighers, each request
claiming for a new instance. Prints p50/p95 latency, the cold full load
of the host states, peak RSS of the process and the tracemalloc peak of
the scheduler (measured in a separate pass: tracing slows Python down).
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc

import sqlalchemy as sa
from oslo_config import cfg
from oslo_utils import timeutils
from oslo_utils import uuidutils

import nova.conf  # noqa: F401 - registers options
from nova import context as nova_context
from nova.db import engine
from nova.db import migration
from nova.db import models
from nova.scheduler import claims
from nova.scheduler import manager

CONF = cfg.CONF
ZONES = 10


def _populate(url: str, count: int) -> None:
    """Bulk-insert ``count`` nodes (Core executemany, no ORM)."""
    eng = sa.create_engine(url)
    now = timeutils.utcnow()
    with eng.begin() as conn:
        for table in reversed(models.Base.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(models.Service.__table__.insert(), [
            {'id': i + 1, 'uuid': uuidutils.generate_uuid(),
             'host': f'compute-{i:05d}', 'binary': 'nova-compute',
             'topic': 'compute', 'report_count': 1, 'disabled': i % 97 == 0,
             'forced_down': False, 'last_seen_up': now, 'version': 1,
             'created_at': now} for i in range(count)])
        conn.execute(models.ComputeNode.__table__.insert(), [
            {'id': i + 1, 'uuid': uuidutils.generate_uuid(),
             'service_id': i + 1, 'host': f'compute-{i:05d}',
             'hypervisor_hostname': f'compute-{i:05d}.node',
             'hypervisor_type': 'fake', 'hypervisor_version': 1000,
             'host_ip': f'10.{i // 65536}.{i // 256 % 256}.{i % 256}',
             'vcpus': 64, 'memory_mb': 262144, 'local_gb': 4000,
             'generation': 1, 'created_at': now} for i in range(count)])
        conn.execute(models.Inventory.__table__.insert(), [
            {'compute_node_id': i + 1, 'resource_class': rc, 'total': total,
             'reserved': reserved, 'min_unit': 1, 'max_unit': total,
             'step_size': 1, 'allocation_ratio': ratio, 'created_at': now}
            for i in range(count)
            for rc, total, reserved, ratio in (
                ('VCPU', 64, 0, 4.0), ('MEMORY_MB', 262144, 4096, 1.0),
                ('DISK_GB', 4000, 0, 1.0))])
        # A quarter of the nodes already run something.
        conn.execute(models.Allocation.__table__.insert(), [
            {'compute_node_id': i + 1, 'consumer_id': f'existing-{i}',
             'resource_class': rc, 'used': used, 'created_at': now}
            for i in range(0, count, 4)
            for rc, used in (('VCPU', 8), ('MEMORY_MB', 16384),
                             ('DISK_GB', 80))])
        conn.execute(models.Aggregate.__table__.insert(), [
            {'id': z + 1, 'uuid': uuidutils.generate_uuid(),
             'name': f'az{z}', 'created_at': now} for z in range(ZONES)])
        conn.execute(models.AggregateMetadata.__table__.insert(), [
            {'aggregate_id': z + 1, 'key': 'availability_zone',
             'value': f'az{z}', 'created_at': now} for z in range(ZONES)])
        conn.execute(models.AggregateHost.__table__.insert(), [
            {'aggregate_id': i % ZONES + 1, 'host': f'compute-{i:05d}',
             'created_at': now} for i in range(count)])
    eng.dispose()


def _spec() -> dict:
    return {'instance_uuid': uuidutils.generate_uuid(), 'num_instances': 1,
            'project_id': 'bench', 'user_id': 'bench',
            'flavor': {'flavorid': '1', 'name': 'm1.small', 'vcpus': 1,
                       'memory_mb': 2048, 'root_gb': 20, 'ephemeral_gb': 0,
                       'swap': 0, 'extra_specs': {}},
            'image': {'id': 'img', 'name': 'cirros', 'properties': {}},
            'availability_zone': None, 'scheduler_hints': {},
            'instance_group': None, 'ignore_hosts': [], 'force_hosts': [],
            'force_nodes': [], 'requested_destination': None,
            'retry': {'num_attempts': 1, 'hosts': []}}


claim_times: list[float] = []


def _timed_claims() -> None:
    """Record how long the database claim takes within each request: on
    SQLite it is mostly the commit's fsync, which no scheduler code can
    make faster."""
    claim = claims.claim_on_node

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return claim(*args, **kwargs)
        finally:
            claim_times.append((time.perf_counter() - started) * 1000)

    claims.claim_on_node = timed


def _run(count: int, requests: int, url: str) -> dict:
    _populate(url, count)
    restore = engine.use_database(url)
    try:
        ctxt = nova_context.get_admin_context()
        scheduler = manager.SchedulerManager(host='bench')
        started = time.perf_counter()
        scheduler.host_manager.get_host_states(ctxt)
        load_ms = (time.perf_counter() - started) * 1000
        times = []
        claim_times.clear()
        for _ in range(requests):
            spec = _spec()
            started = time.perf_counter()
            scheduler.select_destinations(ctxt, spec,
                                          [spec['instance_uuid']])
            times.append((time.perf_counter() - started) * 1000)
        # Memory of a fresh scheduler: load + a few requests, traced.
        tracemalloc.start()
        traced = manager.SchedulerManager(host='bench-traced')
        for _ in range(5):
            spec = _spec()
            traced.select_destinations(ctxt, spec, [spec['instance_uuid']])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        restore()
    times.sort()
    return {'hosts': count, 'load_ms': load_ms,
            'p50': statistics.median(times),
            'claim_p50': statistics.median(claim_times[:requests]),
            'p95': times[max(0, int(len(times) * 0.95) - 1)],
            'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            / 1024, 'traced_mb': peak / 2**20}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', default='100,1000,10000')
    parser.add_argument('--requests', type=int, default=200)
    parser.add_argument('--connection',
                        help='database URL (default: a SQLite file)')
    args = parser.parse_args(argv)
    CONF([], project='nova', default_config_files=[])
    _timed_claims()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.connection or f'sqlite:///{pathlib.Path(tmp) / "b.db"}'
        eng = sa.create_engine(url)
        migration.db_sync(engine=eng)
        eng.dispose()
        print(f'{"hosts":>7} {"cold load ms":>12} {"p50 ms":>8} '
              f'{"p95 ms":>8} {"claim p50 ms":>12} {"peak RSS MB":>11} '
              f'{"traced peak MB":>14}')
        for size in (int(s) for s in args.sizes.split(',')):
            row = _run(size, args.requests, url)
            print(f'{row["hosts"]:>7} {row["load_ms"]:>12.1f} '
                  f'{row["p50"]:>8.2f} {row["p95"]:>8.2f} '
                  f'{row["claim_p50"]:>12.2f} '
                  f'{row["rss_mb"]:>11.1f} {row["traced_mb"]:>14.1f}',
                  flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
