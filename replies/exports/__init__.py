"""Exports of any reply set: CSV, XLSX, JSON and Word, plus the /downloads/ page."""
