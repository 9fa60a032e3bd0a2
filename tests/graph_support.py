"""Hand-built claim records for the seed page (offsets computed from the text), used by the
graph tests while the attribution extractor is being written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from claimgraph.extract.records import Claim, EntityRef, TextSpan
from claimgraph.graph import ArticleMeta, DocumentInput

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_page.txt"
DOC = "examples/seed_page.txt"


def _span(text: str, needle: str, after: int = 0) -> TextSpan:
    start = text.index(needle, after)
    return TextSpan(needle, start, start + len(needle))


def _ref(text: str, needle: str, after: int = 0, **kw: object) -> EntityRef:
    s = _span(text, needle, after)
    return EntityRef(s.text, s.start, s.end, **kw)  # type: ignore[arg-type]


# (article, anchor, content, cue, speaker (needle, kwargs), target (needle, kwargs) | None, kind)
SEED_CLAIMS = [
    (
        1,
        "Kremlin expects",
        "Kremlin expects 'difficult' talks with Ukraine in Istanbul",
        "expects",
        ("Kremlin", {"type": "ORG"}),
        ("Ukraine", {"type": "GPE"}),
        "headline",
    ),
    (
        1,
        '"No one',
        "No one expects an easy road",
        "told",
        (
            "Kremlin spokesman Dmitry Peskov",
            {
                "type": "PERSON",
                "entity": "Dmitry Peskov",
                "role": "Kremlin spokesman",
                "affiliation": "Kremlin",
            },
        ),
        None,
        "direct",
    ),
    (
        1,
        '"It will',
        "It will be very difficult",
        "added",
        ("he", {"type": "PERSON", "entity": "Dmitry Peskov"}),
        None,
        "direct",
    ),
    (
        1,
        "Ukraine said it hoped",
        "it hoped the two countries would discuss the release of prisoners and lay the ground for "
        "a meeting between Ukrainian President Volodymyr Zelensky and Russian counterpart Vladimir "
        "Putin",
        "said",
        ("Ukraine", {"type": "GPE"}),
        ("Ukrainian President Volodymyr Zelensky", {"type": "PERSON"}),
        "indirect",
    ),
    (
        1,
        '"Everything',
        "Everything will depend on whether Russia stops speaking in ultimatums "
        "and takes a constructive position",
        "told",
        ("a source in the Ukrainian delegation", {"anonymous": True}),
        ("Russia", {"type": "GPE"}),
        "direct",
    ),
    (
        1,
        '"This will',
        "This will determine whether results can be achieved at this meeting",
        "added",
        ("the source", {"anonymous": True, "entity": "a source in the Ukrainian delegation"}),
        None,
        "direct",
    ),
    (
        1,
        "But Moscow",
        "a lot of work is needed before even discussions can take place about "
        "possible talks between Putin and Zelensky",
        "has said",
        ("Moscow", {"type": "GPE"}),
        ("Putin", {"type": "PERSON"}),
        "indirect",
    ),
    (
        1,
        "a demand Kyiv",
        "unacceptable",
        "has called",
        ("Kyiv", {"type": "GPE"}),
        ("Russia", {"type": "GPE"}),
        "indirect",
    ),
    (
        1,
        "Ukraine said former",
        "former defence minister Rustem Umerov, who currently serves as "
        "security council secretary, would head its delegation",
        "said",
        ("Ukraine", {"type": "GPE"}),
        ("former defence minister Rustem Umerov", {"type": "PERSON", "entity": "Rustem Umerov"}),
        "indirect",
    ),
    (
        1,
        "The Kremlin said it",
        "it would send political scientist Vladimir Medinsky to lead its negotiating team",
        "said",
        ("The Kremlin", {"type": "ORG"}),
        (
            "political scientist Vladimir Medinsky",
            {"type": "PERSON", "entity": "Vladimir Medinsky"},
        ),
        "indirect",
    ),
    (
        1,
        "He has been",
        "a puppet",
        "described",
        ("Ukraine", {"type": "GPE"}),
        ("He", {"type": "PERSON", "entity": "Vladimir Medinsky"}),
        "indirect",
    ),
    (
        1,
        "Trump announced",
        "he was giving Russia until September to strike a peace deal with "
        "Ukraine or face bruising sanctions",
        "announced",
        ("Trump", {"type": "PERSON"}),
        ("Russia", {"type": "GPE"}),
        "indirect",
    ),
    (
        1,
        "A Russian drone",
        "A Russian drone attack on the Sumy region cut power to more than "
        "220,000 people earlier Wednesday",
        "said",
        ("Zelensky", {"type": "PERSON"}),
        ("Sumy region", {"type": "GPE"}),
        "indirect",
    ),
    (
        1,
        "Turkey's President",
        'called on both sides not to "shut the door" on dialogue',
        "called on",
        ("Turkey's President Recep Tayyip Erdogan", {"type": "PERSON"}),
        None,
        "mixed",
    ),
    (
        2,
        '"My biggest',
        "My biggest fear is to lose my parents, my children, my wife — the people I love",
        "told",
        ("Mohammed Skiek", {"type": "PERSON"}),
        None,
        "direct",
    ),
    (
        3,
        "During his meeting",
        "the basis of undefeated combative brotherhood",
        "described",
        ("Lavrov", {"type": "PERSON", "entity": "Sergei Lavrov"}),
        None,
        "mixed",
    ),
]
ARTICLES = {
    1: ArticleMeta(
        title="Kremlin expects 'difficult' talks with Ukraine in Istanbul",
        outlet="Daily8",
        date="2025-07-23",
        url="https://example.org/news/kremlin",
    ),
    2: ArticleMeta(
        title="Israeli military expert predicts Gaza war to continue for 10 years",
        outlet="ABC News",
        date="2025-07-22",
    ),
    3: ArticleMeta(outlet="Sky News AU", date="2025-07-21"),
}


def seed_claims(text: str | None = None, doc: str = DOC) -> list[Claim]:
    text = SEED.read_text(encoding="utf-8") if text is None else text
    out = []
    for article, anchor, content, cue, speaker, target, kind in SEED_CLAIMS:
        at = text.index(anchor)
        c = _span(text, content, at)
        cue_span = _span(text, cue, at)
        s_text, s_kw = speaker
        sp = _ref(text, s_text, at, **s_kw)
        tg = _ref(text, target[0], at, **target[1]) if target else None
        out.append(Claim(doc, article, (c,), speaker=sp, cue=cue_span, target=tg, kind=kind))
    return out


def seed_document(doc: str = DOC) -> DocumentInput:
    text = SEED.read_text(encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return DocumentInput(doc, sha, tuple(seed_claims(text, doc)), ARTICLES)


def write_jsonl(path: Path, claims: list[Claim], **meta: object) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for claim in claims:
            record = claim.to_dict()
            if meta:
                record["meta"] = {**meta}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
