"""Time as the auditor reads it: periods, durations, calendars and their clocks, and the one parser of days and instants."""
