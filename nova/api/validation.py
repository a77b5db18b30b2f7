"""JSON-schema validation of request bodies and query strings.

Controllers declare schemas with the ``schema``/``query_schema``
decorators (stack them with version ranges where a microversion changes
the contract); ``Resource`` validates before calling the action, so an
action only ever sees valid input. A failure is a 400 whose message names
the field path.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any

import jsonschema
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import exception
from nova.i18n import _

_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks('uuid')
def _is_uuid(value: Any) -> bool:
    return not isinstance(value, str) or uuidutils.is_uuid_like(value)


@_FORMATS.checks('base64')
def _is_base64(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    import base64
    import binascii
    try:
        base64.b64decode(value.replace('\n', '').replace(' ', ''),
                         validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


@_FORMATS.checks('ipv4')
def _is_ipv4(value: Any) -> bool:
    import ipaddress
    if not isinstance(value, str):
        return True
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


@_FORMATS.checks('ipv6')
def _is_ipv6(value: Any) -> bool:
    import ipaddress
    if not isinstance(value, str):
        return True
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


@_FORMATS.checks('date-time', raises=ValueError)
def _is_datetime(value: Any) -> bool:
    if isinstance(value, str):
        timeutils.parse_isotime(value)
    return True


@_FORMATS.checks('regex', raises=re.error)
def _is_regex(value: Any) -> bool:
    if isinstance(value, str):
        re.compile(value)
    return True


def schema(body_schema: dict, min_version: str | None = None,
           max_version: str | None = None) -> Callable:
    """Validate the JSON body against ``body_schema`` in a version range.
    """
    def decorator(func: Callable) -> Callable:
        schemas = list(getattr(func, 'body_schemas', []))
        schemas.append((min_version, max_version,
                        _validator(body_schema)))
        func.body_schemas = schemas
        return func
    return decorator


def query_schema(qs_schema: dict, min_version: str | None = None,
                 max_version: str | None = None) -> Callable:
    """Validate the query string, seen as ``{name: [values...]}``."""
    def decorator(func: Callable) -> Callable:
        schemas = list(getattr(func, 'query_schemas', []))
        schemas.append((min_version, max_version, _validator(qs_schema)))
        func.query_schemas = schemas
        return func
    return decorator


@functools.cache
def _params(func: Callable) -> tuple[str, ...]:
    return tuple(inspect.signature(func).parameters)


def takes_body(method: Callable) -> bool:
    return bool(getattr(method, 'body_schemas', None)) or \
        'body' in _params(getattr(method, '__func__', method))


def validate_body(method: Callable, req: Any, body: Any) -> None:
    validator = _pick(getattr(method, 'body_schemas', []), req)
    if validator is None:
        return
    if body is None:
        raise exception.Invalid(reason=_('A request body is required.'))
    _validate(validator, body,
              lenient=req.environ.get('nova.legacy_v2', False))


def validate_query(method: Callable, req: Any) -> None:
    validator = _pick(getattr(method, 'query_schemas', []), req)
    if validator is None:
        return
    query = {key: req.GET.getall(key) for key in req.GET.keys()}
    _validate(validator, query)


def _pick(schemas: list, req: Any) -> jsonschema.protocols.Validator | None:
    for low, high, validator in schemas:
        if req.api_version.matches(low, high):
            return validator
    return None


def _validator(body_schema: dict) -> Any:
    cls = jsonschema.validators.validator_for(
        body_schema, default=jsonschema.Draft4Validator)
    cls.check_schema(body_schema)
    return cls(body_schema, format_checker=_FORMATS)


def _validate(validator: Any, instance: Any, lenient: bool = False) -> None:
    errors = validator.iter_errors(instance)
    if lenient:
        # The legacy /v2 prefix ignores unknown keys instead of refusing.
        errors = (e for e in errors if e.validator != 'additionalProperties')
    error = jsonschema.exceptions.best_match(errors)
    if error is None:
        return
    path = '/'.join(str(p) for p in error.absolute_path) or 'body'
    if error.validator == 'format':
        reason = _("'%(value)s' is not a valid %(format)s") % {
            'value': error.instance, 'format': error.validator_value}
    else:
        reason = error.message
    raise exception.ValidationError(path=path, value=_short(error.instance),
                                    reason=reason)


def _short(value: Any, limit: int = 200) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + '...'


@functools.lru_cache(maxsize=256)
def _cached_validator(key: int, frozen: str) -> Any:
    import json
    return _validator(json.loads(frozen))


def check(body_schema: dict, instance: Any, req: Any = None) -> None:
    """Validate ``instance`` now, for actions whose schema depends on the
    URL (e.g. server actions keyed by the body, os-services/{action})."""
    import json
    validator = _cached_validator(id(body_schema),
                                  json.dumps(body_schema, sort_keys=True))
    if instance is None:
        raise exception.Invalid(reason=_('A request body is required.'))
    lenient = bool(req is not None and
                   req.environ.get('nova.legacy_v2', False))
    _validate(validator, instance, lenient=lenient)
