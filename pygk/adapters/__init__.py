"""Adapters that read and write workbooks.

The file adapter (xlsx), the live adapter (xlwings), atomic files and locks.
"""
