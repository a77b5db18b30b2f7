"""nova-scheduler: picks compute nodes and claims their resources.

The conductor calls ``nova.scheduler.rpcapi.SchedulerAPI``:

``select_destinations(context, request_spec, instance_uuids)``
    returns one list per instance uuid: the chosen node first, then up to
    ``[scheduler] max_attempts - 1`` alternates, each a dict::

        {'host': str, 'nodename': str, 'compute_node_id': int,
         'compute_node_uuid': str,
         'allocations': {'VCPU': n, 'MEMORY_MB': n, 'DISK_GB': n}}

    The chosen node's ``allocations`` are already claimed in the database
    with consumer_id = the instance uuid; alternates are not claimed.
    All instances are claimed or none: otherwise ``NoValidHost`` is
    raised, its reason naming each step that removed hosts ("RamFilter
    removed 7 of 10 hosts; ...").

``claim_alternate(context, request_spec, instance_uuid, selection)``
    on reschedule, after releasing the failed host's allocation: claims
    an alternate's ``allocations`` for the instance; True if held, False
    if the node has no room any more (try the next alternate). An RPC
    call so the claim logic stays in the scheduler service; it runs
    ``nova.scheduler.claims.claim_alternate``, which in-process callers
    (nova-all, tests) may also call directly. Rescheduling through
    ``select_destinations`` with ``retry.hosts`` works too: it releases
    the instance's allocations on the failed nodes, then claims anew.

``note_build_failure(context, host)`` / ``note_build_success``
    fanout casts that feed BuildFailureWeigher's per-host counters.

The request_spec dict (JSON-safe; keys may be missing or None)::

    {'instance_uuid': str,          # used when instance_uuids is empty
     'num_instances': int,
     'project_id': str, 'user_id': str,
     'flavor': {'flavorid', 'name', 'vcpus', 'memory_mb', 'root_gb',
                'ephemeral_gb', 'swap' (MB), 'extra_specs': {str: str}},
     'image': {'id', 'name', 'properties': {...}, 'min_ram', 'min_disk'},
     'availability_zone': str | None,
     'scheduler_hints': {'same_host': [uuid, ...],
                         'different_host': [uuid, ...],
                         'group': uuid,
                         'query': str (JSON, for JsonFilter),
                         'build_near_host_ip': str, 'cidr': '/24'},
     'instance_group': {'uuid', 'policy', 'rules', 'members': [uuid],
                        'hosts': [host]} | None,
     'ignore_hosts': [host], 'force_hosts': [host], 'force_nodes': [node],
     'requested_destination': {'host', 'node'} | None,
     'retry': {'num_attempts': int, 'hosts': [[host, node], ...]}}

Resources per instance: VCPU = vcpus, MEMORY_MB = memory_mb, DISK_GB =
root_gb + ephemeral_gb + ceil(swap / 1024). Server-group members' hosts
are looked up from the instances table (``members``); ``hosts`` is used
only when no member is given. Nodes in ``retry.hosts`` are never chosen
again for the request.

Host states are cached per scheduler process: each request re-reads
only the nodes whose generation moved (claims, inventory); services,
aggregates and instance counts are reloaded in the background every
``[filter_scheduler] host_state_full_reload_interval`` seconds. A stale
view can only cost a lost claim (then the next host is tried): capacity
is always checked by the claim itself, in the database.

Layout: ``host_manager`` (bulk-loaded, cached host states),
``host_state``, ``request`` (the spec as filters see it), ``filters/`` and
``weighers/`` (one class per module, entry points), ``pipeline`` (the
flow), ``claims`` (atomic claims), ``explain`` (NoValidHost reasons).
"""
