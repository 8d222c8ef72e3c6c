"""Trained detectors for what a pattern list cannot enumerate (spaCy text classifiers shipped in the wheel)."""
