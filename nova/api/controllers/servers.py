"""servers: create, list, show, update, delete."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import changes
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import parameter_types
from nova.api.schemas import servers as schemas
from nova.api.views import servers as views
from nova.compute import api as compute_api
from nova.compute import create as create_flow
from nova.compute import hypervisors as compute_hypervisors
from nova.compute import server_details
from nova.compute import status as compute_status
from nova.i18n import _

POLICY = 'os_compute_api:servers:%s'
_SORT_KEYS = {'created_at', 'display_name', 'updated_at', 'uuid',
              'vm_state', 'task_state', 'launched_at', 'host', 'node',
              'project_id', 'user_id', 'key_name', 'image_ref',
              'availability_zone', 'hostname', 'locked'}


class ServersController:
    def __init__(self) -> None:
        self.compute = compute_api.API()

    @validation.query_schema(schemas.index_query, None, '2.74')
    @validation.query_schema(schemas.index_query_v275,
                             mv.SERVER_LIST_STRICT_QUERY)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'index')
        instances = self._list(req, 'index')
        body = {'servers': [views.basic(req, i) for i in instances]}
        return self._with_next(req, body, instances)

    @validation.query_schema(schemas.index_query, None, '2.74')
    @validation.query_schema(schemas.index_query_v275,
                             mv.SERVER_LIST_STRICT_QUERY)
    def detail(self, req: wsgi.Request) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'detail')
        instances = self._list(req, 'detail')
        body = {'servers': self._details(req, instances)}
        return self._with_next(req, body, instances)

    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        instance = self.compute.get(req.context, id)
        policy.authorize(req.context, POLICY % 'show',
                         {'project_id': instance['project_id']})
        return {'server': server_body(req, instance)}

    @wsgi.response(202)
    @validation.schema(schemas.create_v21, '2.1', '2.18')
    @validation.schema(schemas.create_v219, '2.19', '2.36')
    @validation.schema(schemas.create_v237, '2.37', '2.51')
    @validation.schema(schemas.create_v252, '2.52', '2.56')
    @validation.schema(schemas.create_v257, mv.REBUILD_USER_DATA, '2.62')
    @validation.schema(schemas.create_v263, mv.TRUSTED_CERTS, '2.73')
    @validation.schema(schemas.create_v274, mv.CREATE_ON_HOST, '2.89')
    @validation.schema(schemas.create_v290, mv.SERVER_HOSTNAME, '2.93')
    @validation.schema(schemas.create_v294, mv.FQDN_HOSTNAME)
    def create(self, req: wsgi.Request, body: dict[str, Any]) -> Any:
        context = req.context
        policy.authorize(context, POLICY % 'create')
        server = body['server']
        _refuse_unsupported(server)
        hints = body.get('os:scheduler_hints') or \
            body.get('OS-SCH-HNT:scheduler_hints') or {}
        zone = server.get('availability_zone')
        if zone and ':' in zone:
            policy.authorize(context, POLICY % 'create:forced_host')
        min_count = int(server.get('min_count', 1))
        max_count = int(server.get('max_count', min_count))
        if min_count > max_count:
            raise exception.Invalid(reason=_(
                'min_count must be <= max_count'))
        if server.get('hostname') and max_count > 1:
            raise exception.Invalid(reason=_(
                'Cannot set the hostname of several servers at once; '
                'leave hostname out when max_count is above 1.'))
        destination = _requested_destination(req, server, zone)
        admin_pass = server.get('adminPass') or \
            create_flow.generate_password()
        request = {
            'name': server['name'], 'flavor_ref': str(server['flavorRef']),
            'image_ref': server['imageRef'],
            'key_name': server.get('key_name'),
            'availability_zone': zone,
            'metadata': server.get('metadata'),
            'user_data': server.get('user_data'),
            'description': server.get('description'),
            'networks': _networks(server.get('networks')),
            'min_count': min_count, 'max_count': max_count,
            'scheduler_hints': hints, 'tags': server.get('tags'),
            'access_ip_v4': server.get('accessIPv4'),
            'access_ip_v6': server.get('accessIPv6'),
            'admin_password': admin_pass,
            'trusted_certs': server.get('trusted_image_certificates'),
            'hostname': server.get('hostname'),
            'requested_destination': destination,
        }
        instances, reservation_id = self.compute.create(context, request)
        if parameter_types.to_bool(server.get('return_reservation_id',
                                              False)):
            return {'reservation_id': reservation_id}
        first = instances[0]
        view = views.basic(req, first)
        del view['name']
        view.update({'OS-DCF:diskConfig': 'MANUAL',
                     'security_groups': [{'name': 'default'}],
                     'adminPass': admin_pass})
        return wsgi.ResponseObject(
            {'server': view}, headers={'Location': view['links'][0]['href']})

    @validation.schema(schemas.update_v21, '2.1', '2.18')
    @validation.schema(schemas.update_v219, mv.SERVER_DESCRIPTION, '2.89')
    @validation.schema(schemas.update_v290, mv.SERVER_HOSTNAME, '2.93')
    @validation.schema(schemas.update_v294, mv.FQDN_HOSTNAME)
    def update(self, req: wsgi.Request, id: str,
               body: dict[str, Any]) -> dict[str, Any]:
        context = req.context
        instance = self.compute.get(context, id)
        policy.authorize(context, POLICY % 'update',
                         {'project_id': instance['project_id']})
        server = body['server']
        values: dict[str, Any] = {}
        if 'name' in server:
            values['display_name'] = server['name']
        if 'description' in server:
            values['display_description'] = server['description']
        if 'accessIPv4' in server:
            values['access_ip_v4'] = server['accessIPv4']
        if 'accessIPv6' in server:
            values['access_ip_v6'] = server['accessIPv6']
        if 'hostname' in server:
            values['hostname'] = server['hostname']
        if values:
            instance = self.compute.update(context, instance, values)
        return {'server': views.as_update_response(
            req, server_body(req, instance))}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        context = req.context
        instance = self.compute.get(context, id)
        policy.authorize(context, POLICY % 'delete',
                         {'project_id': instance['project_id']})
        self.compute.delete(context, instance)

    # -- helpers -------------------------------------------------------------
    def _list(self, req: wsgi.Request, action: str) -> list[dict[str, Any]]:
        context = req.context
        params = req.GET
        all_projects = parameter_types.to_bool(
            params.get('all_tenants', 'false')) if \
            'all_tenants' in params else False
        if all_projects:
            policy.authorize(context, POLICY % f'{action}:get_all_tenants')
        filters = self._filters(req, all_projects)
        sort_keys = params.getall('sort_key') or ['created_at']
        sort_dirs = params.getall('sort_dir') or ['desc'] * len(sort_keys)
        valid_keys = _SORT_KEYS if req.is_at_least(mv.LOCK_REASON) else \
            _SORT_KEYS - {'locked'}
        for key in sort_keys:
            if key not in valid_keys:
                raise exception.Invalid(
                    reason=_('Invalid sort_key %s') % key)
        if len(sort_dirs) != len(sort_keys):
            sort_dirs = (sort_dirs + ['desc'] * len(sort_keys))[
                :len(sort_keys)]
        limit = links.limit_from(req)
        try:
            return self.compute.get_all(
                context, filters, sort_keys + ['uuid'],
                sort_dirs + [sort_dirs[0]], limit, params.get('marker'),
                all_projects=all_projects)
        except exception.MarkerNotFound:
            raise exception.Invalid(reason=_(
                'marker [%s] not found') % params.get('marker')) from None

    def _filters(self, req: wsgi.Request,
                 all_projects: bool) -> dict[str, Any]:
        params = req.GET
        context = req.context
        admin = policy.authorize(context, POLICY % 'allow_all_filters',
                                 {}, fatal=False)
        filters: dict[str, Any] = {}
        if 'status' in params:
            states: list[str] = []
            tasks: list[str] = []
            for status in params.getall('status'):
                found, found_tasks = compute_status.states_for(status)
                if not found and req.is_at_least(mv.INVALID_STATUS_400):
                    raise exception.Invalid(reason=_(
                        'Invalid status value %s') % status)
                states.extend(found)
                tasks.extend(found_tasks or [])
            filters['vm_state'] = states or ['__none__']
            # As upstream: task statuses (REBOOT, RESIZE...) narrow the
            # task_state of every status asked for.
            if tasks:
                filters['task_state'] = tasks
        simple = {'name': 'display_name_regex', 'image': 'image_ref',
                  'reservation_id': 'reservation_id'}
        for param, column in simple.items():
            if param in params:
                filters[column] = params[param]
        if admin or req.is_at_least(mv.READER_FILTERS):
            filters.update(_reader_filters(params))
        if 'locked' in params and req.is_at_least(mv.LOCK_REASON):
            filters['locked'] = parameter_types.to_bool(params['locked'])
        if 'ip' in params:
            filters['ip_regex'] = params['ip']
        # ip6 was silently dropped for non-admins before 2.5.
        if 'ip6' in params and (admin or req.is_at_least(mv.IP6_FILTER)):
            filters['ip6_regex'] = params['ip6']
        if 'flavor' in params:
            filters['instance_type_id'] = self._flavor_row_id(
                context, params['flavor'])
        if req.is_at_least(mv.SERVER_TAGS):
            for param in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
                tags = [t for t in params.get(param, '').split(',') if t]
                if tags:
                    filters[param] = tags
        filters.update(_changes_window(req))
        if admin:
            for param in ('host', 'node'):
                if param in params:
                    filters[param] = params[param]
            if all_projects:
                project = params.get('project_id') or \
                    params.get('tenant_id')
                if project:
                    filters['project_id'] = project
            if 'deleted' in params:
                filters['deleted'] = parameter_types.to_bool(
                    params['deleted'])
        filters = {k: v for k, v in filters.items() if v is not None or
                   k == 'deleted'}
        if filters.get('deleted') is None:
            filters.pop('deleted', None)
        return filters

    @staticmethod
    def _flavor_row_id(context: Any, flavorid: str) -> int:
        from nova.compute import flavors as compute_flavors
        try:
            return compute_flavors.get_flavor_by_flavor_id(
                context, flavorid)['id']
        except exception.FlavorNotFound:
            return -1  # matches no server, like an unknown flavor should

    def _details(self, req: wsgi.Request, instances: list[dict[str, Any]],
                 single: bool = False) -> list[dict[str, Any]]:
        """Full server bodies; ``single`` for show/update/rebuild, which
        also carry the server's groups from 2.71."""
        context = req.context
        uuids = [i['uuid'] for i in instances]
        addresses = self.compute.addresses(context, uuids)
        faults = self.compute.faults(context, uuids)
        tags = self.compute.tags(context, uuids) if \
            req.is_at_least(mv.SERVER_TAGS) else {}
        specs = server_details.request_specs(context, uuids) if \
            req.is_at_least(mv.PINNED_AZ) else {}
        groups = server_details.server_groups(context, uuids) if \
            single and req.is_at_least(mv.SERVER_GROUPS_IN_SERVER) else None
        result = []
        # One service lookup per host, not per server, for long lists.
        statuses: dict[Any, str] = {}
        for instance in instances:
            uuid = instance['uuid']
            host_status = None
            if req.is_at_least(mv.HOST_STATUS) and \
                    views.may_show_host_status(context, instance):
                host = instance.get('host')
                if host not in statuses:
                    statuses[host] = self.compute.host_status(context, host)
                host_status = statuses[host]
            result.append(views.detail(
                req, instance,
                {'addresses': addresses.get(uuid), 'fault': faults.get(uuid),
                 'tags': tags.get(uuid), 'spec': specs.get(uuid),
                 'server_groups': (None if groups is None
                                   else groups.get(uuid, []))},
                views.may_show_extended(context, instance), host_status))
        return result

    @staticmethod
    def _with_next(req: wsgi.Request, body: dict[str, Any],
                   instances: list[dict[str, Any]]) -> dict[str, Any]:
        limit = links.limit_from(req)
        if 'limit' in req.GET or len(instances) >= limit:
            next_links = links.next_link(
                req, 'servers', [{'id': i['uuid']} for i in instances],
                limit)
            if next_links:
                body['servers_links'] = next_links
        return body


def _networks(networks: Any) -> Any:
    if networks is None or isinstance(networks, str):
        return networks
    return [{k: v for k, v in net.items() if v is not None}
            for net in networks]


def server_body(req: wsgi.Request, instance: dict[str, Any]
                ) -> dict[str, Any]:
    """The full body of one server as show, update and rebuild answer it
    at the request's microversion."""
    return ServersController()._details(req, [instance], single=True)[0]


# Filters non-admins may use from 2.83 (admins always): query parameter
# -> instance filter.
_READER_FILTERS = {'availability_zone': 'availability_zone',
                   'key_name': 'key_name', 'config_drive': 'config_drive',
                   'user_id': 'user_id', 'vm_state': 'vm_state',
                   'task_state': 'task_state'}
_READER_INT_FILTERS = ('power_state', 'progress')
_READER_TIME_FILTERS = ('created_at', 'launched_at', 'terminated_at')


def _reader_filters(params: Any) -> dict[str, Any]:
    from oslo_utils import timeutils
    filters: dict[str, Any] = {}
    for param, column in _READER_FILTERS.items():
        if param in params:
            values = params.getall(param)
            filters[column] = values if len(values) > 1 else values[0]
    for param in _READER_INT_FILTERS:
        if param in params:
            filters[param] = int(params[param])
    for param in _READER_TIME_FILTERS:
        if param in params:
            # A timestamp matches to the second it names.
            filters[f'{param}_second'] = timeutils.normalize_time(
                timeutils.parse_isotime(params[param]))
    return filters


def _changes_window(req: wsgi.Request) -> dict[str, Any]:
    """changes-since / changes-before as instance filters; either one
    also lists deleted servers."""
    since, before = changes.window(req)
    window: dict[str, Any] = {}
    if since is not None:
        window['changes-since'] = since
    if before is not None:
        window['changes-before'] = before
    if window:
        window['deleted'] = None
    return window

def _image_root_disk(server: dict[str, Any]) -> None:
    """Fold the one mapping clients such as python-openstackclient send
    for a plain image boot (image -> local disk, boot index 0) into
    imageRef; any other mapping needs a volume service."""
    mappings = server.get('block_device_mapping_v2')
    if not mappings or len(mappings) != 1:
        return
    bdm = mappings[0]
    local_image = (bdm.get('source_type') == 'image' and
                   bdm.get('destination_type', 'local') == 'local' and
                   str(bdm.get('boot_index', 0)) == '0' and
                   bdm.get('uuid'))
    if not local_image or \
            server.get('imageRef') not in (None, '', bdm['uuid']):
        return
    server['imageRef'] = bdm['uuid']
    del server['block_device_mapping_v2']


def _refuse_unsupported(server: dict[str, Any]) -> None:
    """Create requests we cannot honour here: a clear 400 each."""
    _image_root_disk(server)
    if server.get('block_device_mapping') or \
            server.get('block_device_mapping_v2'):
        raise exception.Invalid(reason=_(
            'Block device mappings are not supported: this cloud has '
            'no volume service. Boot from an image with imageRef.'))
    if server.get('personality'):
        raise exception.Invalid(reason=_(
            'Personality files are not supported; use user_data.'))
    if not server.get('imageRef'):
        raise exception.Invalid(reason=_(
            'Missing imageRef attribute: booting from volume is not '
            'supported here.'))


def _requested_destination(req: wsgi.Request, server: dict[str, Any],
                           zone: str | None) -> dict[str, Any] | None:
    """host / hypervisor_hostname (2.74, admins): where to build; the
    scheduler still runs its filters against that host."""
    host = server.get('host')
    node = server.get('hypervisor_hostname')
    if not host and not node:
        return None
    policy.authorize(req.context, 'compute:servers:create:'
                     'requested_destination', {})
    if zone and ':' in zone:
        raise exception.Invalid(reason=_(
            'host and hypervisor_hostname cannot be combined with the '
            'zone:host:node form of availability_zone.'))
    if not compute_hypervisors.node_exists(req.context, host, node):
        raise exception.Invalid(reason=_(
            'Compute host %(host)s / node %(node)s could not be found.')
            % {'host': host or '*', 'node': node or '*'})
    return {'host': host, 'node': node}
