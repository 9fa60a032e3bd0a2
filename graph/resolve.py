"""Entity resolution: within an article, then across the store.

Rules (all deterministic):

1. A mention's name is its extractor-resolved name (``EntityRef.entity``, the fullest name of
   its coreference chain) or else its text; titles are stripped for persons ("Kremlin spokesman
   Dmitry Peskov" -> "Dmitry Peskov"). A pronoun with no resolved name names nobody.
2. Names are compared by :func:`~claimgraph.graph.names.name_key` within a coarse class
   (person, org, place, thing); classes never merge, except that an untyped name joins the
   single typed entity with the same key.
3. A name A is a *sub-name* of B when both have the same last name token and generational
   suffix and A's tokens are a subsequence of B's ("Peskov" < "Dmitry Peskov"; "Hillary
   Clinton" < "Hillary Rodham Clinton"; "Trump" is not a sub-name of "Donald Trump Jr.").
   A sub-name merges into its longer name only when that longer name is unique: a bare
   "Clinton" merges when the article (or, failing that, the store) has exactly one maximal
   Clinton; with both Bill and Hillary it stays a separate entity.
4. The alias file (:mod:`claimgraph.graph.aliases`) is applied first and overrides 2-3.
5. Anonymous sources never merge beyond their article.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from claimgraph.extract.records import EntityRef

from .aliases import AliasTable
from .names import (
    PERSON,
    SUFFIXES,
    THING,
    NameKey,
    entity_class,
    fold,
    is_pronoun,
    name_key,
    strip_titles,
)


@dataclass(frozen=True)
class Mention:
    """A speaker/target mention resolved within its article."""

    name: str  # display name after in-article resolution ("Dmitry Peskov")
    cls: str  # person / org / place / thing
    label: str | None  # extractor label (PERSON, ORG, ...)
    key: NameKey
    anonymous: bool = False


def is_subname(a: NameKey, b: NameKey) -> bool:
    """True when ``a`` is a shorter form of ``b`` (see rule 3 of this module)."""
    if a == b or not a.tokens or a.suffix != b.suffix or a.last != b.last:
        return False
    if len(a.tokens) >= len(b.tokens):
        return False
    it = iter(b.tokens)
    return all(token in it for token in a.tokens)


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
    if name.lower().startswith("the ") and name[4:5].isupper():
        name = name[4:]
    return name.rstrip(".,;:") if not name.endswith(("Jr.", "Sr.")) else name


def mention_of(ref: EntityRef, aliases: AliasTable) -> Mention | None:
    """The mention named by ``ref`` before in-article merging, or ``None`` for a bare pronoun."""
    raw = (ref.entity or ref.text or "").strip()
    if not raw or (is_pronoun(raw) and not ref.anonymous):
        return None
    cls = entity_class(ref.type)
    if ref.anonymous:
        return Mention(
            " ".join(raw.split()),
            cls if cls != THING else PERSON,
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
    return Mention(name, cls, label, key)


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
        longer = maximal_supernames(m.key, (p.key for p in pool.values()), blocked)
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
    unique longer name, then, for untyped names, a unique typed entity); ``None`` means mint a
    new entity. ``merges`` lists (absorbed IRI, surviving IRI) pairs that the rules now call
    for among stored entities (an earlier bare "Peskov" once "Dmitry Peskov" is known, an
    alias added to the alias file since).
    """

    def __init__(self, aliases: AliasTable) -> None:
        self.aliases = aliases
        self.records: dict[str, EntityRecord] = {}
        self._by_key: dict[tuple[str, str], set[str]] = {}
        self._by_last: dict[tuple[str, str, str], dict[NameKey, set[str]]] = {}

    def add(self, record: EntityRecord) -> None:
        self.records[record.iri] = record
        for key in list(record.keys):
            self._index(record.iri, record.cls, key)

    def add_key(self, iri: str, key: str) -> None:
        record = self.records[iri]
        record.keys.add(key)
        self._index(iri, record.cls, key)

    def _index(self, iri: str, cls: str, key: str) -> None:
        self._by_key.setdefault((cls, key), set()).add(iri)
        parsed = parse_key(key)
        bucket = self._by_last.setdefault((cls, parsed.last, parsed.suffix), {})
        bucket.setdefault(parsed, set()).add(iri)

    def _unindex(self, iri: str, cls: str, key: str) -> None:
        self._by_key.get((cls, key), set()).discard(iri)
        parsed = parse_key(key)
        self._by_last.get((cls, parsed.last, parsed.suffix), {}).get(parsed, set()).discard(iri)

    def _longer(self, cls: str, key: NameKey, exclude: str = "") -> set[str]:
        bucket = self._by_last.get((cls, key.last, key.suffix), {})
        live = {k: v - {exclude} for k, v in bucket.items() if v - {exclude}}
        blocked = self.aliases.distinct.get(key.key, set())
        return {i for k in maximal_supernames(key, live, blocked) for i in live[k]}

    def _typed(self, key: str, exclude: str = "") -> set[str]:
        return {
            i
            for cls in ("person", "org", "place")
            for i in self._by_key.get((cls, key), ())
            if i != exclude
        }

    def lookup(self, cls: str, key: NameKey) -> str | None:
        hits = self._by_key.get((cls, key.key))
        if hits:
            return min(hits)
        longer = self._longer(cls, key)
        if len(longer) == 1:
            return longer.pop()
        if cls == THING:
            typed = self._typed(key.key)
            if len(typed) == 1:
                return typed.pop()
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
            typed = {i for key in record.keys for i in self._typed(key, record.iri)}
            if len(typed) == 1:
                return typed.pop()
        longest = max((parse_key(k) for k in record.keys), key=lambda k: (len(k.tokens), k.key))
        longer = self._longer(record.cls, longest, exclude=record.iri)
        return longer.pop() if len(longer) == 1 else None

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
