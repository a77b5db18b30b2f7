"""``nova-manage placement audit [--delete]`` as an operator runs it."""

from oslo_utils import uuidutils

from nova.db.api import allocations
from nova.db.api import instances
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.cmd.test_manage_db import nova_manage
from tests.functional.cmd.test_manage_db import write_config
from tests.functional.scheduler.helpers import make_node


def _claim(ctxt, node, consumer):
    allocations.claim_resources(ctxt, node['id'], consumer,
                                {'VCPU': 1, 'MEMORY_MB': 512})


@database.all_backends
def test_audit_lists_then_deletes_orphans(db, ctxt, tmp_path):
    node = make_node(ctxt, 'h1')
    live = factories.make_instance(ctxt, host='h1', node='h1-node')
    deleted = factories.make_instance(ctxt, host='h1', node='h1-node')
    migrating = factories.make_migration(ctxt)
    finished = factories.make_migration(ctxt, status='confirmed')
    stray = uuidutils.generate_uuid()
    for consumer in (live['uuid'], deleted['uuid'], migrating['uuid'],
                     finished['uuid'], stray):
        _claim(ctxt, node, consumer)
    instances.instance_destroy(ctxt, deleted['uuid'])
    config = write_config(tmp_path, db)

    listed = nova_manage('placement', 'audit', config=config)
    removed = nova_manage('placement', 'audit', '--delete', config=config)
    again = nova_manage('placement', 'audit', config=config)

    assert listed.returncode == 0, listed.stderr
    orphans = sorted([deleted['uuid'], finished['uuid'], stray])
    for consumer in orphans:
        assert f'consumer {consumer} on h1/h1-node' in listed.stdout
    assert 'MEMORY_MB=512, VCPU=1' in listed.stdout
    assert '3 consumers hold orphaned allocations' in listed.stdout
    assert removed.returncode == 0, removed.stderr
    assert 'Deleted 6 allocation records of 3 consumers.' in removed.stdout
    assert again.stdout == 'No orphaned allocations found.\n'
    assert set(allocations.allocations_get_by_node(ctxt, node['id'])) == {
        live['uuid'], migrating['uuid']}
