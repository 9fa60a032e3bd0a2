"""The default attribution span tagger: a fine-tuned transformer run by onnxruntime.

``claimgraph_transformer_spans`` does the job of the bundled ``attribution_spans`` tagger
(SOURCE, CUE and CONTENT spans written to ``doc.ents``, one piece per sentence) with a small
pretrained transformer (all-MiniLM-L6-v2) fine-tuned on PolNeAR train as a BIO tagger. It finds
more attributions than the CNN tagger and gets more of them right; the CNN stays as the
faster route (``--fast``, :func:`claimgraph.extract.pipeline.use_tagger`; speeds in
``nlp/models/attribution_minilm/MODEL_CARD.md``).

At run time it needs only ``onnxruntime`` and ``tokenizers`` (dependencies of the
package), not PyTorch. The weights and tokenizer live in a model folder:
``model.onnx``, ``tokenizer.json`` and ``labels.json`` (the tag of each output row). Words are
grouped into chunks of whole consecutive sentences (at most ``max_words`` words; a longer
sentence is cut) and each word takes the tag of its first word piece, exactly as in training
(:mod:`claimgraph.training.transformer`).
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

logger = logging.getLogger(__name__)

MODEL_FILES = ("model.onnx", "tokenizer.json", "labels.json")
# BERT-style encoders read at most this many word pieces, [CLS] and [SEP] included.
MAX_PIECES = 512
INSTALL_HINT = (
    "the accurate tagger needs onnxruntime and tokenizers: pip install onnxruntime tokenizers"
)


def bundled_model_dir() -> Path:
    """Folder of the accurate tagger shipped inside the package.

    In a source checkout this is ``nlp/models/attribution_minilm``; an installed package has it
    under ``claimgraph/nlp/models/``.
    """
    from claimgraph import nlp

    return Path(nlp.__file__).resolve().parent / "models" / "attribution_minilm"


def check_model(model: Path) -> None:
    """Raise ``FileNotFoundError`` unless ``model`` is a complete model folder, and
    ``ImportError`` (saying what to install) unless onnxruntime and tokenizers are there."""
    missing = [f for f in MODEL_FILES if not (model / f).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{model}: not an accurate-tagger model folder (missing {', '.join(missing)})"
        )
    if any(importlib.util.find_spec(name) is None for name in ("onnxruntime", "tokenizers")):
        raise ImportError(INSTALL_HINT)


def load_tokenizer(path: Path):
    """The word-piece tokenizer at ``path`` (a ``tokenizer.json``) as training and tagging use
    it: no padding, at most :data:`MAX_PIECES` pieces a chunk."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_PIECES)
    return tokenizer


def first_pieces(word_ids: Iterable[int | None]) -> Iterator[tuple[int, int]]:
    """``(piece, word)`` for the first word piece of each word: the piece that carries a
    word's tag, in training and at prediction.

    >>> list(first_pieces([None, 0, 0, 1, 2, 2, None]))
    [(1, 0), (3, 1), (4, 2)]
    """
    seen: set[int] = set()
    for piece, word in enumerate(word_ids):
        if word is not None and word not in seen:
            seen.add(word)
            yield piece, word


def word_chunks(doc: Doc, *, max_words: int) -> list[list[int]]:
    """Token indices of ``doc``'s words (whitespace tokens left out) in chunks of whole
    consecutive sentences of at most ``max_words`` words; a longer sentence is cut.

    >>> import spacy
    >>> nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")  # doctest: +ELLIPSIS
    <...>
    >>> word_chunks(nlp("He left. She said so.  Yes."), max_words=5)
    [[0, 1, 2], [3, 4, 5, 6], [8, 9]]
    """
    if max_words < 1:
        raise ValueError(f"max_words must be >= 1, not {max_words}")
    sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    chunks: list[list[int]] = []
    current: list[int] = []
    for sent in sentences:
        words = [t.i for t in sent if not t.is_space]
        if current and len(current) + len(words) > max_words:
            chunks.append(current)
            current = []
        while len(words) > max_words:
            chunks.append(words[:max_words])
            words = words[max_words:]
        current.extend(words)
    if current:
        chunks.append(current)
    return chunks


def bio_spans(doc: Doc, tagged: Iterable[tuple[int, str]]) -> list[Span]:
    """Spans from ``(token index, BIO tag)`` pairs in document order.

    A span ends at an ``O``, at a ``B-``, at a tag of another label, at a skipped token
    (whitespace) and at a sentence start, so every span lies inside one sentence, as the
    linker expects; an ``I-`` without a span open starts one.

    >>> import spacy
    >>> doc = spacy.blank("en")("Peskov said it was hard")
    >>> tags = zip(range(5), ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT"])
    >>> [(s.text, s.label_) for s in bio_spans(doc, tags)]
    [('Peskov', 'SOURCE'), ('said', 'CUE'), ('it was hard', 'CONTENT')]
    """
    spans: list[Span] = []
    start = label = None
    last = -1
    sentence_starts = doc.has_annotation("SENT_START")

    def close() -> None:
        if label is not None:
            spans.append(Span(doc, start, last + 1, label=label))

    for i, tag in tagged:
        prefix, _, tag_label = tag.partition("-")
        breaks = i != last + 1 or (sentence_starts and doc[i].is_sent_start)
        if prefix == "I" and label == tag_label and not breaks:
            last = i
            continue
        close()
        start, label = (i, tag_label) if prefix in ("B", "I") else (None, None)
        last = i
    close()
    return spans


def open_session(model: Path, *, threads: int):
    """An onnxruntime CPU session of ``model``'s ``model.onnx`` on ``threads`` threads (0:
    onnxruntime decides)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(model / "model.onnx"), options, providers=["CPUExecutionProvider"]
    )


def piece_logits(session, ids: numpy.ndarray, mask: numpy.ndarray) -> numpy.ndarray:
    """Label scores, shape (rows, pieces, labels), for padded word-piece ``ids`` and their
    attention ``mask``."""
    feeds = {"input_ids": ids, "attention_mask": mask}
    if any(i.name == "token_type_ids" for i in session.get_inputs()):
        feeds["token_type_ids"] = numpy.zeros_like(ids)
    return session.run(None, feeds)[0]


class TransformerSpanTagger:
    """Pipeline component: BIO tags from an ONNX token classifier, written to ``doc.ents``."""

    def __init__(
        self, name: str, *, model: Path, max_words: int, threads: int, batch_size: int
    ) -> None:
        if max_words < 1:
            raise ValueError(f"max_words must be >= 1, not {max_words}")
        if threads < 0:
            raise ValueError(f"threads must be >= 0 (0: onnxruntime decides), not {threads}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, not {batch_size}")
        check_model(model)
        self.name = name
        self.model = model
        self.max_words = max_words
        self.batch_size = batch_size
        self.labels: list[str] = json.loads((model / "labels.json").read_text(encoding="utf-8"))
        self.tokenizer = load_tokenizer(model / "tokenizer.json")
        self.session = open_session(model, threads=threads)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            chunks = word_chunks(doc, max_words=self.max_words)
            tagged: list[tuple[int, str]] = []
            for batch in minibatch(chunks, size=self.batch_size):
                tagged.extend(self._tag(doc, batch))
            doc.set_ents(bio_spans(doc, sorted(tagged)), default="outside")
            yield doc

    def _tag(self, doc: Doc, chunks: list[list[int]]) -> list[tuple[int, str]]:
        encodings = self.tokenizer.encode_batch(
            [[doc[i].text for i in chunk] for chunk in chunks], is_pretokenized=True
        )
        width = max(len(e.ids) for e in encodings)
        ids = numpy.zeros((len(encodings), width), dtype=numpy.int64)
        mask = numpy.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        best = piece_logits(self.session, ids, mask).argmax(axis=-1)
        tagged = []
        for row, (chunk, encoding) in enumerate(zip(chunks, encodings, strict=True)):
            for piece, word in first_pieces(encoding.word_ids):
                tagged.append((chunk[word], self.labels[best[row, piece]]))
        return tagged


@Language.factory(
    "claimgraph_transformer_spans",
    default_config={"model": None, "max_words": 200, "threads": 1, "batch_size": 1},
    requires=["token.is_sent_start"],
    assigns=["doc.ents"],
)
def make_transformer_spans(
    nlp: Language,
    name: str,
    model: str | None,
    max_words: int,
    threads: int,
    batch_size: int,
) -> TransformerSpanTagger:
    """``model``: a model folder (None: the one bundled with claimgraph)."""
    folder = Path(model) if model is not None else bundled_model_dir()
    return TransformerSpanTagger(
        name, model=folder, max_words=max_words, threads=threads, batch_size=batch_size
    )
