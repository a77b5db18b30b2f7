"""Alembic revisions, one module each (a package so that installs ship
them; alembic skips this file)."""
