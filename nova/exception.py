"""Semantic exception families.

Every domain error derives from one family, and the family carries the HTTP
meaning (``code``). ``nova.api.faults`` is the one place that turns them
into Compute API fault bodies; nothing else maps errors to HTTP. Keep the
specific classes few: add one only where callers need to tell it apart.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova.i18n import _

LOG = logging.getLogger(__name__)


class NovaException(Exception):
    """Base class; ``msg_fmt`` is formatted with the keyword arguments."""

    msg_fmt = _('An unknown exception occurred.')
    code = 500
    headers: dict[str, str] = {}
    safe = False  # whether the message may be shown to API users

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs
        if 'code' not in self.kwargs:
            self.kwargs['code'] = self.code
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                # A missing argument must not hide the real error.
                LOG.exception('Exception in string format operation: %s',
                              kwargs)
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self) -> str:
        return self.args[0] if self.args else self.message


# -- 400 -------------------------------------------------------------------
class Invalid(NovaException):
    msg_fmt = _('Bad request: %(reason)s')
    code = 400
    safe = True


class ValidationError(Invalid):
    msg_fmt = _('Invalid input for field/attribute %(path)s. '
                'Value: %(value)s. %(reason)s')


class InvalidToken(Invalid):
    msg_fmt = _('The token is invalid or has expired.')


class ImageUnacceptable(Invalid):
    msg_fmt = _('Image %(image_id)s is unacceptable: %(reason)s')


class ImageChecksumMismatch(ImageUnacceptable):
    msg_fmt = _('Image %(image_id)s is unacceptable: its data has '
                '%(algo)s %(actual)s but the image record says '
                '%(expected)s (corrupted in store or in transit).')


class UnsafeDiskImage(ImageUnacceptable):
    """Refused by nova.image.format_inspector before qemu-img sees it."""

    msg_fmt = _('The disk image is unacceptable: %(reason)s')


class FlavorDiskTooSmall(Invalid):
    msg_fmt = _("The flavor's root disk (%(flavor_size)d bytes) is smaller "
                'than the image (%(image_size)d bytes).')


class ConsoleTypeUnavailable(Invalid):
    msg_fmt = _('Unavailable console type %(console_type)s.')


class InvalidKeypair(Invalid):
    msg_fmt = _('Keypair data is invalid: %(reason)s')


class InvalidAggregateAction(Invalid):
    msg_fmt = _('Cannot %(action)s aggregate %(aggregate_id)s. Reason: '
                '%(reason)s.')


class ComputeServiceUnavailable(Invalid):
    msg_fmt = _('Compute service of %(host)s is unavailable at this time.')


# -- 401/403 ---------------------------------------------------------------
class NotAuthenticated(NovaException):
    msg_fmt = _('Authentication required.')
    code = 401
    safe = True


class Forbidden(NovaException):
    msg_fmt = _('Not authorized: %(reason)s')
    code = 403
    safe = True


class ImageNotAuthorized(Forbidden):
    msg_fmt = _('Not authorized for image %(image_id)s.')


class PolicyNotAuthorized(Forbidden):
    msg_fmt = _("Policy doesn't allow %(action)s to be performed.")


# -- 404 -------------------------------------------------------------------
class NotFound(NovaException):
    msg_fmt = _('Resource could not be found.')
    code = 404
    safe = True


class InstanceNotFound(NotFound):
    msg_fmt = _('Instance %(instance_id)s could not be found.')


class FlavorNotFound(NotFound):
    msg_fmt = _('Flavor %(flavor_id)s could not be found.')


class FlavorExtraSpecNotFound(NotFound):
    msg_fmt = _('Flavor %(flavor_id)s has no extra specs with key '
                '%(key)s.')


class FlavorAccessNotFound(NotFound):
    msg_fmt = _('Flavor access not found for %(flavor_id)s / '
                '%(project_id)s combination.')


class KeypairNotFound(NotFound):
    msg_fmt = _('Keypair %(name)s not found for user %(user_id)s')


class ServiceNotFound(NotFound):
    msg_fmt = _('Service %(service_id)s could not be found.')


class HostBinaryNotFound(NotFound):
    msg_fmt = _('Compute host %(host)s with binary %(binary)s could not '
                'be found.')


class ComputeHostNotFound(NotFound):
    msg_fmt = _('Compute host %(host)s could not be found.')


class ComputeNodeNotFound(NotFound):
    msg_fmt = _('Compute node %(node)s could not be found.')


class AggregateNotFound(NotFound):
    msg_fmt = _('Aggregate %(aggregate_id)s could not be found.')


class InstanceGroupNotFound(NotFound):
    msg_fmt = _('Instance group %(group_uuid)s could not be found.')


class MigrationNotFound(NotFound):
    msg_fmt = _('Migration %(migration_id)s could not be found.')


class ImageNotFound(NotFound):
    msg_fmt = _('Image %(image_id)s could not be found.')


class NetworkNotFound(NotFound):
    msg_fmt = _('Network %(network_id)s could not be found.')


class RequestSpecNotFound(NotFound):
    msg_fmt = _('RequestSpec not found for instance %(instance_uuid)s')


class InstanceActionNotFound(NotFound):
    msg_fmt = _('Action for request_id %(request_id)s on instance '
                '%(instance_uuid)s not found')


class QuotaClassNotFound(NotFound):
    msg_fmt = _('Quota class %(class_name)s could not be found.')


class MarkerNotFound(NotFound):
    msg_fmt = _('Marker %(marker)s could not be found.')


class AggregateHostNotFound(NotFound):
    msg_fmt = _('Aggregate %(aggregate_id)s has no host %(host)s.')


class AggregateMetadataNotFound(NotFound):
    msg_fmt = _('Aggregate %(aggregate_id)s has no metadata with key '
                '%(metadata_key)s.')


class InstanceTagNotFound(NotFound):
    msg_fmt = _("Instance %(instance_id)s has no tag '%(tag)s'")


class FixedIpNotFound(NotFound):
    msg_fmt = _('No fixed IP %(address)s on network %(network_id)s.')


class ComputeDriverNotFound(NotFound):
    """``[DEFAULT] compute_driver`` names no installed driver."""

    msg_fmt = _('Compute driver %(name)s not found; the drivers available '
                '(entry points in %(namespace)s) are: %(available)s.')


class SchedulerPluginNotFound(NotFound):
    """A name in ``[filter_scheduler]`` enabled_filters/weight_classes is
    not an installed filter or weigher."""

    msg_fmt = _('Scheduler %(kind)s %(name)s not found; the %(kind)ss '
                'available (entry points in %(namespace)s) are: '
                '%(available)s.')


# -- 409 -------------------------------------------------------------------
class Conflict(NovaException):
    msg_fmt = _('Conflict: %(reason)s')
    code = 409
    safe = True


class Duplicate(Conflict):
    msg_fmt = _('%(resource)s %(name)s already exists.')


class FlavorExists(Duplicate):
    msg_fmt = _('Flavor with %(field)s %(value)s already exists.')


class KeyPairExists(Duplicate):
    msg_fmt = _("Key pair '%(key_name)s' already exists.")


class ServiceExists(Duplicate):
    msg_fmt = _('Service with host %(host)s binary %(binary)s exists.')


class AggregateNameExists(Duplicate):
    msg_fmt = _('Aggregate %(aggregate_name)s already exists.')


class AggregateHostExists(Duplicate):
    msg_fmt = _('Aggregate %(aggregate_id)s already has host %(host)s.')


class InstanceExists(Duplicate):
    msg_fmt = _('Instance %(name)s already exists.')


class ComputeNodeExists(Duplicate):
    msg_fmt = _('Compute node %(node)s on host %(host)s already exists.')


class FlavorAccessExists(Duplicate):
    msg_fmt = _('Flavor access already exists for flavor %(flavor_id)s '
                'and project %(project_id)s combination.')


class ImageExists(Duplicate):
    msg_fmt = _('Image %(image_id)s already exists.')


class NetworkExists(Duplicate):
    msg_fmt = _('Network %(network_id)s already exists.')


class AggregateActionConflict(Conflict):
    msg_fmt = _('Cannot %(action)s aggregate %(aggregate_id)s. Reason: '
                '%(reason)s.')


class InstanceInvalidState(Conflict):
    msg_fmt = _('Cannot \'%(action)s\' instance %(instance_uuid)s while it '
                'is in %(attr)s %(state)s')


class InstanceLocked(Conflict):
    msg_fmt = _('Instance %(instance_uuid)s is locked')


class UnexpectedTaskStateError(Conflict):
    """A conditional update lost a race: the task state moved on."""

    msg_fmt = _('Conflict updating instance %(instance_uuid)s. Expected: '
                '%(expected)s. Actual: %(actual)s')


class UnexpectedVMStateError(Conflict):
    """A conditional update lost a race: the VM state moved on."""

    msg_fmt = _('Conflict updating instance %(instance_uuid)s. Expected '
                'vm_state: %(expected)s. Actual: %(actual)s')


class ResourceProviderGenerationConflict(Conflict):
    """Another writer changed a node's allocations first; retry."""

    msg_fmt = _('Compute node %(node)s changed while claiming resources; '
                'please retry.')


class InsufficientResources(Conflict):
    """A claim does not fit the node's inventory; try another node."""

    msg_fmt = _('Compute node %(node)s cannot fit the request: '
                '%(reason)s')


class FixedIpAlreadyInUse(Conflict):
    msg_fmt = _('Fixed IP address %(address)s is already in use on '
                'network %(network_id)s.')


class NoMoreFixedIps(Conflict):
    msg_fmt = _('No fixed IP addresses available for network '
                '%(network_id)s')


# -- 403/413: quota --------------------------------------------------------
class OverQuota(NovaException):
    msg_fmt = _('Quota exceeded for resources: %(overs)s')
    code = 403
    safe = True


class MetadataLimitExceeded(OverQuota):
    msg_fmt = _('Maximum number of metadata items exceeds %(allowed)d')


class KeypairLimitExceeded(OverQuota):
    msg_fmt = _('Quota exceeded, too many key pairs.')


class RequestTooLarge(NovaException):
    msg_fmt = _('Request is too large.')
    code = 413
    safe = True


# -- 405/406 ---------------------------------------------------------------
class MethodNotAllowed(NovaException):
    msg_fmt = _('The method %(method)s is not allowed for this resource.')
    code = 405
    safe = True


# -- 406 -------------------------------------------------------------------
class NotAcceptable(NovaException):
    msg_fmt = _('%(reason)s')
    code = 406
    safe = True


# -- 501/503: the system cannot do it (now) ---------------------------------
class NotSupported(NovaException):
    """The virt driver or deployment does not support the operation."""

    msg_fmt = _('%(operation)s is not supported by %(what)s.')
    code = 409
    safe = True


class HostOperationNotImplemented(NotSupported):
    """A host-level operation (os-hosts, hypervisor uptime) that the
    deployment's virt drivers do not offer: 501 as upstream."""

    msg_fmt = _('%(operation)s is not implemented by the virt driver of '
                'host %(host)s.')
    code = 501


class DriverOperationNotSupported(NotSupported):
    """The virt driver of the instance's host cannot do the operation."""

    msg_fmt = _('%(operation)s is not supported by the %(driver)s virt '
                'driver.')


class ServiceUnavailable(NovaException):
    msg_fmt = _('Service unavailable: %(reason)s')
    code = 503
    safe = True


class ComputeDriverLoadFailed(ServiceUnavailable):
    """The driver exists but cannot start (missing library, no host)."""

    msg_fmt = _('Compute driver %(name)s could not be loaded: %(reason)s')


class ImageServiceUnavailable(ServiceUnavailable):
    msg_fmt = _('The image service is unavailable: %(reason)s')


class VirtDriverError(ServiceUnavailable):
    """The hypervisor failed an operation; the message says which and why.

    Raised by virt drivers for failures that are neither a missing guest
    (``InstanceNotFound``) nor a wrong power state (``InstanceInvalidState``):
    the compute manager records it as an instance fault (and, for a build,
    reschedules). Not safe: hypervisor messages may name host paths.
    """

    msg_fmt = _('%(operation)s of instance %(instance_uuid)s failed: '
                '%(reason)s')
    safe = False


class NoValidHost(NovaException):
    """Scheduling failed; the instance ends in ERROR, not an API error."""

    msg_fmt = _('No valid host was found. %(reason)s')
    code = 500
    safe = True


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = _('%(reason)s')


# -- failures recorded as instance faults, never raised to API callers ------
class InstanceFaultError(NovaException):
    code = 500
    safe = True


class InstanceBuildTimeout(InstanceFaultError):
    msg_fmt = _('%(reason)s')


class BuildAbortException(InstanceFaultError):
    """The build cannot succeed anywhere (e.g. a bad image)."""

    msg_fmt = _('Build of instance %(instance_uuid)s aborted: %(reason)s')


class RescheduledException(InstanceFaultError):
    """The build failed on this host and may succeed on another."""

    msg_fmt = _('Build of instance %(instance_uuid)s was re-scheduled: '
                '%(reason)s')


class DBNotAllowed(NovaException):
    """Raised in processes (nova-compute) that must never open the DB."""

    msg_fmt = _('%(binary)s attempted direct database access, which is '
                'not allowed by policy')


def fault_of(exc: BaseException) -> tuple[int, str, str]:
    """(code, message, details) of an instance fault recording ``exc``:
    our exceptions keep their code and message; anything else is a 500
    named after its type. ``details`` is the traceback (admins only)."""
    import traceback
    if isinstance(exc, NovaException):
        code, message = exc.code, exc.format_message()
    else:
        code, message = 500, f'{type(exc).__name__}: {exc}'
    return code, message, ''.join(traceback.format_exception(exc))
