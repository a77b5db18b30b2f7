"""Base rules and the personas every other policy builds on.

Personas: admin; project manager, member and reader (each implies the
next when Keystone has the usual implied roles); service (other OpenStack
services). Rule names match the upstream Compute API's so operators can
reuse their policy files.
"""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MANAGER = 'role:manager and project_id:%(project_id)s'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'
PROJECT_MANAGER_OR_ADMIN = 'rule:project_manager_or_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
SERVICE_ROLE = 'rule:service_api'
SERVICE_OR_ADMIN = 'rule:service_or_admin'
ADMIN_API = 'rule:admin_api'
ANY = '@'

rules = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       'Decides what is required for the is_admin:True '
                       'check to succeed.'),
    policy.RuleDefault('admin_api', 'role:admin',
                       'Default rule for most Admin APIs.'),
    policy.RuleDefault('admin_or_owner',
                       'is_admin:True or project_id:%(project_id)s',
                       'Admin or the owner of the resource (legacy).'),
    policy.RuleDefault('service_api', 'role:service',
                       'Default rule for service-to-service APIs.'),
    policy.RuleDefault('service_or_admin', 'rule:admin_api or '
                       'rule:service_api', 'Admin or a service user.'),
    policy.RuleDefault('project_manager_api', PROJECT_MANAGER,
                       'Default rule for project-level manager APIs.'),
    policy.RuleDefault('project_member_api', PROJECT_MEMBER,
                       'Default rule for project-level member APIs.'),
    policy.RuleDefault('project_reader_api', PROJECT_READER,
                       'Default rule for project-level read-only APIs.'),
    policy.RuleDefault('project_manager_or_admin',
                       'rule:project_manager_api or rule:context_is_admin',
                       'A project manager or an admin.'),
    policy.RuleDefault('project_member_or_admin',
                       'rule:project_member_api or rule:context_is_admin',
                       'A project member or an admin.'),
    policy.RuleDefault('project_reader_or_admin',
                       'rule:project_reader_api or rule:context_is_admin',
                       'A project reader or an admin.'),
]


def list_rules() -> list:
    return rules
