"""Dependency-label normalisation: the one place where label schemes are reconciled.

claimgraph's bundled pipeline predicts Universal Dependencies relations (``nsubj:pass``,
``obj``, ``obl``); spaCy's ``en_core_web_*`` pipelines predict ClearNLP relations
(``nsubjpass``, ``dobj``, ``pobj``). Extraction code asks :func:`dep_role` for a coarse,
scheme-independent grammatical role instead of comparing raw labels.
"""

from __future__ import annotations

from collections.abc import Iterable

# Raw label (either scheme, subtype stripped where noted) -> coarse role.
ROLE_OF_LABEL: dict[str, str] = {
    # subjects
    "nsubj": "subj", "csubj": "subj", "expl": "subj",
    "nsubj:pass": "subj_pass", "nsubjpass": "subj_pass",
    "csubj:pass": "subj_pass", "csubjpass": "subj_pass",
    # objects and complements
    "obj": "obj", "dobj": "obj", "iobj": "iobj", "dative": "iobj",
    "ccomp": "ccomp", "xcomp": "xcomp", "attr": "attr", "oprd": "xcomp", "acomp": "xcomp",
    "obl": "obl", "pobj": "pobj", "agent": "agent", "obl:agent": "agent",
    # clauses and modifiers
    "advcl": "advcl", "acl": "acl", "acl:relcl": "relcl", "relcl": "relcl",
    "parataxis": "parataxis", "advmod": "advmod", "amod": "amod", "nummod": "nummod",
    "nmod": "nmod", "nmod:poss": "poss", "poss": "poss", "appos": "appos",
    "compound": "compound", "flat": "compound", "flat:name": "compound",
    "compound:prt": "prt", "prt": "prt",
    # function words
    "case": "case", "prep": "prep", "mark": "mark", "det": "det", "predet": "det",
    "aux": "aux", "aux:pass": "aux", "auxpass": "aux", "cop": "cop",
    "neg": "neg", "cc": "cc", "conj": "conj", "punct": "punct",
    "root": "root", "ROOT": "root",
}  # fmt: skip

UD_SCHEME = "ud"
CLEARNLP_SCHEME = "clearnlp"
_CLEARNLP_ONLY = frozenset({"dobj", "nsubjpass", "pobj", "prep", "attr", "relcl", "poss"})
_UD_ONLY = frozenset({"obj", "obl", "nsubj:pass", "case", "flat", "nmod:poss", "acl:relcl"})

#: Penn Treebank tags of proper nouns: the fine ``tag_`` of the bundled pipeline and of
#: ``en_core_web_*`` alike (both tag with the PTB set).
PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})


def dep_role(label: str) -> str:
    """Coarse grammatical role of a dependency label from either scheme.

    >>> dep_role("nsubj:pass"), dep_role("nsubjpass"), dep_role("obl:tmod")
    ('subj_pass', 'subj_pass', 'obl')
    """
    if label in ROLE_OF_LABEL:
        return ROLE_OF_LABEL[label]
    base = label.split(":", 1)[0]
    return ROLE_OF_LABEL.get(base, "other")


def detect_scheme(labels: Iterable[str]) -> str:
    """``"ud"`` or ``"clearnlp"`` from a parser's label set.

    >>> detect_scheme(["nsubj", "obj", "obl", "case"]), detect_scheme(["nsubj", "dobj", "pobj"])
    ('ud', 'clearnlp')
    """
    found = set(labels)
    clear, ud = len(found & _CLEARNLP_ONLY), len(found & _UD_ONLY)
    if not clear and not ud:
        raise ValueError(f"cannot tell the dependency scheme from labels {sorted(found)[:10]}")
    return CLEARNLP_SCHEME if clear > ud else UD_SCHEME
