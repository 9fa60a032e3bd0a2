"""Readers that turn the open training corpora into spaCy ``Doc`` objects.

Sources (all under a corpora root, by default ``../shared/corpora``):

* UD English Web Treebank (``ud-ewt/*.conllu``): tags, lemmas, morphology, UD trees.
* GUM (``gum/dep/*.conllu``): the same layers plus entity mentions in MISC ``Entity=``.
* UNER EWT (``uner-ewt/*.iob2``): PER/ORG/LOC labels over EWT tokens (evaluation only).
* PolNeAR silver entities (``polnear/silver-corenlp/*.jsonl``): CoreNLP NER as character spans.

Named-entity label mapping (documented in the model card):

==================  ============================================================
source label        claimgraph label
==================  ============================================================
GUM person          PERSON (leading titles removed); NORP for a lone demonym
GUM organization    ORG
GUM place           GPE; LOC for landforms/regions; FAC for facilities (by head word)
GUM event           EVENT
CoreNLP PERSON      PERSON
CoreNLP ORGANIZATION ORG
CoreNLP LOCATION    GPE, LOC or FAC by the same head-word rule
CoreNLP MISC        NORP when the name is a demonym/group word, else *unannotated*
other types         *unannotated* (no loss either way), never "O"
==================  ============================================================

Only *named* GUM mentions are used: the mention's syntactic head is a proper noun
(XPOS ``NNP``/``NNPS``), and the entity span is the run of proper nouns around that
head (joined by ``of``/``and``/``&``/``-``/``.``/``'s`` when more proper nouns follow),
so "Kremlin spokesman Dmitry Peskov" yields PERSON "Dmitry Peskov" and the nested
"Kremlin" its own ORG.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimgraph.nlp.labels import PROPER_NOUN_TAGS
from claimgraph.nlp.places import place_label

logger = logging.getLogger(__name__)


GUM_TYPE_MAP = {"person": "PERSON", "organization": "ORG", "place": "GPE", "event": "EVENT"}
CORENLP_TYPE_MAP = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "GPE"}

# Titles dropped from the left edge of GUM person names ("Emperor Norton" -> "Norton").
# Kept apart from claimgraph.nlp.titles on purpose: this list defines the shipped NER's
# training data (GUM's historical and noble titles included), so editing the shared groups
# must not change what a rebuild trains on.
TITLE_WORDS = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "professor",
        "sir",
        "lord",
        "lady",
        "dame",
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "empress",
        "pope",
        "president",
        "vice",
        "senator",
        "sen.",
        "sen",
        "governor",
        "gov.",
        "rep.",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "general",
        "gen.",
        "gen",
        "colonel",
        "col.",
        "captain",
        "capt.",
        "lieutenant",
        "lt.",
        "sergeant",
        "sgt.",
        "secretary",
        "minister",
        "chancellor",
        "mayor",
        "judge",
        "justice",
        "chief",
        "saint",
        "st.",
        "earl",
        "duke",
        "duchess",
        "count",
        "baron",
        "father",
        "brother",
        "sister",
        "rev.",
        "reverend",
        "rabbi",
        "imam",
        "sheikh",
        "fellow",
    ]
)
DEMONYM_RE = re.compile(
    r"^[A-Z][a-z]+(?:an|ans|ian|ians|ese|ish|i|is|ic|ics|ch|ist|ists|ite|ites|ats?|cans?)$"
)
NAME_CONNECTORS = frozenset({"of", "and", "&", "-", ".", "'s", "de", "the", "for", "on"})


@dataclass(frozen=True)
class ConlluWord:
    """One syntactic word of a CoNLL-U sentence."""

    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    misc: str
    space_after: bool


@dataclass(frozen=True)
class ConlluSentence:
    """A CoNLL-U sentence with its document id and whether it opens a paragraph."""

    doc_id: str
    sent_id: str
    new_par: bool
    words: tuple[ConlluWord, ...]


def _misc_space_after(misc: str) -> bool:
    return "SpaceAfter=No" not in misc.split("|")


def read_conllu(path: Path) -> Iterator[ConlluSentence]:
    """Yield the sentences of a CoNLL-U file (multiword-token surface spacing honoured)."""
    doc_id = path.stem
    sent_id = ""
    new_par = False
    words: list[ConlluWord] = []
    mwt_end = 0
    mwt_space = True
    with path.open(encoding="utf8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line:
                if words:
                    yield ConlluSentence(doc_id, sent_id, new_par, tuple(words))
                words, new_par, mwt_end = [], False, 0
                continue
            if line.startswith("#"):
                if line.startswith("# newdoc id ="):
                    doc_id = line.split("=", 1)[1].strip()
                    new_par = True
                elif line.startswith("# newpar"):
                    new_par = True
                elif line.startswith("# sent_id ="):
                    sent_id = line.split("=", 1)[1].strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}: malformed CoNLL-U line: {line[:80]!r}")
            if "-" in cols[0]:
                _, end = cols[0].split("-")
                mwt_end, mwt_space = int(end), _misc_space_after(cols[9])
                continue
            if "." in cols[0]:
                continue  # empty nodes of enhanced UD
            wid = int(cols[0])
            if wid < mwt_end:
                space = False
            elif wid == mwt_end:
                space = mwt_space
            else:
                space = _misc_space_after(cols[9])
            words.append(
                ConlluWord(
                    id=wid,
                    form=cols[1],
                    lemma=cols[2],
                    upos=cols[3],
                    xpos=cols[4],
                    feats="" if cols[5] == "_" else cols[5],
                    head=int(cols[6]),
                    deprel=cols[7],
                    misc=cols[9],
                    space_after=space,
                )
            )
    if words:
        yield ConlluSentence(doc_id, sent_id, new_par, tuple(words))


def group_sentences(
    sentences: Iterable[ConlluSentence], *, max_sents: int = 10
) -> Iterator[list[ConlluSentence]]:
    """Group consecutive sentences of one document into chunks of at most ``max_sents``."""
    chunk: list[ConlluSentence] = []
    for sent in sentences:
        if chunk and (sent.doc_id != chunk[0].doc_id or len(chunk) >= max_sents):
            yield chunk
            chunk = []
        chunk.append(sent)
    if chunk:
        yield chunk


def sentences_to_doc(
    vocab: Vocab, sentences: list[ConlluSentence], *, with_entities: bool = False
) -> Doc:
    """Build a fully annotated Doc (tags, POS, morph, lemma, heads, deps, sentence starts).

    With ``with_entities`` the GUM ``Entity=`` annotation becomes ``doc.ents`` (named
    mentions only, see the module docstring); unmapped named mentions are left unannotated.
    """
    words: list[str] = []
    spaces: list[bool] = []
    tags, pos, morphs, lemmas, heads, deps, starts = [], [], [], [], [], [], []
    for sent in sentences:
        offset = len(words)
        for i, w in enumerate(sent.words):
            words.append(w.form)
            spaces.append(w.space_after)
            tags.append(w.xpos)
            pos.append(w.upos)
            morphs.append(w.feats)
            lemmas.append(w.lemma)
            heads.append(offset + (w.head - 1 if w.head else i))
            deps.append("ROOT" if w.deprel == "root" else w.deprel)
            starts.append(i == 0)
    if spaces:
        spaces[-1] = False
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=tags,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        sent_starts=starts,
    )
    if with_entities:
        _set_gum_entities(doc, sentences)
    return doc


def _parse_entity_field(misc: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Return (openings as (eid, type), closings as eid) of a MISC ``Entity=`` value."""
    value = ""
    for part in misc.split("|"):
        if part.startswith("Entity="):
            value = part[len("Entity=") :]
    openings: list[tuple[str, str]] = []
    closings: list[str] = []
    for match in re.finditer(r"\(([^()]*)(\)?)|(\d+)\)", value):
        if match.group(3) is not None:
            closings.append(match.group(3))
            continue
        fields = match.group(1).split("-")
        if len(fields) < 2:
            continue
        openings.append((fields[0], fields[1]))
        if match.group(2):
            closings.append(fields[0])
    return openings, closings


def gum_mentions(sentences: list[ConlluSentence]) -> list[tuple[int, int, str]]:
    """All GUM entity mentions of the chunk as (start, end, gum_type) token spans."""
    mentions: list[tuple[int, int, str]] = []
    open_stack: dict[str, list[tuple[int, str]]] = {}
    index = 0
    for sent in sentences:
        for w in sent.words:
            openings, closings = _parse_entity_field(w.misc)
            for eid, etype in openings:
                open_stack.setdefault(eid, []).append((index, etype))
            for eid in closings:
                if open_stack.get(eid):
                    start, etype = open_stack[eid].pop()
                    mentions.append((start, index + 1, etype))
            index += 1
    return mentions


def _is_proper(token) -> bool:
    return token.tag_ in PROPER_NOUN_TAGS


def named_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The proper-name part of a mention, or None when the mention is not named."""
    span = doc[start:end]
    head = span.root
    if not _is_proper(head):
        return None
    left = head.i
    while left - 1 >= start:
        if _is_proper(doc[left - 1]):
            left -= 1
            continue
        prev = left - 1
        while prev >= start and doc[prev].lower_ in NAME_CONNECTORS:
            prev -= 1
        if prev < left - 1 and prev >= start and _is_proper(doc[prev]):
            left = prev
            continue
        break
    right = head.i + 1
    while right < end:
        if _is_proper(doc[right]):
            right += 1
            continue
        # a connector joins the name only when a proper noun follows inside the mention
        nxt = right
        while nxt < end and doc[nxt].lower_ in NAME_CONNECTORS:
            nxt += 1
        if nxt > right and nxt < end and _is_proper(doc[nxt]):
            right = nxt
            continue
        break
    return left, right


def strip_titles(doc: Doc, start: int, end: int) -> int:
    """First token of a person name after any leading titles ("Emperor", "Dr.")."""
    while start < end and doc[start].lower_ in TITLE_WORDS:
        start += 1
    return start


def _set_gum_entities(doc: Doc, sentences: list[ConlluSentence]) -> None:
    candidates: list[tuple[int, int, str | None]] = []
    for start, end, etype in gum_mentions(sentences):
        named = named_span(doc, start, end)
        if named is None:
            continue
        start, end = named
        label = GUM_TYPE_MAP.get(etype)
        if label == "GPE":
            label = place_label(doc[start:end].text)
        elif label == "PERSON":
            if end - start == 1 and DEMONYM_RE.match(doc[start].text):
                label = "NORP"  # "Americans" as a group of people
            start = strip_titles(doc, start, end)
            if start == end or not _is_proper(doc[start]):
                continue  # a title ("the Secretary", "Emperor of the United States") is no name
        candidates.append((start, end, label))
    # longest first; nested names that overlap an accepted one are dropped
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = [False] * len(doc)
    ents: list[Span] = []
    missing: list[Span] = []
    for start, end, label in candidates:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        if label is None:
            missing.append(doc[start:end])
        else:
            ents.append(Span(doc, start, end, label=label))
    # GUM does not annotate nationality adjectives ("Indian food"): leave them unannotated.
    for token in doc:
        if (
            not taken[token.i]
            and token.tag_ in ("JJ", "NNP", "NNPS")
            and DEMONYM_RE.match(token.text)
        ):
            missing.append(doc[token.i : token.i + 1])
    doc.set_ents(ents, missing=missing, default="outside")


def set_char_entities(doc: Doc, entities: Iterable[tuple[int, int, str]]) -> Doc:
    """Set ``doc.ents`` from character spans with CoreNLP labels mapped (see module docs).

    Spans of unmapped labels (numbers, dates, other MISC) are marked as unannotated.
    """
    ents: list[Span] = []
    missing: list[Span] = []
    taken = [False] * len(doc)
    for start, end, label in sorted(entities, key=lambda e: (e[0], -e[1])):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(taken[span.start : span.end]):
            continue
        text = span.text
        mapped = CORENLP_TYPE_MAP.get(label)
        if mapped == "GPE":
            mapped = place_label(text)
        elif label == "MISC" and len(span) <= 2 and DEMONYM_RE.match(span[-1].text):
            mapped = "NORP"
        for i in range(span.start, span.end):
            taken[i] = True
        if mapped is None:
            missing.append(span)
        else:
            ents.append(Span(doc, span.start, span.end, label=mapped))
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def gum_split(root: Path, split: str) -> list[Path]:
    """GUM files of ``split`` ("train" or "dev") per ``splits.md`` that exist under ``root``.

    Test documents are never listed, so they are never read.
    """
    if split not in ("train", "dev"):
        raise ValueError(f"split must be 'train' or 'dev', not {split!r}")
    gum = root / "gum"
    section = ""
    names: list[str] = []
    for line in (gum / "splits.md").read_text(encoding="utf8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif section == split and line.strip().startswith("* "):
            names.append(line.strip()[2:].strip())
    return [p for n in names if (p := gum / "dep" / f"{n}.conllu").exists()]


def conllu_docs(
    vocab: Vocab, paths: Iterable[Path], *, with_entities: bool = False, max_sents: int = 10
) -> Iterator[Doc]:
    """Docs of up to ``max_sents`` sentences from CoNLL-U files."""
    for path in paths:
        for chunk in group_sentences(read_conllu(path), max_sents=max_sents):
            yield sentences_to_doc(vocab, chunk, with_entities=with_entities)


def polnear_silver_docs(nlp, root: Path, split: str) -> Iterator[Doc]:
    """PolNeAR ``split`` articles tokenized by ``nlp`` with silver CoreNLP entities."""
    text_dir = root / "polnear" / split / "text"
    with (root / "polnear" / "silver-corenlp" / f"{split}.jsonl").open(encoding="utf8") as handle:
        for line in handle:
            record = json.loads(line)
            path = text_dir / f"{record['doc']}.txt"
            if not path.exists() or not record["entities"]:
                continue
            doc = nlp.make_doc(path.read_text(encoding="utf8"))
            yield set_char_entities(doc, (tuple(e) for e in record["entities"]))


def read_uner(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Yield (words, IOB2 tags) sentences of a UNER ``.iob2`` file."""
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line:
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2])
    if words:
        yield words, tags
