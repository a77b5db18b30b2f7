"""Virt drivers: the contract (driver.py) and its implementations."""
