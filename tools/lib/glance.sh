# shellcheck shell=bash
# A real Glance for the Glance backend's tests, in a virtualenv of its own
# (its dependencies must not leak into, or be pinned by, the project's
# venv). Source tools/lib/common.sh first.
#
#   ensure_glance_venv     create $NOVA_GLANCE_VENV if needed (reusing a
#                          working one) and install glance and uwsgi at the
#                          pinned versions; skipped when both are already
#                          installed at those versions. Exports
#                          NOVA_TEST_GLANCE_VENV for the tests
#                          (tests/fixtures/glance.py).
#
# Settings (environment, with their defaults):
#   NOVA_GLANCE_VENV=<checkout>/.venv-glance
#   NOVA_PYTHON=/usr/bin/python3 (Debian's; python3 on PATH if absent)

NOVA_GLANCE_VENV=${NOVA_GLANCE_VENV:-$NOVA_REPO_ROOT/.venv-glance}

# Exact versions; uwsgi is built from source (gcc and python3-dev come
# from tools/lib/packages.sh). The standalone glance-api command refuses
# to run in this release: the tests serve glance.wsgi.api under uWSGI.
NOVA_GLANCE_PIP_ARGS=(
    glance==33.0.0
    uwsgi==2.0.31
)

_glance_venv_stamp() {
    {
        "$NOVA_GLANCE_VENV/bin/python" -c 'import sys; print(sys.version)'
        printf '%s\n' "${NOVA_GLANCE_PIP_ARGS[@]}"
    } | sha256sum | cut -d' ' -f1
}

_glance_venv_works() {
    [[ -x $NOVA_GLANCE_VENV/bin/uwsgi \
        && -x $NOVA_GLANCE_VENV/bin/glance-manage ]] \
        && "$NOVA_GLANCE_VENV/bin/python" -c 'import importlib.util, sys
sys.exit(importlib.util.find_spec("glance.wsgi.api") is None)' \
            >/dev/null 2>&1
}

ensure_glance_venv() {
    local python=${NOVA_PYTHON:-}
    if [[ -z $python ]]; then
        python=/usr/bin/python3
        [[ -x $python ]] || python=python3
    fi
    export NOVA_TEST_GLANCE_VENV=$NOVA_GLANCE_VENV
    if ! "$NOVA_GLANCE_VENV/bin/python" -c 'import pip' >/dev/null 2>&1
    then
        log "glance: creating $NOVA_GLANCE_VENV with $python"
        rm -rf "$NOVA_GLANCE_VENV"
        "$python" -m venv "$NOVA_GLANCE_VENV" \
            || die "glance: '$python -m venv' failed (is python3-venv installed?)"
    fi
    local stamp_file=$NOVA_GLANCE_VENV/.nova-install-stamp stamp
    stamp=$(_glance_venv_stamp)
    if [[ -f $stamp_file && $(<"$stamp_file") == "$stamp" ]] \
            && _glance_venv_works; then
        log "glance: $NOVA_GLANCE_VENV is up to date"
        return 0
    fi
    log "glance: installing ${NOVA_GLANCE_PIP_ARGS[*]}"
    "$NOVA_GLANCE_VENV/bin/python" -m pip install -q --progress-bar off \
        "${NOVA_GLANCE_PIP_ARGS[@]}" || die "glance: pip install failed"
    _glance_venv_works \
        || die "glance: $NOVA_GLANCE_VENV lacks uwsgi, glance-manage or glance.wsgi.api"
    printf '%s\n' "$stamp" >"$stamp_file"
}
