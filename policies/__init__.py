"""Example policies, shipped inside the package so `auditor demo` finds them when installed."""
