"""Activity: the one input shape rules see, and the sources that produce it."""

from auditor.activity.model import Activity, DirectMessage, Post, Skipped, SourceInfo, normalize_handle

__all__ = ["Activity", "DirectMessage", "Post", "Skipped", "SourceInfo", "normalize_handle"]
