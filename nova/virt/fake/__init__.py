"""The fake virt driver: an in-memory hypervisor (see driver.py)."""
