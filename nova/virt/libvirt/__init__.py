"""The libvirt (QEMU/KVM) virt driver (see driver.py)."""
