"""WSGI entry points for external servers (uWSGI, mod_wsgi, gunicorn)."""
