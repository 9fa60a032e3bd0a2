"""Hashed token embeddings with the mixing layer folded into the tables for prediction.

spaCy's ``MultiHashEmbed`` embeds each token attribute (NORM, PREFIX, ...) as the sum of four
hashed rows of that attribute's table, concatenates the attributes and mixes them with one
Maxout layer: a linear map, a max over pieces and a layer norm. The linear map of a sum of rows
is the sum of the rows' images, so for prediction each table can be replaced by its image under
its block of the map. A token's mix then costs a gather-add of wider rows instead of a matrix
product: that product was a fifth to a quarter of each tok2vec's time in the bundled pipeline.

* :func:`fold_prediction` gives an embedding chain (spaCy's, or the NER's gazetteer variant)
  the folded prediction. Its layers, parameters and training are unchanged, so weights trained
  with either load into the other. The folded tables are made at the first prediction and made
  again after any training step or when a parameter array is replaced (loading weights,
  ``use_params`` with averaged weights).
* ``claimgraph.FoldedMultiHashEmbed.v1`` is spaCy's ``MultiHashEmbed.v2`` (no static vectors)
  with that prediction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model
from thinc.layers.chain import forward as chain_forward
from thinc.types import Floats2d

#: Layer names (thinc's and spaCy's) the fold looks for in an embedding chain.
FEATURES_LAYER = "extract_features"
HASH_LAYER = "hashembed"
MIX_LAYER = "maxout"
NORM_LAYER = "layernorm"


class _FoldedForward:
    """Forward callback of an embedding chain: the chain's own forward while training, the
    folded tables while predicting.

    It reads the layers from the model it is called with (never from references of its own,
    so a copied model uses its own weights) and keeps one set of folded tables per model,
    keyed by the identity of the parameter arrays they were made from.
    """

    def __init__(self, extra_layer: str | None) -> None:
        self.extra_layer = extra_layer
        self.cache: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"extra_layer": self.extra_layer, "cache": {}}

    def __call__(
        self, model: Model[list[Doc], list[Floats2d]], docs: list[Doc], is_train: bool
    ) -> tuple[list[Floats2d], Callable]:
        if is_train:  # the weights are about to change: fold again at the next prediction
            self.cache.pop(model.id, None)
            return chain_forward(model, docs, is_train)
        folded = self._folded(model)
        ops = model.ops
        ids = folded["features"].predict(docs)
        lengths = [len(x) for x in ids]
        total = sum(lengths)
        if not total:
            return chain_forward(model, docs, is_train)
        columns = ops.xp.concatenate(ids)
        mixed = ops.alloc2f(total, folded["width"])
        mixed += folded["bias"]
        for column, (table, seed) in enumerate(folded["tables"]):
            keys = ops.hash(ops.as_contig(columns[:, column]), seed) % table.shape[0]
            mixed += ops.gather_add(table, keys)
        if folded["extra"] is not None:
            extra = ops.xp.concatenate(folded["extra"].predict(docs))
            mixed += ops.gemm(ops.asarray2f(extra), folded["extra_weights"], trans2=True)
        pieces = ops.reshape3f(mixed, total, folded["nO"], folded["nP"])
        best, _ = ops.maxout(pieces)
        output = folded["norm"].predict(best)
        return ops.unflatten(output, ops.asarray1i(lengths)), _no_backprop

    def _folded(self, model: Model) -> dict[str, Any]:
        nodes = list(model.walk())
        hashed = sorted((n for n in nodes if n.name == HASH_LAYER), key=lambda n: n.attrs["column"])
        mix = _one(nodes, MIX_LAYER)
        arrays = (*(n.get_param("E") for n in hashed), mix.get_param("W"), mix.get_param("b"))
        key = tuple(id(a) for a in arrays)
        cached = self.cache.get(model.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        nO, nP, nI = (mix.get_dim(d) for d in ("nO", "nP", "nI"))
        weights = model.ops.reshape2f(mix.get_param("W"), nO * nP, nI)
        tables, start = [], 0
        for node in hashed:
            width = node.get_dim("nO")
            block = model.ops.as_contig(weights[:, start : start + width])
            tables.append(
                (model.ops.gemm(node.get_param("E"), block, trans2=True), node.attrs["seed"])
            )
            start += width
        extra = _one(nodes, self.extra_layer) if self.extra_layer else None
        if (extra is None) != (start == nI):
            raise ValueError(
                f"embedding {model.name!r}: {start} hashed columns, mixing layer of {nI} inputs"
            )
        folded = {
            "features": _one(nodes, FEATURES_LAYER),
            "tables": tables,
            "bias": model.ops.reshape1f(mix.get_param("b"), nO * nP),
            "width": nO * nP,
            "nO": nO,
            "nP": nP,
            "norm": _one(nodes, NORM_LAYER),
            "extra": extra,
            "extra_weights": model.ops.as_contig(weights[:, start:]) if extra else None,
        }
        # The arrays are kept with the tables, so their identities cannot be reused meanwhile.
        self.cache[model.id] = (key, folded | {"arrays": arrays})
        return folded


def _one(nodes: list[Model], name: str) -> Model:
    found = [n for n in nodes if n.name == name]
    if len(found) != 1:
        raise ValueError(f"expected one {name!r} layer in the embedding, found {len(found)}")
    return found[0]


def _no_backprop(d_output: list[Floats2d]) -> list[Doc]:
    raise ValueError("the folded embedding predicts only; train with is_train=True")


def fold_prediction(
    model: Model[list[Doc], list[Floats2d]], *, extra_layer: str | None = None
) -> Model[list[Doc], list[Floats2d]]:
    """Give the embedding ``model`` (a thinc ``chain``) the folded prediction and return it.

    ``model`` must hold one FeatureExtractor, its HashEmbed layers (one per attribute, in
    column order, concatenated first) and one Maxout mixing layer with a layer norm, as spaCy's
    ``MultiHashEmbed`` does without static vectors; ``extra_layer`` names a layer whose
    ``list[Doc] -> list[Floats2d]`` features are concatenated after the hashed ones.

    >>> from spacy.lang.en import English
    >>> from spacy.ml.models.tok2vec import MultiHashEmbed
    >>> nlp = English()
    >>> docs = [nlp("Peskov said the talks were difficult.")]
    >>> plain = MultiHashEmbed(32, ["NORM", "SHAPE"], [100, 50], False)
    >>> plain.initialize(docs)  # doctest: +ELLIPSIS
    <thinc.model.Model object at ...>
    >>> folded = fold_prediction(plain.copy())
    >>> bool(abs(folded.predict(docs)[0] - plain.predict(docs)[0]).max() < 1e-4)
    True
    """
    model.replace_callbacks(_FoldedForward(extra_layer), init=model.init)
    return model


@registry.architectures("claimgraph.FoldedMultiHashEmbed.v1")
def folded_multi_hash_embed(
    width: int, attrs: list[str], rows: list[int]
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed.v2`` without static vectors, predicting with folded tables.

    Same layers and parameters as the spaCy architecture (a pipeline trained with one loads
    with the other); see :func:`fold_prediction`.
    """
    return fold_prediction(MultiHashEmbed(width, attrs, rows, include_static_vectors=False))
