"""Gazetteer features for the entity recogniser's token embedding.

A hashed-embedding CNN trained on a few hundred thousand words has never seen most place
names ("Athens", "Coron") and guesses from shape and context, often PERSON. This module adds
what a reader brings to the text: whether a word or phrase is a known place, a country, a
first name or a surname. The NER *learns* how far to trust each fact (many surnames are also
towns), so the gazetteer is a feature, never a rule that sets labels.

* :func:`gazetteer_features` is a Thinc layer: ``list[Doc] -> list[Floats2d]``, one row of
  :data:`FEATURES` flags per token. Its table (lower-cased phrase -> bit mask) lives in the
  layer's ``attrs``, so it is saved and loaded with the NER weights; the installed pipeline
  needs no gazetteer package.
* ``claimgraph.GazetteerMultiHashEmbed.v1`` is spaCy's ``MultiHashEmbed`` with those flags
  concatenated to the hashed embeddings before the mixing layer.
* ``claimgraph.fill_gazetteer.v1`` is an ``[initialize.after_init]`` callback that fills the
  table when a pipeline is trained (see ``claimgraph.training.gazetteer`` for the sources).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ragged

from .embed import fold_prediction

# One bit per fact; INSIDE marks the second and later tokens of a multi-word match.
FEATURES = ("place", "major_place", "country", "first_name", "surname", "inside")
BITS = {name: 1 << i for i, name in enumerate(FEATURES)}
# Not a feature: set on a word that starts a longer phrase of the table, so only those words
# pay for the multi-word lookups.
STARTS_PHRASE = 1 << len(FEATURES)
FEATURE_MASK = STARTS_PHRASE - 1
LAYER_NAME = "claimgraph_gazetteer"


def phrase_key(words: Iterable[str]) -> str:
    """The table key of a token sequence: lower-cased words joined by single spaces."""
    return " ".join(w.lower() for w in words)


def add_phrase(table: dict[str, int], words: list[str], facts: int) -> None:
    """Record ``facts`` (a mask of :data:`BITS`) for the phrase ``words`` in ``table``."""
    if not words:
        return
    key = phrase_key(words)
    table[key] = table.get(key, 0) | facts
    if len(words) > 1:
        first = words[0].lower()
        table[first] = table.get(first, 0) | STARTS_PHRASE


def token_flags(words: list[str], table: dict[str, int], max_words: int) -> list[int]:
    """Mask of :data:`BITS` per word: the facts of every table phrase covering it.

    ``words`` are lower-cased; phrases are at most ``max_words`` long and may overlap.

    >>> table = {}
    >>> add_phrase(table, ["New", "York"], BITS["place"])
    >>> add_phrase(table, ["York"], BITS["surname"])
    >>> token_flags(["in", "new", "york", "city"], table, 4)
    [0, 1, 49, 0]
    """
    flags = [0] * len(words)
    n = len(words)
    for i, word in enumerate(words):
        bits = table.get(word, 0)
        flags[i] |= bits & FEATURE_MASK
        if not bits & STARTS_PHRASE:
            continue
        for length in range(2, min(max_words, n - i) + 1):
            facts = table.get(" ".join(words[i : i + length]), 0) & FEATURE_MASK
            if facts:
                flags[i] |= facts
                for j in range(i + 1, i + length):
                    flags[j] |= facts | BITS["inside"]
    return flags


def gazetteer_features(max_words: int = 4) -> Model[list[Doc], list[Floats2d]]:
    """Thinc layer: one row of 0/1 :data:`FEATURES` flags per token of each Doc.

    The table starts empty (every flag 0); the ``claimgraph.fill_gazetteer.v1`` callback
    (:func:`make_fill_gazetteer`) fills it before training and the NER's saved weights carry
    it. The layer has no parameters.
    """
    return Model(
        LAYER_NAME,
        _gazetteer_forward,
        attrs={"table": {}, "max_words": max_words},
        dims={"nO": len(FEATURES)},
    )


def _gazetteer_forward(
    model: Model[list[Doc], list[Floats2d]], docs: list[Doc], is_train: bool
) -> tuple[list[Floats2d], Callable]:
    table = model.attrs["table"]
    max_words = model.attrs["max_words"]
    columns = model.ops.xp.asarray([BITS[name] for name in FEATURES], dtype="int64")
    outputs = []
    for doc in docs:
        flags = model.ops.xp.asarray(
            token_flags([t.lower_ for t in doc], table, max_words), dtype="int64"
        ).reshape((-1, 1))
        outputs.append(model.ops.asarray2f((flags & columns) != 0))

    def backprop(d_outputs: list[Floats2d]) -> list[Doc]:
        return []

    return outputs, backprop


@registry.architectures("claimgraph.GazetteerMultiHashEmbed.v1")
def gazetteer_multi_hash_embed(
    width: int, attrs: list[str], rows: list[int], max_words: int = 4
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed.v2`` (no static vectors) plus :func:`gazetteer_features`.

    Each attribute in ``attrs`` gets a hash embedding of ``rows[i]`` rows and ``width``
    columns; these and the gazetteer flags are concatenated and mixed by one Maxout layer
    down to ``width``. Predictions use folded tables (:func:`.embed.fold_prediction`).
    """
    if len(rows) != len(attrs):
        raise ValueError(f"rows has {len(rows)} entries for {len(attrs)} attrs")
    embeddings = [
        HashEmbed(width, n_rows, column=i, seed=8 + i, dropout=0.0) for i, n_rows in enumerate(rows)
    ]
    hashed: Model[list[Doc], Ragged] = chain(
        FeatureExtractor(attrs), list2ragged(), with_array(concatenate(*embeddings))
    )
    flags: Model[list[Doc], Ragged] = chain(gazetteer_features(max_words), list2ragged())
    model: Model[list[Doc], list[Floats2d]] = chain(
        concatenate(hashed, flags),
        with_array(
            Maxout(width, width * len(attrs) + len(FEATURES), nP=3, dropout=0.0, normalize=True)
        ),
        ragged2list(),
    )
    return fold_prediction(model, extra_layer=LAYER_NAME)


@registry.callbacks("claimgraph.fill_gazetteer.v1")
def make_fill_gazetteer(
    component: str = "ner", min_population: int = 5000, surname_rank: int = 20000
) -> Callable[[Language], Language]:
    """``after_init`` callback: fill the gazetteer layer of ``component`` from the sources
    of ``claimgraph.training.gazetteer.build_table`` (a training-time dependency)."""

    def fill(nlp: Language) -> Language:
        from claimgraph.training.gazetteer import build_table

        table = build_table(nlp, min_population=min_population, surname_rank=surname_rank)
        layers = [n for n in nlp.get_pipe(component).model.walk() if n.name == LAYER_NAME]
        if not layers:
            raise ValueError(f"component {component!r} has no {LAYER_NAME} layer")
        for layer in layers:
            layer.attrs["table"] = table
        return nlp

    return fill
