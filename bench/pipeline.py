"""Speed of a spaCy pipeline on a corpus of texts, in words per second."""

from __future__ import annotations

import time
from collections.abc import Sequence

from spacy.language import Language


def pipeline_speed(
    nlp: Language,
    texts: Sequence[str],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    warmup: int = 5,
) -> dict[str, float]:
    """Time ``nlp.pipe`` over ``texts``; words are non-space tokens.

    A few texts are processed first (not timed) so lazy initialisation is excluded.

    >>> import spacy
    >>> pipeline_speed(spacy.blank("en"), ["One two three."] * 10)["words"]
    40
    """
    if not texts:
        raise ValueError("texts is empty: nothing to time")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, not {batch_size}")
    for _ in nlp.pipe(texts[:warmup]):
        pass
    words = 0
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        words += sum(1 for t in doc if not t.is_space)
    seconds = time.perf_counter() - start
    return {
        "texts": len(texts),
        "words": words,
        "seconds": seconds,
        "words_per_s": words / seconds if seconds else float("inf"),
        "n_process": n_process,
    }
