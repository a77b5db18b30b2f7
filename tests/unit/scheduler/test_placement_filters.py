"""Filters on zones, aggregates, images, capabilities and isolation."""

import pytest

from nova.scheduler.filters import aggregate_instance_extra_specs as aies
from nova.scheduler.filters import aggregate_multitenancy_isolation as ami
from nova.scheduler.filters import availability_zone
from nova.scheduler.filters import compute_capabilities
from nova.scheduler.filters import image_properties
from nova.scheduler.filters import isolated_hosts
from tests.unit.scheduler.factories import make_host
from tests.unit.scheduler.factories import make_request


def test_az_filter_uses_aggregate_zone_or_default():
    az = availability_zone.AvailabilityZoneFilter()
    in_az1 = make_host(aggregates=[{'availability_zone': 'az1'}])
    plain = make_host()
    assert az.host_passes(in_az1, make_request(availability_zone='az1'))
    assert not az.host_passes(plain, make_request(availability_zone='az1'))
    assert az.host_passes(plain, make_request(availability_zone='nova'))
    assert az.host_passes(in_az1,
                          make_request(availability_zone='az1:host1'))
    assert not az.relevant(make_request(availability_zone=None))


@pytest.mark.parametrize('props, passes', [
    ({}, True),
    ({'hw_architecture': 'x86_64'}, True),
    ({'hw_architecture': 'aarch64'}, False),
    ({'img_hv_type': 'QEMU'}, True),
    ({'img_hv_type': 'xen'}, False),
    ({'img_hv_requested_version': '>=6000'}, True),
    ({'img_hv_requested_version': '>=9000'}, False),
])
def test_image_properties_filter(props, passes):
    host = make_host(cpu_info={'arch': 'x86_64'}, hypervisor_type='qemu',
                     hypervisor_version=8000)
    assert image_properties.ImagePropertiesFilter().host_passes(
        host, make_request(image_props=props)) is passes


def test_image_properties_filter_trusts_unreported_values():
    assert image_properties.ImagePropertiesFilter().host_passes(
        make_host(), make_request(image_props={'hw_architecture': 'ppc'}))


@pytest.mark.parametrize('specs, passes', [
    ({'capabilities:hypervisor_type': 'fake'}, True),
    ({'capabilities:hypervisor_type': 's== qemu'}, False),
    ({'capabilities:cpu_info:arch': '<or> x86_64 <or> aarch64'}, True),
    ({'capabilities:free_ram_mb': '>= 4096'}, True),
    ({'capabilities:free_ram_mb': '>= 9000'}, False),
    ({'capabilities:unknown': 'x'}, False),
    ({'hypervisor_type': 'fake'}, True),
    ({'unknown_unscoped': 'x', 'hw:cpu_policy': 'dedicated'}, True),
])
def test_compute_capabilities_filter(specs, passes):
    host = make_host(hypervisor_type='fake', cpu_info={'arch': 'x86_64'})
    assert compute_capabilities.ComputeCapabilitiesFilter().host_passes(
        host, make_request(extra_specs=specs)) is passes


@pytest.mark.parametrize('specs, passes', [
    ({'aggregate_instance_extra_specs:ssd': 'true'}, True),
    ({'ssd': 'true'}, True),
    ({'aggregate_instance_extra_specs:ssd': 'false'}, False),
    ({'aggregate_instance_extra_specs:gpu': 'true'}, False),
    ({'capabilities:hypervisor_type': 'x'}, True),
])
def test_aggregate_instance_extra_specs_filter(specs, passes):
    host = make_host(aggregates=[{'ssd': 'true'}, {'ssd': 'maybe'}])
    f = aies.AggregateInstanceExtraSpecsFilter()
    request = make_request(extra_specs=specs)
    assert (not f.relevant(request)
            or f.host_passes(host, request)) is passes


def test_aggregate_multitenancy_isolation():
    f = ami.AggregateMultiTenancyIsolation()
    isolated = make_host(aggregates=[
        {'filter_tenant_id': 'p1,p2'}, {'filter_tenant_id_2': 'p3'}])
    assert f.host_passes(isolated, make_request(project_id='p3'))
    assert not f.host_passes(isolated, make_request(project_id='p9'))
    assert f.host_passes(make_host(), make_request(project_id='p9'))


@pytest.mark.parametrize('image, host, restrict, passes', [
    ('isolated', 'iso-host', True, True),
    ('isolated', 'other', True, False),
    ('normal', 'iso-host', True, False),
    ('normal', 'iso-host', False, True),
    ('normal', 'other', True, True),
])
def test_isolated_hosts_filter(flags, image, host, restrict, passes):
    flags(isolated_images=['isolated'], isolated_hosts=['iso-host'],
          restrict_isolated_hosts_to_isolated_images=restrict)
    request = make_request(image={'id': image, 'properties': {}})
    assert isolated_hosts.IsolatedHostsFilter().host_passes(
        make_host(host), request) is passes


def test_isolated_hosts_filter_idle_without_configuration():
    assert not isolated_hosts.IsolatedHostsFilter().relevant(make_request())
