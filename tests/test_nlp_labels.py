"""Dependency-label normalisation across UD and ClearNLP schemes."""

from __future__ import annotations

import pytest

from claimgraph.nlp import dep_role, detect_scheme


@pytest.mark.parametrize(
    ("ud", "clear", "role"),
    [
        ("nsubj", "nsubj", "subj"),
        ("nsubj:pass", "nsubjpass", "subj_pass"),
        ("obj", "dobj", "obj"),
        ("ccomp", "ccomp", "ccomp"),
        ("acl:relcl", "relcl", "relcl"),
        ("nmod:poss", "poss", "poss"),
        ("aux:pass", "auxpass", "aux"),
        ("root", "ROOT", "root"),
    ],
)
def test_roles_agree_across_schemes(ud, clear, role):
    assert dep_role(ud) == dep_role(clear) == role


@pytest.mark.parametrize(("label", "role"), [("obl:tmod", "obl"), ("nmod:npmod", "nmod")])
def test_subtypes_fall_back_to_base(label, role):
    assert dep_role(label) == role


def test_unknown_label_is_other():
    assert dep_role("made-up") == "other"


def test_detect_scheme():
    assert detect_scheme(["nsubj", "obj", "obl", "case", "flat"]) == "ud"
    assert detect_scheme(["nsubj", "dobj", "pobj", "prep", "attr"]) == "clearnlp"
    with pytest.raises(ValueError, match="cannot tell"):
        detect_scheme(["punct"])
