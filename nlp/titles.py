"""Person titles and role words as plain data, shared by the NLP, extraction and graph code.

Three lists are built from these groups, and their memberships differ on purpose:

* :data:`claimgraph.nlp.components.PERSON_TITLE_WORDS`: a word before a proper name that
  makes the name a PERSON ("President Donald Trump", "Mr Katz");
* :data:`claimgraph.extract.mentions.PERSON_TITLES` (with ``TITLE_WORDS`` and
  ``ROLE_WORDS``): titles and roles cut from the front of a person mention, role words kept
  as the speaker's role;
* :data:`claimgraph.graph.names.TITLES`: tokens never part of a person's name key.

Every word is lower case and undotted; abbreviations (:data:`ABBREVIATIONS`) get their
dotted spelling ("dr.") from :func:`with_dotted` or :func:`dotted_only`. This module imports
nothing, so any layer can use it.
"""

from __future__ import annotations

from collections.abc import Iterable


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Courtesy and academic titles written before a name ("Mr", "Dame", "Professor").
HONORIFICS = _words("mr mrs ms miss dr prof professor sir dame lord lady")
#: Honorifics that mark a woman; "madam" is an address ("Madam Speaker"), not a name title.
FEMALE_HONORIFICS = _words("mrs ms miss madam lady dame")
#: Honorifics that mark a man.
MALE_HONORIFICS = _words("mr sir lord")
#: Military and police ranks, with their abbreviations ("Lt Gen", "Capt").
RANKS = _words(
    "colonel col general gen lieutenant lt major captain capt sergeant admiral commander"
)
#: Elected and appointed public offices, with their abbreviations ("Sen", "Rep", "Gov").
OFFICES = _words(
    """president senator sen representative rep congressman congresswoman governor gov mayor
    minister secretary chancellor premier ambassador envoy"""
)
#: Words that build a compound office ("Vice President", "Prime Minister", "Deputy", "Chief").
OFFICE_MODIFIERS = _words("vice prime deputy chief")
#: Portfolios named inside an office ("Foreign Minister", "National Security Adviser").
PORTFOLIOS = _words("foreign defence defense interior finance security national state")
#: Staff, party and organisational roles ("spokesman Dmitry Peskov", "candidate Harris").
ROLES = _words(
    """spokesman spokeswoman spokesperson adviser advisor aide chairman chairwoman chair
    director head leader candidate nominee counterpart"""
)
#: Judicial titles ("Judge", "Justice").
JUDICIAL = _words("judge justice")
#: Royal titles ("King Charles", "Princess Anne").
ROYALTY = _words("king queen prince princess")
#: Religious titles ("Pope Francis", "Rabbi", "Imam", "Sheikh").
CLERGY = _words("pope rabbi imam sheikh")

#: Letters written after a name and set off by a comma, never a name themselves: honours,
#: ranks at the bar, degrees, seats and generations ("Mark Tedeschi, QC", "Joseph R. Biden,
#: Jr."). Compared without full stops ("Ph.D." -> "phd").
POST_NOMINALS = _words(
    "qc kc sc mp mla msp mep obe mbe cbe kbe dbe gbe frs phd md dds rn cpa esq jr sr"
)

#: Short forms that are written with or without a full stop ("Dr" / "Dr.").
ABBREVIATIONS = _words("mr mrs ms dr prof sen rep gov col gen lt capt")


def with_dotted(words: Iterable[str]) -> frozenset[str]:
    """``words`` plus the dotted spelling of each abbreviation among them ("dr" -> "dr", "dr.")."""
    words = frozenset(words)
    return words | {f"{word}." for word in words & ABBREVIATIONS}


def dotted_only(words: Iterable[str]) -> frozenset[str]:
    """``words`` with each abbreviation in its dotted spelling only ("gen" -> "gen.")."""
    words = frozenset(words)
    return (words - ABBREVIATIONS) | {f"{word}." for word in words & ABBREVIATIONS}
