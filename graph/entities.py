"""Entity resolution: within an article, then across the store.

Rules (all deterministic):

1. A mention's name is its extractor-resolved name (``EntityRef.entity``, the fullest name of
   its coreference chain) or else its text; titles are stripped for persons ("Kremlin spokesman
   Dmitry Peskov" -> "Dmitry Peskov"). A pronoun with no resolved name names nobody.
2. Names are compared by :func:`~claimgraph.graph.names.name_key` within a coarse class
   (person, org, place, thing). Across classes only exact names merge: an untyped name joins
   the single typed entity with the same key, and a name of two or more words typed in two
   classes (an NER slip: "Donald Trump" tagged ORG in one article) becomes one entity whose
   class is the one most of its mentions carry. A one-word name crosses classes only into a
   dominant entity (see rule 3: "Trump" tagged ORG in a corpus where the person has ten
   times its mentions); otherwise "Washington" the person and the city stay apart.
3. A name A is a *sub-name* of B when both have the same last name token and generational
   suffix and A's tokens are a subsequence of B's ("Peskov" < "Dmitry Peskov"; "Hillary
   Clinton" < "Hillary Rodham Clinton"; "Trump" is not a sub-name of "Donald Trump Jr.").
   A sub-name merges into its longer name only when that longer name is unique: a bare
   "Clinton" merges when the article (or, failing that, the store) has exactly one maximal
   Clinton. Within an article, a name the extractor already resolved (``EntityRef.entity``
   set) is kept: the extractor saw every name in the document, the claims only some ("Scott
   campaigned for Clinton" in an article naming Hillary Clinton and, once, Bill Clinton).
   Across articles, sub-names merge for persons only: "the campaign" in one article is
   not "the Clinton campaign" of another. Across the store, where several longer names
   exist, it merges into one of them only when that one is *dominant*: at least
   :data:`DOMINANCE` times as many mentions as all the others together ("Trump" in US
   political news is Donald Trump, not Ivanka Trump); otherwise it stays a separate entity.
4. The alias file (:mod:`claimgraph.graph.aliases`) is applied first and overrides 2-3.
5. Anonymous sources never merge beyond their article.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from claimgraph.extract.names import DOMINANCE, is_name_form
from claimgraph.extract.records import EntityRef

from .aliases import AliasTable
from .names import (
    ORG,
    PERSON,
    PLACE,
    SUFFIXES,
    THING,
    NameKey,
    entity_class,
    fold,
    is_pronoun,
    name_key,
    strip_titles,
)

#: Fewest mentions a dominant name, or an entity that differently typed names join, needs.
ESTABLISHED = 3
#: Typed classes in order of preference when mention counts tie.
TYPED_CLASSES = (PERSON, ORG, PLACE)


@dataclass(frozen=True)
class Mention:
    """A speaker/target mention resolved within its article."""

    name: str  # display name after in-article resolution ("Dmitry Peskov")
    cls: str  # person / org / place / thing
    label: str | None  # extractor label (PERSON, ORG, ...)
    key: NameKey
    anonymous: bool = False
    settled: bool = False  # the extractor resolved it against the whole document


def is_subname(a: NameKey, b: NameKey) -> bool:
    """True when ``a`` is a shorter form of ``b`` (see rule 3 of this module): the name-form
    test the extractor applies within a document, on name keys."""
    return (
        a.suffix == b.suffix and len(a.tokens) < len(b.tokens) and is_name_form(a.tokens, b.tokens)
    )


def maximal_supernames(
    key: NameKey, candidates: Iterable[NameKey], blocked: Collection[str] = ()
) -> set[NameKey]:
    """The maximal names among ``candidates`` that ``key`` is a sub-name of.

    ``key`` resolves to a longer name only when this set points at a single entity.

    >>> names = [name_key(n, PERSON) for n in ("Bill Clinton", "Hillary Clinton")]
    >>> len(maximal_supernames(name_key("Clinton", PERSON), names))
    2
    >>> [k.key for k in maximal_supernames(name_key("Clinton", PERSON), names[1:])]
    ['hillary clinton']
    """
    supers = {c for c in candidates if is_subname(key, c) and c.key not in blocked}
    return {c for c in supers if not any(is_subname(c, d) for d in supers)}


def _display(name: str, cls: str) -> str:
    name = " ".join(name.split())
    if cls == PERSON:
        name = strip_titles(name)
    elif cls == THING:
        # an untyped name that reads as a titled person's ("Jersey Gov. Chris Christie", from
        # a clipped entity span): drop the title when a capitalised name of 2+ words remains
        bare = strip_titles(name)
        words = bare.split()
        if bare != name and len(words) > 1 and all(w[:1].isupper() for w in words):
            name = bare
    if name.lower().startswith("the ") and name[4:5].isupper():
        name = name[4:]
    return name.rstrip(".,;:") if not name.endswith(("Jr.", "Sr.")) else name


def mention_of(ref: EntityRef, aliases: AliasTable) -> Mention | None:
    """The mention named by ``ref`` before in-article merging, or ``None`` for a bare pronoun
    or a span that names no one (``ref.refers`` false)."""
    raw = (ref.entity or ref.text or "").strip()
    if not raw or not ref.refers or (is_pronoun(raw) and not ref.anonymous):
        return None
    cls = entity_class(ref.type)
    if ref.anonymous:
        # an unnamed source or thing is a person only on evidence (its type), never by default
        return Mention(
            " ".join(raw.split()),
            cls,
            ref.type,
            NameKey(tuple(fold(raw).split())),
            anonymous=True,
        )
    label = ref.type
    alias = aliases.canonical(raw)
    if alias is not None:
        raw, alias_label = alias
        if alias_label:
            label = alias_label
            cls = entity_class(alias_label)
    name = _display(raw, cls)
    key = name_key(name, cls)
    if not key.tokens:
        return None
    return Mention(name, cls, label, key, settled=ref.entity is not None)


def resolve_article(
    refs: Iterable[EntityRef], aliases: AliasTable
) -> dict[tuple[int, int, str], Mention]:
    """Resolve the speaker/target mentions of one article against each other.

    Returns a mapping ``(start, end, text) -> Mention`` (pronouns naming nobody are absent).

    >>> refs = [EntityRef("Dmitry Peskov", 0, 13, type="PERSON"),
    ...         EntityRef("Peskov", 40, 46, type="PERSON")]
    >>> m = resolve_article(refs, AliasTable())
    >>> m[(40, 46, "Peskov")].name
    'Dmitry Peskov'
    """
    first: dict[tuple[int, int, str], Mention] = {}
    for ref in refs:
        mention = mention_of(ref, aliases)
        if mention is not None:
            first[(ref.start, ref.end, ref.text)] = mention
    named = [m for m in first.values() if not m.anonymous]
    by_class: dict[str, dict[str, Mention]] = {}
    for m in sorted(named, key=lambda m: (-len(m.name), m.name)):
        by_class.setdefault(m.cls, {}).setdefault(m.key.key, m)
    typed_keys: dict[str, set[str]] = {}
    for cls, names in by_class.items():
        if cls != THING:
            for key in names:
                typed_keys.setdefault(key, set()).add(cls)
    resolved: dict[tuple[int, int, str], Mention] = {}
    for span, m in first.items():
        if m.anonymous:
            resolved[span] = m
            continue
        cls = m.cls
        if cls == THING and len(typed_keys.get(m.key.key, ())) == 1:
            cls = next(iter(typed_keys[m.key.key]))
        pool = by_class.get(cls, {})
        blocked = aliases.distinct.get(m.key.key, set())
        longer = (
            set()
            if m.settled
            else maximal_supernames(m.key, (p.key for p in pool.values()), blocked)
        )
        best = pool[next(iter(longer)).key] if len(longer) == 1 else pool.get(m.key.key, m)
        resolved[span] = Mention(best.name, cls, m.label or best.label, best.key)
    return resolved


@dataclass
class EntityRecord:
    """An entity known to the store: its IRI, class, display name and every name key."""

    iri: str
    cls: str
    name: str
    keys: set[str]


def parse_key(key: str) -> NameKey:
    """Parse a stored key string (``"donald trump jr"``) back into a :class:`NameKey`."""
    tokens = key.split()
    if len(tokens) > 1 and tokens[-1] in SUFFIXES:
        return NameKey(tuple(tokens[:-1]), tokens[-1])
    return NameKey(tuple(tokens))


class EntityIndex:
    """In-memory index of the store's entities for cross-document resolution.

    ``lookup`` finds the entity a resolved mention belongs to (exact key in its class, then a
    unique or dominant longer name, then, for untyped names, a unique typed entity, then, for
    names of two or more words, an established entity of another class with that exact name);
    ``None`` means mint a new entity. ``weights`` counts each entity's mentions. ``merges``
    lists (absorbed IRI, surviving IRI) pairs that the rules now call for among stored
    entities (an earlier bare "Peskov" once "Dmitry Peskov" is known, the same two-word name
    minted in two classes, an alias added to the alias file since).
    """

    def __init__(self, aliases: AliasTable) -> None:
        self.aliases = aliases
        self.records: dict[str, EntityRecord] = {}
        self.weights: dict[str, int] = {}
        self._by_key: dict[tuple[str, str], set[str]] = {}
        self._by_last: dict[tuple[str, str, str], dict[NameKey, set[str]]] = {}

    def add(self, record: EntityRecord, weight: int = 0) -> None:
        self.records[record.iri] = record
        self.weights[record.iri] = self.weights.get(record.iri, 0) + weight
        for key in list(record.keys):
            self._index(record.iri, record.cls, key)

    def add_key(self, iri: str, key: str) -> None:
        record = self.records[iri]
        record.keys.add(key)
        self._index(iri, record.cls, key)

    def count(self, iri: str, n: int = 1) -> None:
        """Record ``n`` more mentions of entity ``iri``."""
        self.weights[iri] = self.weights.get(iri, 0) + n

    def _index(self, iri: str, cls: str, key: str) -> None:
        self._by_key.setdefault((cls, key), set()).add(iri)
        parsed = parse_key(key)
        bucket = self._by_last.setdefault((cls, parsed.last, parsed.suffix), {})
        bucket.setdefault(parsed, set()).add(iri)

    def _unindex(self, iri: str, cls: str, key: str) -> None:
        self._by_key.get((cls, key), set()).discard(iri)
        parsed = parse_key(key)
        self._by_last.get((cls, parsed.last, parsed.suffix), {}).get(parsed, set()).discard(iri)

    def _rank(self, iri: str) -> tuple[int, int, str]:
        """Order of preference among entities: more mentions, then class, then IRI."""
        cls = self.records[iri].cls
        prio = len(TYPED_CLASSES) - TYPED_CLASSES.index(cls) if cls in TYPED_CLASSES else 0
        return (self.weights.get(iri, 0), prio, iri)

    def _pick(self, candidates: set[str]) -> str | None:
        """The single candidate, or the dominant one among several, else ``None``."""
        if len(candidates) == 1:
            return next(iter(candidates))
        if not candidates:
            return None
        best = max(candidates, key=self._rank)
        top = self.weights.get(best, 0)
        rest = sum(self.weights.get(i, 0) for i in candidates if i != best)
        return best if top >= ESTABLISHED and top >= DOMINANCE * rest else None

    def _longer(self, cls: str, key: NameKey, exclude: str = "") -> set[str]:
        if cls != PERSON:
            return set()
        bucket = self._by_last.get((cls, key.last, key.suffix), {})
        live = {k: v - {exclude} for k, v in bucket.items() if v - {exclude}}
        blocked = self.aliases.distinct.get(key.key, set())
        return {i for k in maximal_supernames(key, live, blocked) for i in live[k]}

    def _typed(self, key: str, exclude: str = "", classes: Collection[str] = TYPED_CLASSES):
        return {i for cls in classes for i in self._by_key.get((cls, key), ()) if i != exclude}

    def lookup(self, cls: str, key: NameKey) -> str | None:
        hits = self._by_key.get((cls, key.key))
        if hits:
            return min(hits)
        longer = self._pick(self._longer(cls, key))
        if longer is not None:
            return longer
        if cls == THING:
            return self._pick(self._typed(key.key))
        if len(key.tokens) > 1:
            other = self._typed(key.key, classes=[c for c in TYPED_CLASSES if c != cls])
            best = max(other, key=self._rank, default=None)
            if best is not None and self.weights.get(best, 0) >= ESTABLISHED:
                return best
        return None

    def _target(self, record: EntityRecord) -> str | None:
        for key in sorted(record.keys):
            rule = self.aliases.alias.get(key)
            if rule is not None:
                tkey = name_key(rule.target, PERSON).key
                hits = {i for (_, k), ids in self._by_key.items() if k == tkey for i in ids}
                hits.discard(record.iri)
                if len(hits) == 1:
                    return hits.pop()
        if record.cls == THING:
            hit = self._pick({i for key in record.keys for i in self._typed(key, record.iri)})
            if hit is not None:
                return hit
        elif record.cls in TYPED_CLASSES:
            hit = self._cross_class(record)
            if hit is not None:
                return hit
        longest = max((parse_key(k) for k in record.keys), key=lambda k: (len(k.tokens), k.key))
        return self._pick(self._longer(record.cls, longest, exclude=record.iri))

    def _cross_class(self, record: EntityRecord) -> str | None:
        """The entity of another typed class that ``record`` should join (rule 2), if any."""
        multi = {
            i
            for key in record.keys
            if len(key.split()) > 1
            for i in self._typed(key, record.iri)
            if self.records[i].cls != record.cls
        }
        best = max(multi, key=self._rank, default=None)
        if best is not None and self._rank(best) > self._rank(record.iri):
            return best
        if any(len(k.split()) > 1 for k in record.keys):
            return None
        single = {
            i
            for key in record.keys
            for i in self._typed(key, record.iri)
            if self.records[i].cls != record.cls
        }
        if record.cls != PERSON:  # "Trump" tagged ORG may be the surname of a person
            single |= {i for key in record.keys for i in self._longer(PERSON, parse_key(key))}
        best = self._pick(single)
        if best is None:
            return None
        top = self.weights.get(best, 0)
        return (
            best
            if top >= ESTABLISHED and top >= DOMINANCE * self.weights.get(record.iri, 0)
            else None
        )

    def merges(self) -> list[tuple[str, str]]:
        """Pairs (absorbed, final survivor) the rules call for now, in a deterministic order."""
        target = {}
        for iri in sorted(self.records):
            hit = self._target(self.records[iri])
            if hit is not None and hit != iri:
                target[iri] = hit
        out = []
        for iri in sorted(target):
            seen = {iri}
            final = target[iri]
            while final in target and target[final] not in seen:
                seen.add(final)
                final = target[final]
            if final not in seen:
                out.append((iri, final))
        return out

    def merge(self, absorbed: str, survivor: str) -> None:
        gone = self.records.pop(absorbed)
        for key in gone.keys:
            self._unindex(absorbed, gone.cls, key)
        for key in gone.keys:
            self.add_key(survivor, key)
        self.count(survivor, self.weights.pop(absorbed, 0))
