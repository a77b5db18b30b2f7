"""``nova-manage service`` and ``cell_v2`` host discovery against a real
database, run as an operator does."""

from __future__ import annotations

import pytest

from nova.db.api import services
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.cmd.test_manage_db import nova_manage
from tests.functional.cmd.test_manage_db import write_config

pytestmark = database.all_backends


@pytest.fixture
def config(db: str, tmp_path):
    return write_config(tmp_path, db)


def test_service_list_disable_enable(db, config) -> None:
    ctxt = factories.admin_context()
    compute = factories.make_service(ctxt, host='cmp-1')
    factories.make_service(ctxt, host='ctl-1', binary='nova-scheduler',
                           topic='scheduler')

    listed = nova_manage('service', 'list', config=config)
    assert listed.returncode == 0, listed.stderr
    assert 'cmp-1' in listed.stdout and 'nova-scheduler' in listed.stdout
    only = nova_manage('service', 'list', '--binary', 'nova-scheduler',
                       config=config)
    assert 'cmp-1' not in only.stdout and 'ctl-1' in only.stdout

    disabled = nova_manage('service', 'disable', 'cmp-1', 'nova-compute',
                           '--reason', 'disk swap', config=config)
    assert disabled.returncode == 0, disabled.stderr
    assert 'disabled' in disabled.stdout and 'disk swap' in disabled.stdout
    row = services.service_get(ctxt, compute['id'])
    assert (row['disabled'], row['disabled_reason']) == (True, 'disk swap')

    enabled = nova_manage('service', 'enable', 'cmp-1', 'nova-compute',
                          config=config)
    assert enabled.returncode == 0, enabled.stderr
    row = services.service_get(ctxt, compute['id'])
    assert (row['disabled'], row['disabled_reason']) == (False, None)

    unknown = nova_manage('service', 'enable', 'nope', 'nova-compute',
                          config=config)
    assert unknown.returncode == 1
    assert 'nope' in unknown.stderr and 'Traceback' not in unknown.stderr


def test_service_delete(db, config) -> None:
    ctxt = factories.admin_context()
    busy = factories.make_compute_node(ctxt, host='busy-1')
    factories.make_instance(ctxt, host='busy-1', node=busy[
        'hypervisor_hostname'])
    idle = factories.make_service(ctxt, host='idle-1')

    refused = nova_manage('service', 'delete', str(busy['service_id']),
                          config=config)
    assert refused.returncode == 1
    assert 'hosting instances' in refused.stderr
    assert 'Traceback' not in refused.stderr

    deleted = nova_manage('service', 'delete', idle['uuid'], config=config)
    assert deleted.returncode == 0, deleted.stderr
    assert 'idle-1' in deleted.stdout
    assert [s['host'] for s in services.service_get_all(ctxt)] == ['busy-1']

    again = nova_manage('service', 'delete', idle['uuid'], config=config)
    assert again.returncode == 1 and 'could not be found' in again.stderr


def test_discover_hosts(db, config) -> None:
    ctxt = factories.admin_context()
    node = factories.make_compute_node(ctxt, host='new-1',
                                       hypervisor_hostname='new-1-node')
    factories.make_service(ctxt, host='empty-1')   # no node reported

    first = nova_manage('cell_v2', 'discover_hosts', config=config)
    assert first.returncode == 0, first.stderr
    assert f"new-1-node on host new-1 ({node['uuid']}); mapped." in \
        first.stdout
    assert 'nova-compute on host empty-1 has reported no compute node' \
        in first.stdout

    second = nova_manage('cell_v2', 'discover_hosts', '--strict',
                         config=config)
    assert second.returncode == 1
    assert 'No new compute nodes found.' in second.stdout

    listed = nova_manage('cell_v2', 'list_hosts', config=config)
    assert listed.returncode == 0, listed.stderr
    assert 'new-1-node' in listed.stdout and 'True' in listed.stdout

    factories.make_compute_node(ctxt, host='new-2')
    third = nova_manage('cell_v2', 'discover_hosts', '--strict',
                        config=config)
    assert third.returncode == 0 and 'on host new-2' in third.stdout
