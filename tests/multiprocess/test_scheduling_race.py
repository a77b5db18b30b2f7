"""Two scheduler workers, 200 concurrent boots, room for exactly 100."""

from __future__ import annotations

import collections
import concurrent.futures

from nova import context as nova_context
from nova.db.api import allocations as allocations_db
from nova.db.api import compute_nodes as compute_nodes_db
from tests.fixtures import database
from tests.multiprocess import daemons

PER_NODE = 50  # m1.tiny (512 MiB) servers that fit on one node


def test_concurrent_boots_never_overcommit(deployment):
    deployment.set('quota', instances=-1, cores=-1, ram=-1)
    deployment.set('scheduler', workers=2)
    deployment.set('conductor', workers=2)
    # RAM is the limit: (total - reserved 512) / 512 = PER_NODE.
    deployment.set('fake_driver', memory_mb=(PER_NODE + 1) * 512,
                   vcpus=64)
    deployment.set('compute', reserved_host_memory_mb=512)
    catalog = deployment.seed_catalog()
    deployment.start_control_plane()

    def boot(index):
        status, body = deployment.boot(f'race-{index}', catalog['image_id'])
        assert status == 202, body
        return body['server']['id']

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(boot, range(200)))

    def all_settled():
        status, body = deployment.api(
            'GET', '/servers/detail?limit=1000&all_tenants=1')
        assert status == 200, body
        mine = [s for s in body['servers'] if s['id'] in set(ids)]
        if len(mine) == 200 and all(s['status'] in ('ACTIVE', 'ERROR')
                                    for s in mine):
            return mine
        return None

    servers = daemons.wait_for(all_settled, 600, 'all 200 boots to settle',
                               interval=1.0)
    by_status = collections.Counter(s['status'] for s in servers)
    assert by_status == {'ACTIVE': 100, 'ERROR': 100}, by_status
    for server in servers:
        if server['status'] == 'ERROR':
            assert 'No valid host' in server['fault']['message'], \
                server['fault']
    with database.in_use(deployment.db_url):
        ctx = nova_context.get_admin_context()
        for node in compute_nodes_db.compute_node_get_all(ctx):
            used = allocations_db.usages_get_by_node(ctx, node['id'])
            assert used.get('MEMORY_MB', 0) <= PER_NODE * 512, (node, used)
