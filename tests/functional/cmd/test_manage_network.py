"""``nova-manage network`` as an operator runs it: a subprocess, a real
database, then the address manager handing out addresses of the network.
"""

from __future__ import annotations

import pytest

from nova import context as nova_context
from nova import exception
from nova.cmd.manage import CommandError
from nova.cmd.manage_network import NetworkCommands
from nova.db.api import networks as networks_db
from nova.network import api as network_api
from tests.fixtures import database
from tests.functional.cmd.test_manage_db import assert_clean_error
from tests.functional.cmd.test_manage_db import nova_manage
from tests.functional.cmd.test_manage_db import write_config


@pytest.fixture
def config(db, tmp_path):
    return write_config(tmp_path, db)


@pytest.fixture
def ctxt():
    return nova_context.get_admin_context()


def manage(config, *argv):
    result = nova_manage('network', *argv, config=config)
    assert 'Traceback' not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize('backend', database.backend_params(
    database.SQLITE, database.POSTGRESQL, database.MYSQL))
def test_create_then_list_then_allocate(config, ctxt):
    created = manage(config, 'create', '--label', 'private',
                     '--cidr', '10.20.0.0/29', '--dns1', '192.0.2.53',
                     '--dns2', '192.0.2.54', '--mtu', '1400', '--default')
    v6 = manage(config, 'create', '--label', 'v6', '--cidr', 'fd00:1::/64',
                '--gateway', 'fd00:1::fffe', '--project-id', 'demo')
    assert created.returncode == 0, created
    assert v6.returncode == 0, v6
    uuid = created.stdout.strip()

    net = networks_db.network_get_by_uuid(ctxt, uuid)
    assert (net['label'], net['cidr'], net['gateway'], net['dns1'],
            net['dns2'], net['mtu'], net['is_default']) == (
        'private', '10.20.0.0/29', '10.20.0.1', '192.0.2.53', '192.0.2.54',
        1400, True)
    # The address manager uses it: "networks: auto" picks the default.
    info = network_api.allocate_for_instance(ctxt, 'instance-1', 'auto')
    assert info[0]['network']['id'] == uuid
    assert info[0]['network']['subnets'][0]['ips'][0]['address'] == \
        '10.20.0.2'

    listed = manage(config, 'list')
    assert listed.returncode == 0, listed
    header, *rows = listed.stdout.splitlines()
    assert header.split()[:4] == ['UUID', 'Label', 'CIDR', 'Gateway']
    assert len(rows) == 2
    private = next(row.split() for row in rows if row.startswith(uuid))
    assert private == [uuid, 'private', '10.20.0.0/29', '10.20.0.1',
                       '192.0.2.53', '192.0.2.54', '1400', '-', 'yes', '1']
    v6_row = next(row.split() for row in rows if not row.startswith(uuid))
    assert v6_row[1:4] == ['v6', 'fd00:1::/64', 'fd00:1::fffe']
    assert v6_row[7] == 'demo'


def test_list_without_networks_prints_the_header(config):
    listed = manage(config, 'list')
    assert listed.returncode == 0, listed
    assert listed.stdout.split()[:3] == ['UUID', 'Label', 'CIDR']
    assert len(listed.stdout.splitlines()) == 1


def test_bad_input_is_refused_clearly(config, ctxt):
    result = manage(config, 'create', '--label', 'bad', '--cidr',
                    '10.0.0.0/24', '--gateway', '10.9.9.1')

    assert_clean_error(result, 'gateway 10.9.9.1 is not in 10.0.0.0/24')
    assert networks_db.network_get_all(ctxt) == []


# The same checks in-process (a subprocess costs a second or more each).
@pytest.mark.parametrize('kwargs,message', [
    ({'cidr': '10.0.0.1/24'}, 'host bits set'),
    ({'cidr': 'ten/8'}, "bad CIDR 'ten/8'"),
    ({'cidr': '10.0.0.0/31'}, 'too small'),
    ({'cidr': '10.0.0.0/24', 'gateway': '10.0.0.255'}, 'broadcast address'),
    ({'cidr': '10.0.0.0/24', 'gateway': '10.0.0.0'}, 'network or broadcast'),
    ({'cidr': '10.0.0.0/24', 'dns1': 'dns.example'},
     "dns1 'dns.example' is not an IP address"),
    ({'cidr': '10.0.0.0/24', 'dns2': '10.0.0.300'}, 'not an IP address'),
    ({'cidr': '10.0.0.0/24', 'mtu': 9}, 'MTU 9 is not between'),
])
def test_every_bad_input_is_refused(db, ctxt, kwargs, message):
    with pytest.raises(CommandError, match=message):
        NetworkCommands().create(label='bad', **kwargs)
    assert networks_db.network_get_all(ctxt) == []


def test_missing_required_option_is_a_usage_error(config):
    result = manage(config, 'create', '--cidr', '10.0.0.0/24')
    assert result.returncode == 1
    assert '--label' in result.stderr


def test_delete(config, ctxt):
    uuid = networks_db.network_create(
        ctxt, {'label': 'gone', 'cidr': '10.5.0.0/24'})['uuid']
    busy = networks_db.network_create(
        ctxt, {'label': 'busy', 'cidr': '10.6.0.0/24'})['uuid']
    network_api.allocate_for_instance(ctxt, 'instance-1', [{'uuid': busy}])

    deleted = manage(config, 'delete', uuid)
    refused = manage(config, 'delete', busy)

    assert deleted.returncode == 0, deleted
    assert 'Deleted network' in deleted.stdout
    assert_clean_error(refused, 'fixed IPs in use')
    assert [n['uuid'] for n in networks_db.network_get_all(ctxt)] == [busy]
    with pytest.raises(exception.NetworkNotFound, match=uuid):
        NetworkCommands().delete(uuid)
