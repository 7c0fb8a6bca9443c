"""Personnel changes (人事異動): moves read from a CSV, scheduled for a date, applied once on it.

    csvfile     the CSV as Excel writes it (CP932 or UTF-8), rows checked one by one
    dates       発令日 as written: 2027-04-01, 2027/4/1, 令和9年4月1日
    schedule    the preview (every bad row named), scheduling all or nothing, list, cancel
    succession  a successor takes over a leaver's spaces (also `user deactivate --successor`)
    apply       the moves due at a moment, each exactly once, with its audit entry
    report      the org admins' summary of what was applied
"""
