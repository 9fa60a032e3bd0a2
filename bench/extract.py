"""Cost of attribution extraction relative to the bare pipeline, on the same texts."""

from __future__ import annotations

import time
from collections.abc import Sequence

from spacy.language import Language

from claimgraph.extract.pipeline import ATTRIBUTION_PIPES, TextUnit, extract_units

from .pipeline import pipeline_speed


def extraction_overhead(nlp: Language, texts: Sequence[str], *, batch_size: int = 16) -> dict:
    """Time the pipeline without the attribution steps, then with them and record building.

    ``overhead`` is the extra time as a fraction of the bare pipeline's time.
    """
    with nlp.select_pipes(disable=list(ATTRIBUTION_PIPES)):
        bare = pipeline_speed(nlp, texts, batch_size=batch_size)
    units = [TextUnit(f"t{i}", 0, 0, t) for i, t in enumerate(texts)]
    for _ in extract_units(nlp, units[:5]):
        pass
    start = time.perf_counter()
    claims = sum(1 for _ in extract_units(nlp, units, batch_size=batch_size))
    seconds = time.perf_counter() - start
    full = {
        "texts": len(texts),
        "words": bare["words"],
        "seconds": seconds,
        "words_per_s": bare["words"] / seconds,
        "n_process": 1,
    }
    return {
        "bare_pipeline": bare,
        "with_extraction": full,
        "overhead": seconds / bare["seconds"] - 1.0,
        "claims": claims,
    }
