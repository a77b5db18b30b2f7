# shellcheck shell=bash
# The Debian packages the project needs, in one place, and their install.
# Source tools/lib/common.sh first.
#
#   ensure_apt_packages   install whatever of NOVA_APT_PACKAGES is missing
#                         (apt-get update first); does nothing, without
#                         touching apt, when all are installed; needs root
#                         only when something is missing
#   missing_apt_packages PKG...   print the ones not installed, one a line

NOVA_APT_PACKAGES=(
    # servers for the functional and multi-process tests
    rabbitmq-server
    mariadb-server
    postgresql
    # building libvirt-python in the virtualenv
    libvirt-dev
    pkg-config
    gcc
    python3-dev
    python3-venv
    # libvirtd + QEMU for the real-guest tests
    libvirt-daemon
    libvirt-daemon-driver-qemu
    libvirt-clients
    qemu-system-x86
    qemu-utils
    # building the real-guest test's boot disk (tests/fixtures/guest_image.py
    # downloads the kernel and busybox-static with apt-get download instead)
    syslinux
    syslinux-common
    mtools
    dosfstools
)

missing_apt_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null \
                | grep -q '^ii'; then
            printf '%s\n' "$pkg"
        fi
    done
}

ensure_apt_packages() {
    local missing
    mapfile -t missing < <(missing_apt_packages "${NOVA_APT_PACKAGES[@]}")
    if ((${#missing[@]} == 0)); then
        log "apt: all ${#NOVA_APT_PACKAGES[@]} packages already installed"
        return 0
    fi
    if ! is_root; then
        die "missing Debian packages: ${missing[*]}
Install them as root, then run this again:
    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    log "apt: installing ${missing[*]}"
    # Recommends are left out: they pull in a desktop's worth of QEMU GUI
    # and storage tools the tests do not use. Wait for a dpkg lock another
    # apt run may hold instead of failing at once.
    local apt=(apt-get -q -o DPkg::Lock::Timeout=600)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y \
        --no-install-recommends "${missing[@]}"
    mapfile -t missing < <(missing_apt_packages "${NOVA_APT_PACKAGES[@]}")
    ((${#missing[@]} == 0)) || die "apt: still missing: ${missing[*]}"
}
