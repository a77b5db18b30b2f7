"""nova-manage: operator commands, grouped in categories.

    nova-manage [--config-file FILE ...] CATEGORY ACTION [ARGS]

A category is a class whose public methods are its actions; ``@args``
declares an action's command-line arguments, and the action returns the
exit code (None means 0). ``CATEGORIES`` maps category names to classes,
or to ``'module:Class'`` strings that are imported only when the command
line is built, so a category in its own module may import ``args`` and
``CommandError`` from here without an import cycle.

Exit codes: 0 success, 1 error. Expected errors (bad configuration, an
unreachable database, a refused migration) print one line to stderr and
no traceback.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from oslo_db import exception as db_exc

from nova import config
from nova import exception

CONF = cfg.CONF


class CommandError(Exception):
    """An expected failure: its message is all the operator needs."""


def args(*names: str, **kwargs: Any) -> Callable[[Callable], Callable]:
    """Declare one argparse argument of an action (stack for more)."""
    def decorate(fn: Callable) -> Callable:
        # Decorators apply bottom-up; insert first to keep source order.
        fn.__dict__.setdefault('args', []).insert(0, (names, kwargs))
        return fn
    return decorate


def _require_database() -> None:
    if not CONF.database.connection:
        raise CommandError(
            'no database configured: set [database] connection in the '
            'file given with --config-file')


class DbCommands:
    """Create and upgrade the database schema."""

    # nova.db.migration is imported in the actions: building the command
    # line (and --help) must not need alembic or the models.

    @args('version', metavar='VERSION', nargs='?',
          help='Revision to upgrade to (default: the newest)')
    def sync(self, version: str | None = None) -> int:
        """Create the schema or upgrade it to VERSION."""
        from nova.db import migration
        _require_database()
        migration.db_sync(version)
        return 0

    def version(self) -> int:
        """Print the schema's current revision (None if empty)."""
        from nova.db import migration
        _require_database()
        print(migration.db_version())
        return 0

    # Exit codes of the two below are upstream's, for operators' loops:
    # archive 0 nothing archived, 1 rows archived, 2 bad --max_rows,
    # 4 bad --before; purge 0 rows purged, 1 neither --before nor --all,
    # 2 bad --before, 3 nothing to purge.

    @args('--max_rows', '--max-rows', type=int, default=1000,
          metavar='N', help='Servers (and lone migrations) per batch '
                            '(default 1000)')
    @args('--before', metavar='DATE',
          help='Only rows deleted before DATE (YYYY-MM-DD[ HH:MM], UTC)')
    @args('--verbose', action='store_true',
          help='Print the number of rows archived per table')
    @args('--until-complete', action='store_true',
          help='Run batches until nothing is left to archive')
    def archive_deleted_rows(self, max_rows: int = 1000,
                             before: str | None = None,
                             verbose: bool = False,
                             until_complete: bool = False) -> int:
        """Move deleted servers and their rows to shadow tables."""
        from nova.cmd import manage_archive
        _require_database()
        return manage_archive.archive_command(max_rows, before, verbose,
                                              until_complete)

    @args('--before', metavar='DATE',
          help='Purge rows archived for servers deleted before DATE')
    @args('--all', action='store_true', dest='purge_all',
          help='Purge every archived row')
    @args('--verbose', action='store_true',
          help='Print the number of rows purged per table')
    def purge(self, before: str | None = None, purge_all: bool = False,
              verbose: bool = False) -> int:
        """Delete archived rows from the shadow tables for good."""
        from nova.cmd import manage_archive
        _require_database()
        return manage_archive.purge_command(before, purge_all, verbose)


CATEGORIES: dict[str, type | str] = {
    'db': DbCommands,
    'image': 'nova.cmd.manage_image:ImageCommands',
    'network': 'nova.cmd.manage_network:NetworkCommands',
    'placement': 'nova.cmd.manage_placement:PlacementCommands',
    'service': 'nova.cmd.manage_service:ServiceCommands',
    'cell_v2': 'nova.cmd.manage_hosts:CellV2Commands',
}

# Errors an operator can fix from the message alone.
_EXPECTED_ERRORS = (
    CommandError,
    exception.NovaException,
    db_exc.DBMigrationError,
    db_exc.DBConnectionError,
    db_exc.DBNonExistentDatabase,
    # The server refused us (down, wrong credentials, no privileges...);
    # oslo.db passes some of these on untranslated.
    sa.exc.OperationalError,
)

# Prefix of the argparse destinations of action arguments, so they can
# never clash with the attributes oslo.config puts in the namespace.
_KWARG = 'action_kwarg_'


def _category_class(name: str) -> type:
    category = CATEGORIES[name]
    if isinstance(category, str):
        module, _, cls = category.partition(':')
        category = getattr(importlib.import_module(module), cls)
    return category


def _actions(obj: Any) -> list[tuple[str, Callable]]:
    return [(name, getattr(obj, name)) for name in sorted(dir(obj))
            if not name.startswith('_') and callable(getattr(obj, name))]


def _first_line(text: str | None) -> str | None:
    return text.strip().splitlines()[0] if text else None


def _add_action(subparsers: Any, name: str, fn: Callable) -> None:
    parser = subparsers.add_parser(name, help=_first_line(fn.__doc__),
                                   description=fn.__doc__)
    kwarg_names = []
    for names, kwargs in getattr(fn, 'args', []):
        kwargs = dict(kwargs)
        if names[0].startswith('-'):
            dest = kwargs.pop('dest', names[0].lstrip('-').replace('-', '_'))
            kwargs['dest'] = _KWARG + dest
        else:
            # A positional's name is its destination.
            dest = names[0]
            kwargs.setdefault('metavar', dest.upper())
            names = (_KWARG + dest,)
        kwarg_names.append(dest)
        parser.add_argument(*names, **kwargs)
    parser.set_defaults(action_fn=fn, action_kwargs=kwarg_names)


def add_command_parsers(subparsers: Any) -> None:
    """Build ``CATEGORY ACTION [ARGS]`` parsers (the SubCommandOpt hook)."""
    for category in CATEGORIES:
        cls = _category_class(category)
        parser = subparsers.add_parser(
            category, help=_first_line(cls.__doc__))
        actions = parser.add_subparsers(dest='action', metavar='ACTION')
        actions.required = True
        for name, fn in _actions(cls()):
            _add_action(actions, name, fn)


category_opt = cfg.SubCommandOpt(
    'category', title='Command categories', dest='category',
    help='Available categories', handler=add_command_parsers)


def _run(namespace: Any) -> int:
    fn = namespace.action_fn
    kwargs = {name: getattr(namespace, _KWARG + name)
              for name in namespace.action_kwargs}
    result = fn(**kwargs)
    return 0 if result is None else int(result)


def _parse(argv: list[str]) -> int | None:
    """Parse configuration and command line; an exit code on failure."""
    CONF.register_cli_opt(category_opt)
    try:
        config.parse_args(argv, configure_db=True)
    except SystemExit as exc:
        # argparse has printed usage (or --help); usage errors exit 1 too.
        return 0 if exc.code in (0, None) else 1
    except (cfg.Error, *_EXPECTED_ERRORS) as exc:
        print(f'nova-manage: error: {_message(exc)}', file=sys.stderr)
        return 1
    return None


def main(argv: list[str] | None = None) -> int:
    code = _parse(list(sys.argv if argv is None else argv))
    if code is not None:
        return code
    try:
        return _run(CONF.category)
    except _EXPECTED_ERRORS as exc:
        print(f'nova-manage: error: {_message(exc)}', file=sys.stderr)
        return 1
    except Exception:
        print('nova-manage: an unexpected error occurred:\n'
              + traceback.format_exc(), file=sys.stderr)
        return 1


def _message(exc: BaseException) -> str:
    if isinstance(exc, exception.NovaException):
        return exc.format_message()
    if isinstance(exc, (db_exc.DBConnectionError,
                        db_exc.DBNonExistentDatabase)):
        return f'cannot use the database: {exc.inner_exception}'
    if isinstance(exc, sa.exc.OperationalError):
        # The driver's own words; str(exc) would add the SQL statement.
        return f'cannot use the database: {exc.orig}'.strip()
    return str(exc)


if __name__ == '__main__':
    # Run the importable module, not this __main__ copy: categories in
    # other modules raise nova.cmd.manage.CommandError, which must be the
    # class main() catches.
    from nova.cmd import manage as _manage
    sys.exit(_manage.main())
