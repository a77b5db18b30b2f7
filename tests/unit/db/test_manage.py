"""nova-manage's command-line plumbing (no database needed)."""

import argparse
import sys
import types

import pytest

from nova.cmd import manage


class WidgetCommands:
    """Manage widgets."""

    @manage.args('name', help='Widget name')
    @manage.args('--size', type=int, default=1)
    @manage.args('--dry-run', action='store_true')
    def create(self, name, size, dry_run):
        """Create a widget."""
        return 3 if dry_run else size

    def _helper(self):
        raise AssertionError('private methods are not actions')


@pytest.fixture
def widget_category(monkeypatch):
    module = types.ModuleType('fake_widget_module')
    module.WidgetCommands = WidgetCommands
    monkeypatch.setitem(sys.modules, 'fake_widget_module', module)
    monkeypatch.setitem(manage.CATEGORIES, 'widget',
                        'fake_widget_module:WidgetCommands')


def _parse(argv):
    parser = argparse.ArgumentParser()
    manage.add_command_parsers(parser.add_subparsers(dest='category'))
    return parser.parse_args(argv)


def test_category_from_another_module_is_loaded_lazily(widget_category):
    namespace = _parse(['widget', 'create', 'w1', '--size', '7'])

    assert namespace.action_kwargs == ['name', 'size', 'dry_run']
    assert manage._run(namespace) == 7
    assert manage._run(_parse(['widget', 'create', 'w1', '--dry-run'])) == 3


def test_db_category_actions():
    namespace = _parse(['db', 'sync', 'abc123'])
    assert namespace.action_fn.__name__ == 'sync'
    assert namespace.action_kwarg_version == 'abc123'
    assert _parse(['db', 'sync']).action_kwarg_version is None
    with pytest.raises(SystemExit):
        _parse(['db', 'frobnicate'])


def test_error_messages_are_short():
    import sqlalchemy as sa

    error = sa.exc.OperationalError('SELECT 1', {}, Exception('refused'))

    assert manage._message(error) == 'cannot use the database: refused'
    assert manage._message(manage.CommandError('boom')) == 'boom'
