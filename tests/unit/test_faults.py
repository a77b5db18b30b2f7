"""Exception families and their translation to Compute API faults."""

import pytest

from nova import exception
from nova.api import faults


@pytest.mark.parametrize('exc, status, name', [
    (exception.Invalid(reason='bad flavor'), 400, 'badRequest'),
    (exception.PolicyNotAuthorized(action='os_compute_api:servers:create'),
     403, 'forbidden'),
    (exception.InstanceNotFound(instance_id='abc'), 404, 'itemNotFound'),
    (exception.FlavorExists(field='name', value='m1.tiny'), 409,
     'conflictingRequest'),
    (exception.InstanceInvalidState(action='reboot', instance_uuid='u',
                                    attr='vm_state', state='error'),
     409, 'conflictingRequest'),
    (exception.OverQuota(overs='cores'), 403, 'forbidden'),
    (exception.RequestTooLarge(), 413, 'overLimit'),
    (exception.ServiceUnavailable(reason='conductor timed out'), 503,
     'serviceUnavailable'),
])
def test_family_sets_status_and_fault_name(exc, status, name):
    got_status, body, _headers = faults.from_exception(exc)
    assert got_status == status
    assert body == {name: {'code': status,
                           'message': exc.format_message()}}


def test_message_formats_arguments():
    exc = exception.InstanceNotFound(instance_id='1234')
    assert exc.format_message() == 'Instance 1234 could not be found.'
    assert exc.kwargs['code'] == 404


def test_missing_format_argument_keeps_template():
    exc = exception.InstanceNotFound(wrong='x')
    assert 'could not be found' in exc.format_message()


def test_unsafe_message_is_hidden():
    secret = 'password=hunter2 at db01'
    status, body, _ = faults.from_exception(exception.NovaException(secret))
    assert status == 500
    assert secret not in str(body)
    assert body['computeFault']['code'] == 500


def test_foreign_exception_gives_generic_500_without_traceback():
    status, body, _ = faults.from_exception(KeyError('internal detail'))
    assert status == 500
    message = body['computeFault']['message']
    assert 'internal detail' not in message
    assert 'Traceback' not in message


def test_every_specific_exception_belongs_to_a_family():
    families = (exception.Invalid, exception.NotAuthenticated,
                exception.Forbidden, exception.NotFound,
                exception.Conflict, exception.OverQuota,
                exception.RequestTooLarge, exception.NotAcceptable,
                exception.NotSupported, exception.ServiceUnavailable,
                exception.MethodNotAllowed,
                exception.NoValidHost, exception.DBNotAllowed,
                exception.InstanceFaultError)
    for name in dir(exception):
        obj = getattr(exception, name)
        if (isinstance(obj, type) and issubclass(obj, Exception) and
                obj is not exception.NovaException and
                obj.__module__ == exception.__name__):
            assert issubclass(obj, families), name
