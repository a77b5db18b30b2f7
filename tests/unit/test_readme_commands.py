"""The README's commands are the ones that exist and that CI runs.

README.rst tells a newcomer to run ``tools/run-embedded`` and
``tools/run-tests``; CI runs ``.ci/run``. These tests keep the three from
drifting apart: the commands stay in the README's code blocks, the scripts
exist and are executable, and ``.ci/run`` does nothing but run
``tools/run-tests``.
"""

import os
import pathlib
import re

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
README = REPO_ROOT / 'README.rst'
CI_RUN = REPO_ROOT / '.ci' / 'run'

DIRECTIVE = re.compile(r'\s*\.\.\s+(code-block|code|sourcecode)::')


def _indent(line):
    return len(line) - len(line.lstrip())


def literal_block_lines(text):
    """The stripped lines inside the literal and code blocks of RST text.

    A literal block follows a paragraph ending in ``::``; a code block is
    the body of a ``.. code-block::`` directive. Either ends at the first
    non-blank line indented less than its first line.
    """
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        is_directive = DIRECTIVE.match(line)
        if not is_directive and (not line.rstrip().endswith('::')
                                 or line.lstrip().startswith('..')):
            continue
        body = []
        for following in lines[i + 1:]:
            if not following.strip():
                continue
            if _indent(following) <= _indent(line):
                break
            if body and _indent(following) < _indent(body[0]):
                break
            body.append(following)
        found.extend(b.strip() for b in body
                     if not (is_directive and b.strip().startswith(':')))
    return found


def test_literal_block_parser():
    text = ('Intro::\n\n    tools/a\n    tools/b\n\nText tools/c\n\n'
            '1. Item::\n\n       tools/d\n\n   tools/e\n\n'
            '.. code-block:: console\n   :caption: x\n\n   $ tools/f\n')
    assert literal_block_lines(text) == [
        'tools/a', 'tools/b', 'tools/d', '$ tools/f']


@pytest.mark.parametrize('command', ['tools/run-tests', 'tools/run-embedded'])
def test_readme_shows_command_in_a_code_block(command):
    assert README.exists(), 'README.rst is missing'
    assert command in literal_block_lines(README.read_text()), (
        f'README.rst must show `{command}` alone on a line in a literal '
        f'(::) or code block')


@pytest.mark.parametrize('command', ['tools/run-tests', 'tools/run-embedded'])
def test_command_is_an_executable_script(command):
    assert os.access(REPO_ROOT / command, os.X_OK), f'{command} +x'


def test_ci_runs_exactly_run_tests():
    assert os.access(CI_RUN, os.X_OK), '.ci/run must be executable'
    commands = [line.strip() for line in CI_RUN.read_text().splitlines()
                if line.strip() and not line.strip().startswith('#')]
    # Allowed besides the one command: shell options and going to the
    # repository root.
    extra = [c for c in commands[:-1]
             if not (c.startswith('set ') or c.startswith('cd '))]
    assert extra == [], f'.ci/run runs more than tools/run-tests: {extra}'
    assert commands[-1] in ('exec tools/run-tests',
                            'exec tools/run-tests "$@"'), commands[-1]
