"""A Nova-style, OpenStack-Compute-compatible compute control plane."""
