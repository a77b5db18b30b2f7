# shellcheck shell=bash
# A real Keystone for the auth tests, in a virtualenv of its own (its
# dependencies must not leak into, or be pinned by, the project's venv).
# Source tools/lib/common.sh first.
#
#   ensure_keystone_venv   create $NOVA_KEYSTONE_VENV if needed (reusing a
#                          working one) and install keystone and uwsgi at
#                          the pinned versions; skipped when both are
#                          already installed at those versions. Exports
#                          NOVA_TEST_KEYSTONE_VENV for the tests
#                          (tests/fixtures/keystone.py).
#
# Settings (environment, with their defaults):
#   NOVA_KEYSTONE_VENV=<checkout>/.venv-keystone
#   NOVA_PYTHON=/usr/bin/python3 (Debian's; python3 on PATH if absent)

NOVA_KEYSTONE_VENV=${NOVA_KEYSTONE_VENV:-$NOVA_REPO_ROOT/.venv-keystone}

# Exact versions; uwsgi is built from source (gcc and python3-dev come
# from tools/lib/packages.sh).
NOVA_KEYSTONE_PIP_ARGS=(
    keystone==30.0.0
    uwsgi==2.0.31
)

_keystone_venv_stamp() {
    {
        "$NOVA_KEYSTONE_VENV/bin/python" -c 'import sys; print(sys.version)'
        printf '%s\n' "${NOVA_KEYSTONE_PIP_ARGS[@]}"
    } | sha256sum | cut -d' ' -f1
}

_keystone_venv_works() {
    [[ -x $NOVA_KEYSTONE_VENV/bin/uwsgi \
        && -x $NOVA_KEYSTONE_VENV/bin/keystone-manage ]] \
        && "$NOVA_KEYSTONE_VENV/bin/python" -c 'import importlib.util, sys
sys.exit(importlib.util.find_spec("keystone.wsgi.api") is None)' \
            >/dev/null 2>&1
}

ensure_keystone_venv() {
    local python=${NOVA_PYTHON:-}
    if [[ -z $python ]]; then
        python=/usr/bin/python3
        [[ -x $python ]] || python=python3
    fi
    export NOVA_TEST_KEYSTONE_VENV=$NOVA_KEYSTONE_VENV
    if ! "$NOVA_KEYSTONE_VENV/bin/python" -c 'import pip' >/dev/null 2>&1
    then
        log "keystone: creating $NOVA_KEYSTONE_VENV with $python"
        rm -rf "$NOVA_KEYSTONE_VENV"
        "$python" -m venv "$NOVA_KEYSTONE_VENV" \
            || die "keystone: '$python -m venv' failed (is python3-venv installed?)"
    fi
    local stamp_file=$NOVA_KEYSTONE_VENV/.nova-install-stamp stamp
    stamp=$(_keystone_venv_stamp)
    if [[ -f $stamp_file && $(<"$stamp_file") == "$stamp" ]] \
            && _keystone_venv_works; then
        log "keystone: $NOVA_KEYSTONE_VENV is up to date"
        return 0
    fi
    log "keystone: installing ${NOVA_KEYSTONE_PIP_ARGS[*]}"
    "$NOVA_KEYSTONE_VENV/bin/python" -m pip install -q --progress-bar off \
        "${NOVA_KEYSTONE_PIP_ARGS[@]}" || die "keystone: pip install failed"
    _keystone_venv_works \
        || die "keystone: $NOVA_KEYSTONE_VENV lacks uwsgi, keystone-manage or keystone.wsgi.api"
    printf '%s\n' "$stamp" >"$stamp_file"
}
