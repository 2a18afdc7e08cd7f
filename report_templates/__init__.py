"""Jinja2 templates and CSS of the reports, shipped inside the package (found with importlib.resources)."""
