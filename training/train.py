"""Rebuild claimgraph's bundled English pipeline from the open corpora.

Steps, each usable alone:

1. :func:`build_corpora` converts the corpora into spaCy ``DocBin`` files.
2. :func:`train_parts` trains the syntax part (``configs/syntax.cfg``) and the NER part
   (``configs/ner.cfg``) in two single-threaded processes side by side, fixed seeds,
   selecting the best checkpoint on the dev splits.
3. :func:`~claimgraph.training.attribution.build_attribution_corpus` parses PolNeAR with the
   new syntax part, and :func:`train_parts` trains the attribution span tagger
   (``configs/attribution.cfg``) on it, selected on PolNeAR dev.
4. :func:`assemble` joins syntax, attribution tagger, NER and linker into the bundled model.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from . import corpora

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


def build_corpora(root: Path, out_dir: Path) -> dict[str, int]:
    """Write ``{syntax,ner}-{train,dev}.spacy`` under ``out_dir``; return doc counts."""
    check_corpora_root(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    ewt = root / "ud-ewt"
    gum_train = corpora.gum_split(root, "train")
    gum_dev = corpora.gum_split(root, "dev")
    sets = {
        "syntax-train": list(
            corpora.conllu_docs(nlp.vocab, [ewt / "en_ewt-ud-train.conllu", *gum_train])
        ),
        "syntax-dev": list(
            corpora.conllu_docs(nlp.vocab, [ewt / "en_ewt-ud-dev.conllu", *gum_dev])
        ),
        "ner-train": list(corpora.conllu_docs(nlp.vocab, gum_train, with_entities=True))
        * GUM_NER_UPSAMPLE
        + list(corpora.polnear_silver_docs(nlp, root, "train")),
        "ner-dev": list(corpora.conllu_docs(nlp.vocab, gum_dev, with_entities=True)),
    }
    counts = {}
    for name, docs in sets.items():
        DocBin(docs=docs, store_user_data=False).to_disk(out_dir / f"{name}.spacy")
        counts[name] = len(docs)
        logger.info("wrote %s: %d docs", name, len(docs))
    return counts


def train_parts(corpus_dir: Path, runs_dir: Path, *, parts: tuple[str, ...]) -> None:
    """Train each of ``parts`` in its own single-threaded process, in parallel."""
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"unknown parts {unknown}; choose from {PARTS}")
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

    Order: syntax components, attribution tagger, the stash step, entity NER, linker.
    """
    from claimgraph.extract import attribution  # noqa: F401  (registers the factories)

    nlp = spacy.load(runs_dir / "syntax" / "model-best")
    tagger_nlp = spacy.load(runs_dir / "attribution" / "model-best")
    nlp.add_pipe("attribution_spans", source=tagger_nlp)
    nlp.add_pipe("claimgraph_stash_attribution_spans")
    ner_nlp = spacy.load(runs_dir / "ner" / "model-best")
    nlp.add_pipe("ner", source=ner_nlp)
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
