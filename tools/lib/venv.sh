# shellcheck shell=bash
# The project's virtualenv. Source tools/lib/common.sh first.
#
#   ensure_venv   create $NOVA_VENV if needed (reusing a working one) and
#                 install the project with its test dependencies, pinned by
#                 constraints.txt; skipped when nothing that decides what
#                 gets installed has changed since the last install
#
# Settings (environment, with their defaults):
#   NOVA_VENV=<checkout>/.venv
#   NOVA_PYTHON=/usr/bin/python3 (Debian's; python3 on PATH if absent)

NOVA_VENV=${NOVA_VENV:-$NOVA_REPO_ROOT/.venv}

# What `pip install` gets, besides the project itself (-e .).
NOVA_PIP_ARGS=(
    -c constraints.txt
    -r requirements.txt
    -r test-requirements.txt
    libvirt-python
)

_venv_stamp() {
    # A digest of everything that decides what gets installed.
    (
        cd "$NOVA_REPO_ROOT" || exit
        "$NOVA_VENV/bin/python" -c 'import sys; print(sys.version)'
        printf '%s\n' "${NOVA_PIP_ARGS[@]}"
        cat constraints.txt requirements.txt test-requirements.txt \
            setup.cfg pyproject.toml 2>/dev/null
    ) | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local python=${NOVA_PYTHON:-}
    if [[ -z $python ]]; then
        python=/usr/bin/python3
        [[ -x $python ]] || python=python3
    fi
    if ! "$NOVA_VENV/bin/python" -c 'import pip' >/dev/null 2>&1; then
        log "venv: creating $NOVA_VENV with $python"
        rm -rf "$NOVA_VENV"
        "$python" -m venv "$NOVA_VENV" \
            || die "venv: '$python -m venv' failed (is python3-venv installed?)"
    fi
    local stamp_file=$NOVA_VENV/.nova-install-stamp stamp
    stamp=$(_venv_stamp)
    if [[ -f $stamp_file && $(<"$stamp_file") == "$stamp" ]]; then
        log "venv: $NOVA_VENV is up to date"
        return 0
    fi
    log "venv: installing the project and its test dependencies"
    (
        cd "$NOVA_REPO_ROOT"
        "$NOVA_VENV/bin/python" -m pip install -q --progress-bar off \
            "${NOVA_PIP_ARGS[@]}" -e .
    ) || die "venv: pip install failed"
    printf '%s\n' "$stamp" >"$stamp_file"
}
