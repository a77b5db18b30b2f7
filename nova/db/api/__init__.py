"""The data-access layer, one module per resource.

Conventions (every module follows them; callers may rely on them):

- Every public function takes the ``RequestContext`` first and runs in an
  enginefacade transaction (``@engine.reader`` / ``@engine.writer``).
  Called inside an outer transaction on the same context, it joins it, so
  a caller can make several calls atomic by wrapping them in its own
  ``engine.writer`` function.
- Functions return **plain dicts** (lists of dicts for lists), never ORM
  objects: results are safe to use after the transaction ends, in other
  threads, and to send over RPC. Keys are the column names; JSON columns
  (``instance_extra``, ``request_specs.spec``, server group ``rules``)
  come back decoded. Child rows are folded in where the API always wants
  them (e.g. an instance's ``metadata``/``system_metadata`` dicts, a
  flavor's ``extra_specs`` dict and ``projects`` list).
- Lookups of a single row raise a ``nova.exception.NotFound`` subclass;
  unique-constraint violations raise a ``nova.exception.Duplicate``
  subclass; lost races raise a ``Conflict`` subclass.
- Soft-deleted rows (instances and their children, migrations, images)
  follow ``context.read_deleted`` ('no', 'yes', 'only') unless a function
  says otherwise.
- Functions whose correctness relies on conditional UPDATEs retry on
  deadlocks and SQLite lock errors, but only when they own the
  transaction (see ``nova.db.api.utils.retry_on_deadlock``).

Modules: ``services``, ``compute_nodes`` (with inventories),
``allocations`` (atomic claims), ``instances``, ``instance_metadata``,
``instance_faults``, ``instance_actions``, ``tags``, ``flavors``,
``keypairs``, ``quotas`` (limits and atomic reservations),
``aggregates``, ``server_groups``, ``migrations``, ``request_specs``,
``networks`` (with fixed IPs), ``images``, ``console_auth_tokens``.
"""
