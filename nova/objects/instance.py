"""An instance as the compute side and the drivers see it.

Instances travel over RPC as the plain dicts the data layer returns;
``Instance`` wraps one with attribute access and the derived fields
drivers need (hypervisor name, flavor).
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

CONF = cfg.CONF
NAME_TEMPLATE = 'instance-%08x'


class Instance:
    __slots__ = ('_values',)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    @property
    def name(self) -> str:
        return NAME_TEMPLATE % self._values['id']

    @property
    def flavor(self) -> dict[str, Any]:
        extra = self._values.get('extra') or {}
        return extra.get('flavor') or {}

    def update(self, values: dict[str, Any]) -> None:
        self._values.update(values)

    def to_primitive(self) -> dict[str, Any]:
        return dict(self._values)

    def __repr__(self) -> str:
        return f'<Instance {self._values.get("uuid")}>'
