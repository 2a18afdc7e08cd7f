"""Delivering reports: each manager their own by mail (`auditor mail`, `auditor audit --mail`)."""
