"""Review of a result after the audit: approved exceptions (waivers) and what an earlier report already held (baseline)."""
