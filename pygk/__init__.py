"""pygk: monthly government-disclosure bulletins computed from a workbook."""

__version__ = "0.1.0"
