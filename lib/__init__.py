"""Shared code for the SO&P living report: data, statistics, formatting, charts, editions."""
