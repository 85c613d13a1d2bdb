"""Figures the reliability tests measure (operations, cells), printed once at the end of the run.

Tests only add to it; nothing asserts on another test's figures (the suite runs in random order).
"""

FIGURES: dict[str, object] = {}
