"""Windowed co-occurrence counts and the vocabulary they are counted over (GloVe, PPMI)."""
