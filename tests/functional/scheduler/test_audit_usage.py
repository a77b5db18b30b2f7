"""``nova-manage placement audit --verify``: every consumer's
allocations against what it is due, on a real database."""

import pytest

from nova.db.api import allocations
from tests.fixtures import allocation_audit
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.cmd.test_manage_db import nova_manage
from tests.functional.cmd.test_manage_db import write_config
from tests.functional.scheduler.helpers import make_node

TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


def _active(ctxt, host='h1', **overrides):
    values = {'vm_state': 'active', 'task_state': None, **overrides}
    return factories.make_instance(ctxt, host=host, node=f'{host}-node',
                                   **values)


@database.all_backends
def test_verify_finds_every_kind_of_mismatch(db, ctxt, tmp_path):
    node = make_node(ctxt, 'h1')
    other = make_node(ctxt, 'h2')
    exact = _active(ctxt)
    missing = _active(ctxt)
    double = _active(ctxt)
    wrong = _active(ctxt)
    offloaded = factories.make_instance(ctxt, vm_state='shelved_offloaded',
                                        task_state=None)
    building = factories.make_instance(ctxt)  # scheduling: in flux
    allocations.claim_resources(ctxt, node['id'], exact['uuid'], TINY)
    allocations.claim_resources(ctxt, node['id'], double['uuid'], TINY)
    allocations.claim_resources(ctxt, other['id'], double['uuid'], TINY)
    allocations.claim_resources(ctxt, node['id'], wrong['uuid'],
                                dict(TINY, MEMORY_MB=256))
    allocations.claim_resources(ctxt, node['id'], offloaded['uuid'], TINY)
    allocations.claim_resources(ctxt, other['id'], building['uuid'], TINY)
    config = write_config(tmp_path, db)

    result = nova_manage('placement', 'audit', '--verify', config=config)

    assert result.returncode == 3, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == '4 allocation problems found.'
    for uuid in (missing['uuid'], double['uuid'], wrong['uuid'],
                 offloaded['uuid']):
        assert any(uuid in line for line in lines), uuid
    assert not any(exact['uuid'] in line for line in lines)
    assert not any(building['uuid'] in line for line in lines)


@database.all_backends
def test_verify_passes_when_all_is_due(db, ctxt, tmp_path):
    node = make_node(ctxt, 'h1')
    server = _active(ctxt)
    allocations.claim_resources(ctxt, node['id'], server['uuid'], TINY)
    source = make_node(ctxt, 'h3')
    moving = _active(ctxt, task_state='resize_migrating')
    migration = factories.make_migration(
        ctxt, instance_uuid=moving['uuid'], source_compute='h3',
        source_node='h3-node', status='migrating')
    allocations.claim_resources(ctxt, source['id'], migration['uuid'], TINY)
    config = write_config(tmp_path, db)

    result = nova_manage('placement', 'audit', '--verify', config=config)

    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Every consumer holds exactly what it is due.' in result.stdout


def test_the_teardown_audit_fails_on_a_leak(db, ctxt):
    """What every test cloud goes through at teardown
    (tests/fixtures/allocation_audit.py) can fail."""
    node = make_node(ctxt, 'h1')
    server = _active(ctxt)
    allocations.claim_resources(ctxt, node['id'], server['uuid'], TINY)
    allocation_audit.check('a clean cloud', record=False)
    allocations.claim_resources(ctxt, node['id'], 'gone-consumer', TINY)
    with pytest.raises(allocation_audit.AllocationsOff,
                       match='gone-consumer'):
        allocation_audit.check('a leaking cloud', record=False)
