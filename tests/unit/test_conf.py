"""Configuration modules and the generated sample."""

import difflib
import os
import pathlib
import subprocess
import sys

import pytest
from oslo_config import cfg

from nova import conf as nova_conf
from nova.conf import opts

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_group_module_registers_and_lists():
    for module in nova_conf.ALL_MODULES:
        assert callable(module.register_opts), module
        listed = module.list_opts()
        assert len(listed) == 1, f'{module.__name__} owns one group'
        group, options = next(iter(listed.items()))
        assert group == module.GROUP
        assert options, f'{module.__name__} lists no options'


def test_every_option_says_what_it_does():
    for group, options in opts.list_opts():
        for opt in options:
            assert opt.help and len(opt.help) > 20, (group, opt.name)


def test_options_are_registered_on_global_conf():
    conf = nova_conf.CONF
    assert conf.api.max_limit == 1000
    assert conf.scheduler.max_attempts == 3


def test_deployed_default_is_not_noauth():
    # noauth2 trusts any token: it must never be what a deployed node
    # gets from the sample or the code defaults.
    sample = (ROOT / 'etc' / 'nova.conf.sample').read_text()
    assert '#auth_strategy = keystone' in sample
    assert '#auth_strategy = noauth2' not in sample


def test_fresh_conf_object_accepts_all_options():
    conf = cfg.ConfigOpts()
    for module in nova_conf.ALL_MODULES:
        module.register_opts(conf)
    conf([], project='nova', default_config_files=[])
    assert conf.compute.instance_build_timeout == 600
    assert conf.report_interval == 10
    assert conf.api.auth_strategy == 'keystone'


def test_sample_config_is_current(tmp_path):
    generated = tmp_path / 'nova.conf.sample'
    cmd = [os.path.join(os.path.dirname(sys.executable),
                        'oslo-config-generator'),
           '--config-file', str(ROOT / 'etc' / 'nova-config-generator.conf'),
           '--output-file', str(generated)]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    committed = (ROOT / 'etc' / 'nova.conf.sample').read_text()
    fresh = generated.read_text()
    if committed != fresh:
        diff = ''.join(difflib.unified_diff(
            committed.splitlines(True), fresh.splitlines(True),
            'etc/nova.conf.sample (committed)', 'generated', n=1))
        pytest.fail('etc/nova.conf.sample is stale; regenerate it with '
                    '`oslo-config-generator --config-file '
                    'etc/nova-config-generator.conf`:\n' + diff[:4000])
