"""Query schemas of os-instance-actions."""

from nova.api.schemas import migrations

list_query_v258 = migrations.actions_query_v258
list_query_v266 = migrations.actions_query_v266
