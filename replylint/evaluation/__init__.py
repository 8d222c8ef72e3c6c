"""Measure replylint against labelled replies: the real corpus (the measure) and the self-written one (regression cases)."""

from .synthetic import Counts, CorpusItem, Evaluation, evaluate, flagged, load_corpus, table

__all__ = ["Counts", "CorpusItem", "Evaluation", "evaluate", "flagged", "load_corpus", "table"]
