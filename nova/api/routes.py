"""The route table of the v2.1 API: path -> method -> (controller, action).

Read it on one screen. Controllers are referenced by class and built once
by ``nova.api.router``; server actions (POST /servers/{id}/action) are
dispatched by body key inside the servers action controller.
"""

from __future__ import annotations

from nova.api.controllers import aggregates
from nova.api.controllers import availability_zones
from nova.api.controllers import flavor_access
from nova.api.controllers import flavor_extra_specs
from nova.api.controllers import flavors
from nova.api.controllers import hosts
from nova.api.controllers import hypervisors
from nova.api.controllers import images
from nova.api.controllers import instance_actions
from nova.api.controllers import ips
from nova.api.controllers import keypairs
from nova.api.controllers import limits
from nova.api.controllers import migrations
from nova.api.controllers import quota_classes
from nova.api.controllers import quota_sets
from nova.api.controllers import remote_consoles
from nova.api.controllers import server_actions
from nova.api.controllers import server_groups
from nova.api.controllers import server_metadata
from nova.api.controllers import server_migrations
from nova.api.controllers import server_tags
from nova.api.controllers import server_topology
from nova.api.controllers import servers
from nova.api.controllers import services
from nova.api.controllers import simple_tenant_usage
from nova.api.controllers import versions

ROUTES: list[tuple[str, dict[str, tuple[type, str]]]] = [
    ('', {'GET': (versions.VersionController, 'show')}),
    ('/', {'GET': (versions.VersionController, 'show')}),

    ('/servers', {'GET': (servers.ServersController, 'index'),
                  'POST': (servers.ServersController, 'create')}),
    ('/servers/detail', {'GET': (servers.ServersController, 'detail')}),
    ('/servers/{id}', {'GET': (servers.ServersController, 'show'),
                       'PUT': (servers.ServersController, 'update'),
                       'DELETE': (servers.ServersController, 'delete')}),
    ('/servers/{id}/action', {
        'POST': (server_actions.ServerActionsController, 'action')}),
    ('/servers/{server_id}/remote-consoles', {
        'POST': (remote_consoles.RemoteConsolesController, 'create')}),
    ('/os-console-auth-tokens/{id}', {
        'GET': (remote_consoles.ConsoleAuthTokensController, 'show')}),
    ('/servers/{server_id}/topology', {
        'GET': (server_topology.ServerTopologyController, 'index')}),
    ('/servers/{server_id}/ips', {'GET': (ips.IPsController, 'index')}),
    ('/servers/{server_id}/ips/{id}', {'GET': (ips.IPsController, 'show')}),
    ('/servers/{server_id}/metadata', {
        'GET': (server_metadata.ServerMetadataController, 'index'),
        'POST': (server_metadata.ServerMetadataController, 'create'),
        'PUT': (server_metadata.ServerMetadataController, 'update_all')}),
    ('/servers/{server_id}/metadata/{id}', {
        'GET': (server_metadata.ServerMetadataController, 'show'),
        'PUT': (server_metadata.ServerMetadataController, 'update'),
        'DELETE': (server_metadata.ServerMetadataController, 'delete')}),
    ('/servers/{server_id}/tags', {
        'GET': (server_tags.ServerTagsController, 'index'),
        'PUT': (server_tags.ServerTagsController, 'update_all'),
        'DELETE': (server_tags.ServerTagsController, 'delete_all')}),
    ('/servers/{server_id}/tags/{id}', {
        'GET': (server_tags.ServerTagsController, 'show'),
        'PUT': (server_tags.ServerTagsController, 'update'),
        'DELETE': (server_tags.ServerTagsController, 'delete')}),

    ('/flavors', {'GET': (flavors.FlavorController, 'index'),
                  'POST': (flavors.FlavorController, 'create')}),
    ('/flavors/detail', {'GET': (flavors.FlavorController, 'detail')}),
    ('/flavors/{id}', {'GET': (flavors.FlavorController, 'show'),
                       'PUT': (flavors.FlavorController, 'update'),
                       'DELETE': (flavors.FlavorController, 'delete')}),
    ('/flavors/{id}/action', {
        'POST': (flavor_access.FlavorAccessController, 'action')}),
    ('/flavors/{flavor_id}/os-flavor-access', {
        'GET': (flavor_access.FlavorAccessController, 'index')}),
    ('/flavors/{flavor_id}/os-extra_specs', {
        'GET': (flavor_extra_specs.FlavorExtraSpecsController, 'index'),
        'POST': (flavor_extra_specs.FlavorExtraSpecsController, 'create')}),
    ('/flavors/{flavor_id}/os-extra_specs/{id}', {
        'GET': (flavor_extra_specs.FlavorExtraSpecsController, 'show'),
        'PUT': (flavor_extra_specs.FlavorExtraSpecsController, 'update'),
        'DELETE': (flavor_extra_specs.FlavorExtraSpecsController,
                   'delete')}),

    ('/os-keypairs', {'GET': (keypairs.KeypairController, 'index'),
                      'POST': (keypairs.KeypairController, 'create')}),
    ('/os-keypairs/{id}', {'GET': (keypairs.KeypairController, 'show'),
                           'DELETE': (keypairs.KeypairController,
                                      'delete')}),

    ('/limits', {'GET': (limits.LimitsController, 'index')}),
    ('/os-quota-sets/{id}/defaults', {
        'GET': (quota_sets.QuotaSetsController, 'defaults')}),
    ('/os-quota-sets/{id}/detail', {
        'GET': (quota_sets.QuotaSetsController, 'detail')}),
    ('/os-quota-sets/{id}', {
        'GET': (quota_sets.QuotaSetsController, 'show'),
        'PUT': (quota_sets.QuotaSetsController, 'update'),
        'DELETE': (quota_sets.QuotaSetsController, 'delete')}),
    ('/os-quota-class-sets/{id}', {
        'GET': (quota_classes.QuotaClassSetsController, 'show'),
        'PUT': (quota_classes.QuotaClassSetsController, 'update')}),

    ('/os-availability-zone', {
        'GET': (availability_zones.AvailabilityZoneController, 'index')}),
    ('/os-availability-zone/detail', {
        'GET': (availability_zones.AvailabilityZoneController, 'detail')}),

    ('/images', {'GET': (images.ImagesController, 'index')}),
    ('/images/detail', {'GET': (images.ImagesController, 'detail')}),
    ('/images/{id}', {'GET': (images.ImagesController, 'show'),
                      'DELETE': (images.ImagesController, 'delete')}),

    ('/os-services', {'GET': (services.ServiceController, 'index')}),
    ('/os-services/{id}', {
        'PUT': (services.ServiceController, 'update'),
        'DELETE': (services.ServiceController, 'delete')}),

    ('/os-aggregates', {
        'GET': (aggregates.AggregateController, 'index'),
        'POST': (aggregates.AggregateController, 'create')}),
    ('/os-aggregates/{id}', {
        'GET': (aggregates.AggregateController, 'show'),
        'PUT': (aggregates.AggregateController, 'update'),
        'DELETE': (aggregates.AggregateController, 'delete')}),
    ('/os-aggregates/{id}/action', {
        'POST': (aggregates.AggregateController, 'action')}),
    ('/os-aggregates/{id}/images', {
        'POST': (aggregates.AggregateController, 'images')}),

    ('/os-server-groups', {
        'GET': (server_groups.ServerGroupController, 'index'),
        'POST': (server_groups.ServerGroupController, 'create')}),
    ('/os-server-groups/{id}', {
        'GET': (server_groups.ServerGroupController, 'show'),
        'DELETE': (server_groups.ServerGroupController, 'delete')}),

    ('/os-hypervisors', {
        'GET': (hypervisors.HypervisorController, 'index')}),
    ('/os-hypervisors/detail', {
        'GET': (hypervisors.HypervisorController, 'detail')}),
    ('/os-hypervisors/statistics', {
        'GET': (hypervisors.HypervisorController, 'statistics')}),
    ('/os-hypervisors/{id}', {
        'GET': (hypervisors.HypervisorController, 'show')}),
    ('/os-hypervisors/{id}/uptime', {
        'GET': (hypervisors.HypervisorController, 'uptime')}),
    ('/os-hypervisors/{id}/search', {
        'GET': (hypervisors.HypervisorController, 'search')}),
    ('/os-hypervisors/{id}/servers', {
        'GET': (hypervisors.HypervisorController, 'servers')}),

    ('/os-hosts', {'GET': (hosts.HostController, 'index')}),
    ('/os-hosts/{id}', {'GET': (hosts.HostController, 'show'),
                        'PUT': (hosts.HostController, 'update')}),
    ('/os-hosts/{id}/reboot', {'GET': (hosts.HostController, 'reboot')}),
    ('/os-hosts/{id}/shutdown', {
        'GET': (hosts.HostController, 'shutdown')}),
    ('/os-hosts/{id}/startup', {'GET': (hosts.HostController, 'startup')}),

    ('/os-migrations', {
        'GET': (migrations.MigrationsController, 'index')}),
    ('/servers/{server_id}/migrations', {
        'GET': (server_migrations.ServerMigrationsController, 'index')}),
    ('/servers/{server_id}/migrations/{id}', {
        'GET': (server_migrations.ServerMigrationsController, 'show'),
        'DELETE': (server_migrations.ServerMigrationsController, 'delete')}),
    ('/servers/{server_id}/migrations/{id}/action', {
        'POST': (server_migrations.ServerMigrationsController, 'action')}),

    ('/os-simple-tenant-usage', {
        'GET': (simple_tenant_usage.SimpleTenantUsageController,
                'index')}),
    ('/os-simple-tenant-usage/{tenant_id}', {
        'GET': (simple_tenant_usage.SimpleTenantUsageController,
                'show')}),

    ('/servers/{server_id}/os-instance-actions', {
        'GET': (instance_actions.InstanceActionsController, 'index')}),
    ('/servers/{server_id}/os-instance-actions/{id}', {
        'GET': (instance_actions.InstanceActionsController, 'show')}),
]
