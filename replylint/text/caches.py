"""How many word forms a per-word cache keeps (lemmas, pattern entries, syllables), per language.

A pre-send hook sees new names and order numbers all day, and a cache entry
costs ~115 bytes: 20,000 forms hold the common vocabulary of real replies,
and the caches of both languages together stay under 15 MiB. At 200,000
each they grew RSS by 1.6 MiB per 1,000 checks of new words
(`benchmarks/soak.py`). A module of its own so that every layer may import
it without importing spaCy.
"""

WORD_CACHE_LIMIT = 20_000
