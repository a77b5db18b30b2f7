"""Alembic migrations of the nova database; run them with
``nova-manage db sync`` (see ``nova.db.migration``)."""
