"""The layer rules (STYLE.md habit 11), enforced by the test suite.

The rules are import-linter contracts in ``.importlinter``. These tests run
``lint-imports`` on the tree as it is, and on copies of it with one
forbidden import added, to prove each rule still bites, also for packages
that do not exist yet.
"""

import configparser
import pathlib
import shutil
import subprocess
import sys

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / '.importlinter'

# lint-imports from the virtualenv running the tests (do not resolve the
# symlink: that would leave the virtualenv).
LINT_IMPORTS = pathlib.Path(sys.executable).parent / 'lint-imports'

# One forbidden import per contract: contract id -> {file: source}. Files
# are added to (or created in) a copy of the nova package.
VIOLATIONS = {
    'virt-is-a-leaf': {'nova/virt/_probe.py': 'import nova.db\n'},
    'virt-drivers-independent': {
        'nova/virt/fake/_probe.py': 'import nova.virt.libvirt\n',
        'nova/virt/libvirt/__init__.py': '',
    },
    'api-no-database': {'nova/api/_probe.py': 'import nova.db\n'},
    'api-no-managers': {
        'nova/api/_probe.py': 'from nova.compute import manager\n',
    },
    'compute-host-no-database': {
        'nova/compute/flows/_probe.py': 'import nova.db\n',
    },
    'cli-talks-rest-only': {'nova/cli/_probe.py': 'from nova import rpc\n'},
}


def lint_imports(*args, cwd=REPO_ROOT):
    if not LINT_IMPORTS.exists():
        pytest.fail(f'{LINT_IMPORTS} is missing; install '
                    'test-requirements.txt')
    return subprocess.run(
        [str(LINT_IMPORTS), '--config', str(CONFIG), '--no-cache',
         '--no-logo', *args],
        cwd=cwd, capture_output=True, text=True, timeout=300)


def contract_ids():
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    prefix = 'importlinter:contract:'
    return {s[len(prefix):] for s in parser.sections()
            if s.startswith(prefix)}


def test_tree_keeps_every_layer_contract():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rule_has_a_violation_probe():
    # A contract deleted from .importlinter, or one added without a probe
    # here, fails this test.
    assert contract_ids() == set(VIOLATIONS)


@pytest.mark.parametrize('contract', sorted(VIOLATIONS))
def test_contract_catches_a_forbidden_import(contract, tmp_path):
    shutil.copytree(REPO_ROOT / 'nova', tmp_path / 'nova',
                    ignore=shutil.ignore_patterns('__pycache__'))
    for name, source in VIOLATIONS[contract].items():
        path = tmp_path / name
        for package in path.relative_to(tmp_path).parents:
            if package != pathlib.Path('.'):
                (tmp_path / package).mkdir(exist_ok=True)
                (tmp_path / package / '__init__.py').touch()
        with path.open('a') as f:
            f.write(source)
    # lint-imports puts its working directory first on sys.path, so it
    # analyses the copy.
    result = lint_imports('--contract', contract, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'BROKEN' in result.stdout, result.stdout + result.stderr
