"""Helpers of the data-access layer that need no database."""

import pytest
import sqlalchemy as sa
from oslo_db import exception as db_exc

from nova import exception
from nova.db.api import utils


class FakeContext:
    def __init__(self, in_transaction=False):
        self._in = in_transaction

    @property
    def transaction_ctx(self):
        if not self._in:
            raise db_exc.NoEngineContextEstablished()
        return object()


def _flaky(errors):
    calls = []

    def fn(context):
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return len(calls)

    return fn, calls


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(utils.time, 'sleep', lambda seconds: None)


def _sqlite_locked():
    return sa.exc.OperationalError('UPDATE x', {}, Exception(
        'database is locked'))


def _savepoint_lost_in_deadlock():
    # MySQL's deadlock rollback takes the savepoint with it; the error we
    # see is the failed ROLLBACK TO SAVEPOINT, the deadlock its context.
    try:
        raise db_exc.DBDeadlock()
    except db_exc.DBDeadlock:
        try:
            raise db_exc.DBError('SAVEPOINT sa_savepoint_1 does not exist')
        except db_exc.DBError as exc:
            return exc


@pytest.mark.parametrize('error', [
    db_exc.DBDeadlock, _sqlite_locked, _savepoint_lost_in_deadlock])
def test_retries_what_the_database_gave_up_on(error):
    fn, calls = _flaky([error(), error()])

    assert utils.retry_on_deadlock(fn)(FakeContext()) == 3


def test_retries_extra_types_only_when_asked():
    fn, _ = _flaky([exception.ResourceProviderGenerationConflict(node=1)])
    with pytest.raises(exception.ResourceProviderGenerationConflict):
        utils.retry_on_deadlock(fn)(FakeContext())

    fn, calls = _flaky([exception.ResourceProviderGenerationConflict(node=1)])
    decorated = utils.retry_on_deadlock(
        also=(exception.ResourceProviderGenerationConflict,))(fn)
    assert decorated(FakeContext()) == 2


def test_never_retries_inside_a_callers_transaction():
    fn, calls = _flaky([db_exc.DBDeadlock()])

    with pytest.raises(db_exc.DBDeadlock):
        utils.retry_on_deadlock(fn)(FakeContext(in_transaction=True))
    assert len(calls) == 1


def test_gives_up_eventually_and_ignores_other_errors():
    fn, calls = _flaky([db_exc.DBDeadlock()] * (utils.MAX_RETRIES + 1))
    with pytest.raises(db_exc.DBDeadlock):
        utils.retry_on_deadlock(fn)(FakeContext())
    assert len(calls) == utils.MAX_RETRIES + 1

    fn, calls = _flaky([db_exc.DBError('syntax error')])
    with pytest.raises(db_exc.DBError):
        utils.retry_on_deadlock(fn)(FakeContext())
    assert len(calls) == 1


def test_translate_duplicate():
    with pytest.raises(exception.KeyPairExists) as info:
        with utils.translate_duplicate(
                lambda: exception.KeyPairExists(key_name='k')):
            raise db_exc.DBDuplicateEntry(columns=['name'])

    assert isinstance(info.value.__cause__, db_exc.DBDuplicateEntry)


def test_json_round_trip():
    assert utils.load_json(utils.dump_json({'a': [1, None]})) == {
        'a': [1, None]}
    assert utils.dump_json(None) is None
    assert utils.load_json(None) is None
