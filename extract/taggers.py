"""The attribution span taggers to choose from, by name (no NLP library loaded here).

``"accurate"``, the default, is a fine-tuned transformer run by onnxruntime
(:mod:`claimgraph.extract.transformer_spans`); ``"fast"`` is the bundled CNN tagger, about
1.4 times faster end to end and less accurate (``--fast``; see ``extract/MODEL_CARD.md``).
"""

TAGGERS = ("fast", "accurate")
DEFAULT_TAGGER = "accurate"
FAST_TAGGER = "fast"


def chosen_tagger(tagger: str | None, *, fast: bool = False) -> str:
    """The tagger a run asked for: ``fast`` wins, then ``tagger``, then the default.

    >>> chosen_tagger(None), chosen_tagger("fast"), chosen_tagger("accurate", fast=True)
    ('accurate', 'fast', 'fast')
    """
    if fast:
        return FAST_TAGGER
    return DEFAULT_TAGGER if tagger is None else tagger
