# shellcheck shell=bash
# Start virtlogd and libvirtd without systemd, for the real-QEMU tests.
# Source tools/lib/common.sh first. Installs nothing (packages.sh does).
#
# Idempotent: a libvirtd that already answers on qemu:///system is left
# alone, whoever started it. Starting one needs root.
#
#   start_libvirtd      set up the QEMU driver's user and qemu.conf, start
#                       virtlogd and libvirtd, wait for `virsh version`
#   libvirtd_is_ready   true when qemu:///system answers
#
# Settings (environment, with their defaults):
#   NOVA_LIBVIRT_URI=qemu:///system
#   NOVA_SERVER_START_TIMEOUT=120  seconds to wait for libvirtd

NOVA_LIBVIRT_URI=${NOVA_LIBVIRT_URI:-qemu:///system}
NOVA_QEMU_CONF=${NOVA_QEMU_CONF:-/etc/libvirt/qemu.conf}

libvirtd_is_ready() {
    timeout 10 virsh -c "$NOVA_LIBVIRT_URI" version >/dev/null 2>&1
}

# The QEMU driver refuses to start without the libvirt-qemu user, which
# only the libvirt-daemon-system package (not installed: it wants systemd)
# would create. Guests run as root so they can open disks anywhere.
_ensure_libvirt_qemu_user() {
    getent group kvm >/dev/null || groupadd -r kvm
    getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
    id libvirt-qemu >/dev/null 2>&1 || useradd -r -g libvirt-qemu -G kvm \
        -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
    mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/images /var/run/libvirt \
        "$(dirname "$NOVA_QEMU_CONF")"
    touch "$NOVA_QEMU_CONF"
    grep -qE '^[[:space:]]*user[[:space:]]*=' "$NOVA_QEMU_CONF" \
        || printf 'user = "root"\n' >>"$NOVA_QEMU_CONF"
    grep -qE '^[[:space:]]*group[[:space:]]*=' "$NOVA_QEMU_CONF" \
        || printf 'group = "root"\n' >>"$NOVA_QEMU_CONF"
}

start_libvirtd() {
    if libvirtd_is_ready; then
        log "libvirtd: already answers on $NOVA_LIBVIRT_URI"
        return 0
    fi
    command -v libvirtd >/dev/null \
        || die "libvirtd is not installed (tools/lib/packages.sh installs it)"
    is_root || die "libvirtd is not running and only root can start it here."
    _ensure_libvirt_qemu_user
    pgrep -x virtlogd >/dev/null || virtlogd -d
    # A daemon that died leaves its pid file behind and refuses to start.
    pgrep -x libvirtd >/dev/null || {
        rm -f /var/run/libvirtd.pid
        libvirtd -d
    }
    wait_for "${NOVA_SERVER_START_TIMEOUT:-120}" libvirtd libvirtd_is_ready
    log "libvirtd: answers on $NOVA_LIBVIRT_URI"
}
