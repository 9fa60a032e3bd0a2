"""The attribution rules as data: dependency roles that tie cues, sources and contents, the
cue lemmas learned from PolNeAR train, and quotation marks (see
:mod:`claimgraph.extract.attribution` and :mod:`claimgraph.extract.recovery`)."""

from __future__ import annotations

# Roles (see claimgraph.nlp.labels.dep_role) by which a source hangs off its cue.
SOURCE_ROLES = frozenset({"subj", "subj_pass", "agent", "obl", "pobj", "nmod", "poss"})
# Roles by which a content hangs off its cue, or a cue off its content.
CONTENT_ROLES = frozenset({"ccomp", "xcomp", "obj", "obl", "advcl", "parataxis", "conj", "pobj"})

# Speech, report and cognition verbs (the most frequent cue lemmas of PolNeAR train that are
# unambiguous as cues): a content governed by one of them gets it as cue when the tagger
# marked none.
CUE_LEMMAS = frozenset(
    """
    say tell write add ask suggest note report argue announce claim describe tweet accuse
    explain declare criticize criticise promise acknowledge mention vow insist urge recall
    reveal warn propose praise conclude pledge predict indicate reject deny admit reply
    confirm threaten repeat assure remind allege stress believe think hope expect fear
    worry respond state contend caution complain blast slam estimate concede
    emphasize emphasise boast lament observe recount testify disclose quip joke
    """.split()
)
ATTRIBUTED_ROLES = frozenset({"ccomp", "obj", "xcomp", "parataxis"})
# Roles of the clause a tagged cue reports when the tagger marked no content for it
# ("said [that ...]"), and of a reporting verb hanging off the clause it reports ("[...], he
# said").
CONTENT_CLAUSE_ROLES = frozenset({"ccomp", "parataxis"})
REPORTING_CLAUSE_ROLES = frozenset({"parataxis"})
# Clauses without a subject of their own whose subject is their head's ("vowed to", ",
# adding", "and said"), and participles modifying a noun ("a statement announcing").
OPEN_CLAUSE_ROLES = frozenset({"xcomp", "advcl", "conj"})
NOUN_MODIFIER_ROLES = frozenset({"acl"})
#: Verbs whose bare participle clause leaves the one questioned understood, not the speaker.
QUESTIONING_LEMMAS = frozenset({"ask", "question", "press", "quiz"})

OPENING_QUOTES = frozenset("\u201c\u2018\u00ab\u201e")
# Opening quotation marks and the mark that closes each (PolNeAR's NYT texts write '' for ").
QUOTE_PAIRS = {"\u201c": "\u201d", '"': '"', "''": "''", "``": "''", "\u00ab": "\u00bb"}
