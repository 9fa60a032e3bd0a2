"""Accuracy of a spaCy pipeline on the held-out splits claimgraph reports.

* UD EWT test: UPOS, XPOS, morphology, lemma, UAS, LAS, sentence F1 (gold tokenization).
* GUM dev named mentions: entity P/R/F overall and per type (labels as in the model card).
* UNER EWT test: PER/ORG/LOC P/R/F with claimgraph labels mapped (PERSON->PER, ORG->ORG,
  GPE/LOC->LOC; other labels are not UNER classes and are dropped).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from . import corpora

UNER_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
SYNTAX_KEYS = ("pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f")


def _examples(nlp: Language, refs: Iterable[Doc]) -> list[Example]:
    """Examples whose predicted side has the gold words and spaces but no annotation."""
    examples = []
    for ref in refs:
        words = [t.text for t in ref]
        spaces = [bool(t.whitespace_) for t in ref]
        examples.append(Example(Doc(nlp.vocab, words=words, spaces=spaces), ref))
    return examples


def evaluate_syntax(nlp: Language, conllu: Path) -> dict[str, float]:
    """Tagging, lemma and parse scores on a CoNLL-U file, with gold tokenization."""
    refs = list(corpora.conllu_docs(nlp.vocab, [conllu]))
    disabled = [name for name in ("ner",) if name in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        scores = nlp.evaluate(_examples(nlp, refs))
    result = {key: float(scores[key]) for key in SYNTAX_KEYS if scores.get(key) is not None}
    result["tokens"] = sum(len(d) for d in refs)
    return result


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def _score_spans(
    pairs: Iterable[tuple[set[tuple[int, int, str]], set[tuple[int, int, str]], set[int]]],
) -> dict[str, object]:
    """P/R/F overall and per label from (gold, predicted, unannotated-token) triples."""
    counts: dict[str, Counter] = {}
    total = Counter()
    for gold, pred, missing in pairs:
        pred = {s for s in pred if not any(i in missing for i in range(s[0], s[1]))}
        for label, bucket in (("tp", gold & pred), ("fp", pred - gold), ("fn", gold - pred)):
            for span in bucket:
                counts.setdefault(span[2], Counter())[label] += 1
                total[label] += 1
    result: dict[str, object] = dict(_prf(total["tp"], total["fp"], total["fn"]))
    result["support"] = total["tp"] + total["fn"]
    result["per_type"] = {
        label: {**_prf(c["tp"], c["fp"], c["fn"]), "support": c["tp"] + c["fn"]}
        for label, c in sorted(counts.items())
    }
    return result


def evaluate_gum_ner(nlp: Language, root: Path) -> dict[str, object]:
    """Named-mention NER on GUM dev; predictions over unannotated names are ignored."""
    refs = list(corpora.conllu_docs(nlp.vocab, corpora.gum_split(root, "dev"), with_entities=True))

    def pairs():
        preds = nlp.pipe(ex.predicted for ex in _examples(nlp, refs))
        for ref, pred in zip(refs, preds, strict=True):
            gold = {(e.start, e.end, e.label_) for e in ref.ents}
            guess = {(e.start, e.end, e.label_) for e in pred.ents}
            missing = {t.i for t in ref if t.ent_iob == 0}
            yield gold, guess, missing

    return _score_spans(pairs())


def evaluate_uner(nlp: Language, iob2: Path) -> dict[str, object]:
    """PER/ORG/LOC NER on a UNER file, claimgraph labels mapped to UNER's."""
    sents = list(corpora.read_uner(iob2))

    def spans(tags: list[str]) -> set[tuple[int, int, str]]:
        out, start, label = set(), None, None
        for i, tag in enumerate([*tags, "O"]):
            if start is not None and not tag.startswith("I-"):
                out.add((start, i, label))
                start = None
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start, label = i, tag[2:]
        return out

    def pairs():
        docs = (Doc(nlp.vocab, words=words) for words, _ in sents)
        for (_, tags), doc in zip(sents, nlp.pipe(docs), strict=True):
            guess = {(e.start, e.end, UNER_MAP[e.label_]) for e in doc.ents if e.label_ in UNER_MAP}
            yield spans(tags), guess, set()

    return _score_spans(pairs())


def evaluate_pipeline(
    nlp: Language, root: Path, *, progress: Callable[[str], None] | None = None
) -> dict[str, object]:
    """All reported scores as one dict (see the module docstring)."""
    steps = {
        "ud_ewt_test": lambda: evaluate_syntax(nlp, root / "ud-ewt" / "en_ewt-ud-test.conllu"),
        "gum_dev_ner": lambda: evaluate_gum_ner(nlp, root),
        "uner_ewt_test": lambda: evaluate_uner(nlp, root / "uner-ewt" / "en_ewt-ud-test.iob2"),
    }
    results: dict[str, object] = {}
    for name, step in steps.items():
        if progress is not None:
            progress(name)
        results[name] = step()
    return results
