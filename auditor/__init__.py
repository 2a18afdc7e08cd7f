"""Social media policy auditor: checks X/Twitter activity against a policy written in YAML."""

__version__ = "0.1.0"
