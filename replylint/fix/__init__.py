"""`replylint fix`: the draft rewritten with the findings' own replacements, keeping every fact."""

from .rewrite import Edit, Fixed, rewrite

__all__ = ["Edit", "Fixed", "rewrite"]
