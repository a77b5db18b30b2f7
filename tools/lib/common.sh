# shellcheck shell=bash
# Helpers shared by the scripts in tools/: logging, root checks, polling
# with a deadline, and per-phase timings. Source it; it defines functions
# and a few variables and runs nothing.
#
#   log MESSAGE...            print "==> MESSAGE" on stderr
#   warn MESSAGE...           print "WARNING: MESSAGE" on stderr
#   die MESSAGE...            print "ERROR: MESSAGE" on stderr and exit 1
#   is_root                   true when running as root
#   wait_for SECS WHAT CMD... run CMD (output hidden) until it succeeds;
#                             die naming WHAT once SECS seconds have passed
#   timed NAME CMD...         run CMD and record how long it took as NAME
#   print_timings             print the recorded timings, one per line

NOVA_REPO_ROOT=${NOVA_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." \
    && pwd)}
# Where server start-up output goes (the servers are machine-wide, so this
# is outside the checkout).
NOVA_SERVER_LOG_DIR=${NOVA_SERVER_LOG_DIR:-/tmp/nova-servers}

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

is_root() { [[ $(id -u) == 0 ]]; }

wait_for() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            die "$what: not ready after ${timeout}s (logs: $NOVA_SERVER_LOG_DIR)"
        fi
        sleep 0.2
    done
}

NOVA_TIMINGS=()

timed() {
    local name=$1
    shift
    local start=$EPOCHREALTIME
    "$@"
    local end=$EPOCHREALTIME
    NOVA_TIMINGS+=("$(awk -v n="$name" -v a="$start" -v b="$end" \
        'BEGIN { printf "%-12s %6.1fs", n, b - a }')")
}

print_timings() {
    local line
    for line in "${NOVA_TIMINGS[@]}"; do
        printf '    %s\n' "$line" >&2
    done
}
