"""Activity: the one input shape rules see (`model.py`), the readers that produce it (`sources/`),
the local store (`store.py`) and what writes it (`ingest/`)."""

from auditor.activity.model import Activity, DirectMessage, Post, Skipped, SourceInfo

__all__ = ["Activity", "DirectMessage", "Post", "Skipped", "SourceInfo"]
