"""Matching of flavor extra-spec values against host values.

A requirement is a plain value (equality, numeric when both sides are
numbers) or starts with an operator and a space: ``=`` (at least,
numeric), ``==`` ``!=`` ``>=`` ``<=`` ``>`` ``<`` (numeric), ``s==``
``s!=`` ``s>=`` ``s>`` ``s<=`` ``s<`` (string), ``<in>`` (substring),
``<all-in>`` (every word is in a list value), ``<or>`` (any of the
alternatives).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _numeric(op: Callable[[float, float], bool]
             ) -> Callable[[Any, str], bool]:
    def check(value: Any, wanted: str) -> bool:
        have, want = _float(value), _float(wanted)
        return have is not None and want is not None and op(have, want)
    return check


def _string(op: Callable[[str, str], bool]) -> Callable[[Any, str], bool]:
    return lambda value, wanted: op(str(value), wanted)


def _all_in(value: Any, wanted: str) -> bool:
    have = value if isinstance(value, (list, tuple, set)) else [value]
    return all(word in [str(v) for v in have] for word in wanted.split())


_OPS: dict[str, Callable[[Any, str], bool]] = {
    '=': _numeric(operator.ge),
    '==': _numeric(operator.eq),
    '!=': _numeric(operator.ne),
    '>=': _numeric(operator.ge),
    '<=': _numeric(operator.le),
    '>': _numeric(operator.gt),
    '<': _numeric(operator.lt),
    's==': _string(operator.eq),
    's!=': _string(operator.ne),
    's>=': _string(operator.ge),
    's>': _string(operator.gt),
    's<=': _string(operator.le),
    's<': _string(operator.lt),
    '<in>': lambda value, wanted: wanted in str(value),
    '<all-in>': _all_in,
}


def match(value: Any, requirement: str) -> bool:
    """Whether a host's ``value`` satisfies ``requirement``."""
    words = str(requirement).split()
    if not words:
        return str(value) == str(requirement)
    if words[0] == '<or>':
        alternatives = [word for word in words[1:] if word != '<or>']
        return any(str(value) == alt for alt in alternatives)
    if words[0] in _OPS and len(words) > 1:
        return _OPS[words[0]](value, ' '.join(words[1:]))
    have, want = _float(value), _float(requirement)
    if have is not None and want is not None:
        return have == want
    return str(value) == str(requirement)


def scoped(extra_specs: dict[str, str], scope: str,
           unscoped_too: bool = True) -> dict[str, str]:
    """The specs in ``scope`` (prefix ``scope:`` removed), plus the ones
    with no scope at all when ``unscoped_too``."""
    result = {}
    for key, value in extra_specs.items():
        prefix, sep, rest = key.partition(':')
        if sep and prefix == scope:
            result[rest] = value
        elif not sep and unscoped_too:
            result[key] = value
    return result
