"""The rule machinery: pattern notation, packs and rule specs, lexicons, brand profiles, matching, and the per-reply context that kinds and analyses read."""
