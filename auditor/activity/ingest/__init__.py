"""Everything that writes the store: `auditor import` (importing.py) and `auditor fetch` (the X API in
x_api*.py, Bluesky and Mastodon through net_fetch.py's page loop, fetch_networks.py choosing by network).
Readers of files and of the store live in `activity/sources/`; the store itself in `activity/store.py`."""
