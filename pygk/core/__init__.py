"""The pure core: settings, roster, ranking, summary, history, layout and the plan.

No spreadsheet library, no clock, no files: every result depends on its inputs only.
"""
