"""``SeededAPIFixture``: APIFixture plus rows the boot path will create.

Servers cannot be booted through the API yet, so the admin-side APIs
(hypervisors, hosts, migrations, usage, instance actions) are tested
against compute nodes, instances, migrations and actions written straight
through ``nova.db.api``. Only the seed bypasses the API; every request
under test goes through the real application.

Exported for ``$ENVIRON[...]`` templating:

- ``NODE1_ID``/``NODE1_UUID``/``NODE1_NAME`` and ``NODE2_*``: the
  compute nodes of compute1 and compute2 (8 vcpus, 8192 MB, 100 GB;
  node N uses N vcpus, 512*N MB, 10*N GB, runs N VMs).
- ``SERVER_A1`` (project-a, compute1, active), ``SERVER_A2`` (project-a,
  compute2, active), ``SERVER_A3`` (project-a, deleted),
  ``SERVER_B1`` (project-b, compute2, active), ``SERVER_B2``
  (project-b, deleted, never launched in the usage window).
- ``MIG_LIVE_ID``/``MIG_LIVE_UUID``: running live migration of A1;
  ``MIG_RESIZE_UUID`` (A1, confirmed), ``MIG_ERROR_UUID`` (B1, error),
  ``MIG_HIDDEN_UUID`` (A2, hidden).
- ``REQ_A1_CREATE``, ``REQ_A1_STOP`` (event with a traceback),
  ``REQ_A3_DELETE``, ``REQ_B1_CREATE``, ``REQ_A2_REBOOT`` (two failed
  events, a nova and a foreign exception): instance action request ids.
- ``GROUP_A``: server group of project-a with SERVER_A1 as member.

Usage window: 2026-01-01T00:00:00 .. 2026-01-02T00:00:00 gives A1 24h
(1 vcpu, 512 MB, 1 GB), A2 12h (2 vcpus, 2048 MB, 20 GB), A3 6h (1 vcpu),
B1 24h (1 vcpu).
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

from nova import context as nova_context
from nova.db.api import allocations as allocations_db
from nova.db.api import compute_nodes as nodes_db
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db
from nova.scheduler.request import resources_from_flavor
from tests.api import fixtures
from tests.fixtures import factories

DAY = datetime.datetime(2026, 1, 1)
CPU_INFO = json.dumps({'arch': 'x86_64', 'model': 'Nehalem',
                       'vendor': 'Intel', 'features': ['pge', 'clflush'],
                       'topology': {'cores': 1, 'threads': 1,
                                    'sockets': 4}})


def _at(hours: float) -> datetime.datetime:
    return DAY + datetime.timedelta(hours=hours)


class SeededAPIFixture(fixtures.APIFixture):
    """APIFixture with seeded nodes, servers, migrations and actions."""

    def start_fixture(self) -> None:
        super().start_fixture()
        ctxt = nova_context.get_admin_context()
        seeded: dict[str, str] = {}
        self._seed_nodes(ctxt, seeded)
        self._seed_instances(ctxt, seeded)
        self._seed_migrations(ctxt, seeded)
        self._seed_actions(ctxt, seeded)
        group = factories.make_server_group(
            ctxt, members=(seeded['SERVER_A1'],), name='seed-group',
            user_id='alice', project_id='project-a')
        seeded['GROUP_A'] = group['uuid']
        for name, value in seeded.items():
            os.environ[name] = str(value)

    @staticmethod
    def _seed_nodes(ctxt: Any, seeded: dict[str, str]) -> None:
        # nova-compute's resource tracker may already have registered its
        # node; then only the usage figures are pinned, so that tests can
        # expect exact numbers.
        for n, host in enumerate(fixtures.COMPUTE_HOSTS, start=1):
            values = dict(
                hypervisor_version=1000, host_ip=f'192.168.0.{n}',
                cpu_info=CPU_INFO, vcpus=8, memory_mb=8192, local_gb=100,
                vcpus_used=n, memory_mb_used=512 * n,
                local_gb_used=10 * n, free_ram_mb=8192 - 512 * n,
                free_disk_gb=100 - 10 * n, disk_available_least=90,
                running_vms=n, current_workload=0)
            existing = nodes_db.compute_node_get_all(ctxt, host=host)
            if existing:
                node = nodes_db.compute_node_update(
                    ctxt, existing[0]['id'], values)
            else:
                service = services_db.service_get_by_host_and_binary(
                    ctxt, host, 'nova-compute')
                node = factories.make_compute_node(
                    ctxt, host=host, service_id=service['id'],
                    hypervisor_hostname=host, hypervisor_type='fake',
                    **values)
            seeded[f'NODE{n}_ID'] = node['id']
            seeded[f'NODE{n}_UUID'] = node['uuid']
            seeded[f'NODE{n}_NAME'] = node['hypervisor_hostname']

    @staticmethod
    def _seed_instances(ctxt: Any, seeded: dict[str, str]) -> None:
        small = factories.make_flavor(ctxt, name='seed.small', vcpus=1,
                                      memory_mb=512, root_gb=1)
        big = factories.make_flavor(ctxt, name='seed.big', vcpus=2,
                                    memory_mb=2048, root_gb=20)
        specs = [
            ('SERVER_A1', 'project-a', 'alice', 'compute1', small, 0),
            ('SERVER_A2', 'project-a', 'alice', 'compute2', big, 12),
            ('SERVER_A3', 'project-a', 'alice', 'compute1', small, 0),
            ('SERVER_B1', 'project-b', 'bob', 'compute2', small, 0),
            ('SERVER_B2', 'project-b', 'bob', 'compute1', small, 48),
        ]
        for minute, (name, project, user, host, flavor, launched) in \
                enumerate(specs):
            instance = factories.make_instance(
                ctxt, flavor=flavor, project_id=project, user_id=user,
                host=host, node=seeded[f'NODE{host[-1]}_NAME'],
                vm_state='active',
                task_state=None, power_state=1, display_name=name.lower(),
                launched_at=_at(launched),
                created_at=_at(-1) + datetime.timedelta(minutes=minute))
            seeded[name] = instance['uuid']
            # What a boot would have claimed (the allocation audit at the
            # end of the scenario checks it).
            allocations_db.claim_resources(
                ctxt, int(seeded[f'NODE{host[-1]}_ID']), instance['uuid'],
                resources_from_flavor(flavor))
        for name, ended in (('SERVER_A3', 6), ('SERVER_B2', 50)):
            instances_db.instance_update(
                ctxt, seeded[name], {'terminated_at': _at(ended),
                                     'vm_state': 'deleted'})
            instances_db.instance_destroy(ctxt, seeded[name])
            allocations_db.release_resources(ctxt, seeded[name])

    @staticmethod
    def _seed_migrations(ctxt: Any, seeded: dict[str, str]) -> None:
        common = {'source_compute': 'compute1', 'source_node': 'node1',
                  'dest_compute': 'compute2', 'dest_node': 'node2',
                  'dest_host': '192.168.0.2', 'old_instance_type_id': 1,
                  'new_instance_type_id': 1}
        specs = [
            ('MIG_RESIZE', 'SERVER_A1', 'project-a', 'resize', 'confirmed',
             False, {}),
            ('MIG_ERROR', 'SERVER_B1', 'project-b', 'migration', 'error',
             False, {'source_compute': 'compute2', 'source_node': 'node2',
                     'dest_compute': 'compute1', 'dest_node': 'node1'}),
            ('MIG_HIDDEN', 'SERVER_A2', 'project-a', 'resize', 'finished',
             True, {}),
            ('MIG_LIVE', 'SERVER_A1', 'project-a', 'live-migration',
             'running', False,
             {'memory_total': 123456, 'memory_processed': 12345,
              'memory_remaining': 111111, 'disk_total': 234567,
              'disk_processed': 23456, 'disk_remaining': 211111}),
        ]
        for hour, (name, server, project, kind, status, hidden, extra) in \
                enumerate(specs, start=1):
            values = dict(common, instance_uuid=seeded[server],
                          project_id=project, migration_type=kind,
                          status=status, hidden=hidden,
                          created_at=_at(hour), updated_at=_at(hour))
            values.update(extra)
            migration = factories.make_migration(ctxt, **values)
            seeded[f'{name}_ID'] = migration['id']
            seeded[f'{name}_UUID'] = migration['uuid']

    @staticmethod
    def _seed_actions(ctxt: Any, seeded: dict[str, str]) -> None:
        def action(server: str, kind: str, hour: int,
                   events: tuple = ()) -> str:
            instance = instances_db.instance_get_by_uuid(
                ctxt.elevated(read_deleted='yes'), seeded[server])
            row = factories.make_instance_action(
                ctxt, instance, kind, events=events,
                created_at=_at(hour), start_time=_at(hour))
            return row['request_id']

        seeded['REQ_A1_CREATE'] = action(
            'SERVER_A1', 'create', 0,
            (('compute__do_build_and_run_instance', 'Success', None),))
        seeded['REQ_A1_STOP'] = action(
            'SERVER_A1', 'stop', 1,
            (('compute_stop_instance', 'Error', 'Traceback: boom'),))
        seeded['REQ_A3_DELETE'] = action('SERVER_A3', 'delete', 6)
        seeded['REQ_B1_CREATE'] = action('SERVER_B1', 'create', 0)
        # Failures as the compute records them: a real traceback ending in
        # one of our exceptions, or in a foreign one.
        seeded['REQ_A2_REBOOT'] = action(
            'SERVER_A2', 'reboot', 2,
            (('compute_reboot_instance', 'Error',
              'Traceback (most recent call last):\n'
              '  File "guest.py", line 1, in reboot\n'
              'nova.exception.VirtDriverError: The guest did not reboot.'),
             ('compute_power_off_instance', 'Error',
              'Traceback (most recent call last):\n'
              '  File "guest.py", line 2, in stop\n'
              'KeyError: secret-internal-detail'),
             ('compute_start_instance', 'Success', None)))
