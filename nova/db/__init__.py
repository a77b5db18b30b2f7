"""Persistence: models, migrations and the data-access layer.

Only the API, conductor and scheduler processes open the database;
nova-compute asks nova-conductor instead (see ``engine.disallow``).
"""
