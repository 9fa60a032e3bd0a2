"""The alias/merge file: user decisions that override automatic entity resolution.

A CSV file (UTF-8, header ``action,name,target,type``; lines starting with ``#`` are comments)
with one decision per row:

``alias``
    ``name`` is another name of ``target``: mentions of it resolve to the entity named
    ``target`` (e.g. ``alias,Zelenskyy,Volodymyr Zelensky,PERSON``). Entities already in the
    store are merged on the next build.
``distinct``
    never merge ``name`` into ``target`` automatically (``distinct,Clinton,Hillary Clinton,``
    keeps every bare "Clinton" a separate entity).
``stands_for``
    ``name`` is used metonymically for ``target`` (``stands_for,Kremlin,Russia,GPE``): both stay
    entities, linked by ``cg:standsFor``.

``type`` is the extractor label (PERSON, ORG, GPE, ...) of ``target``, or empty. Names are
matched by their normalised key (see :mod:`claimgraph.graph.names`), so case, accents and titles
do not matter. The built-in table (package file ``aliases.csv``, metonymic capitals and seats
of government, short forms of a few countries) is read first; a user file's rows replace
built-in rows for the same name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .names import PERSON, THING, entity_class, fold, name_key

ACTIONS = ("alias", "distinct", "stands_for")


@dataclass(frozen=True)
class AliasRule:
    action: str
    name: str
    target: str
    label: str | None = None


def _key(name: str) -> str:
    # rules match whatever the mention's class: person titles are stripped as for persons
    return name_key(name, PERSON).key or fold(name)


@dataclass
class AliasTable:
    """Parsed alias rules, indexed by the normalised key of ``name``."""

    alias: dict[str, AliasRule] = field(default_factory=dict)
    distinct: dict[str, set[str]] = field(default_factory=dict)
    stands_for: dict[str, AliasRule] = field(default_factory=dict)

    def add(self, rule: AliasRule) -> None:
        if rule.action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, not {rule.action!r}")
        if not rule.name.strip() or not rule.target.strip():
            raise ValueError("name and target must not be empty")
        key = _key(rule.name)
        if rule.action == "alias":
            self.alias[key] = rule
        elif rule.action == "distinct":
            self.distinct.setdefault(key, set()).add(_key(rule.target))
        else:
            self.stands_for[key] = rule

    def canonical(self, name: str) -> tuple[str, str | None] | None:
        """``(target name, target label)`` when ``name`` is a declared alias, else ``None``."""
        rule = self.alias.get(_key(name))
        return (rule.target, rule.label) if rule else None

    def is_distinct(self, name_key_: str, target_key: str) -> bool:
        return target_key in self.distinct.get(name_key_, ())

    def metonym_target(self, name: str) -> AliasRule | None:
        return self.stands_for.get(_key(name))

    def target_class(self, rule: AliasRule) -> str:
        return entity_class(rule.label) if rule.label else THING

    @classmethod
    def load(cls, path: Path | None = None, *, builtin: bool = True) -> AliasTable:
        """The built-in rules (unless ``builtin=False``) overridden by the file at ``path``.

        Raises ``ValueError`` naming the file and line of a bad row.
        """
        table = cls()
        if builtin:
            text = resources.files("claimgraph.graph").joinpath("aliases.csv").read_text("utf-8")
            table._read(text, "aliases.csv (built-in)")
        if path is not None:
            table._read(Path(path).read_text(encoding="utf-8-sig"), str(path))
        return table

    def _read(self, text: str, source: str) -> None:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)]
        rows = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
        reader = csv.reader(io.StringIO("\n".join(line for _, line in rows)))
        for (lineno, _), row in zip(rows, reader, strict=True):
            cells = [c.strip() for c in row]
            if lineno == rows[0][0] and cells[:2] == ["action", "name"]:
                continue
            if len(cells) < 3:
                raise ValueError(f"{source}:{lineno}: expected action,name,target[,type]")
            label = cells[3] if len(cells) > 3 and cells[3] else None
            try:
                self.add(AliasRule(cells[0].lower(), cells[1], cells[2], label))
            except ValueError as exc:
                raise ValueError(f"{source}:{lineno}: {exc}") from exc
