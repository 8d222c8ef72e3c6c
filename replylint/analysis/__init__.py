"""Whole-reply measures: LATTE coverage, readability, layout, score and service levels, the pre-send decision."""
