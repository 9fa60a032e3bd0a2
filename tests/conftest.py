"""Shared fixtures: paths to the optional ../shared material and the bundled pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLAIMGRAPH_SHARED", REPO.parent / "shared"))
SEED_PAGE = REPO / "examples" / "seed_page.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.skip(f"shared material not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def nlp():
    from claimgraph.nlp import BUNDLED_PATH, load_pipeline

    if not (BUNDLED_PATH / "config.cfg").exists():
        pytest.skip("bundled pipeline not built")
    return load_pipeline()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def accurate_nlp(nlp):
    """The bundled pipeline with the accurate (transformer) span tagger in place of the CNN."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    from claimgraph.extract.pipeline import use_tagger
    from claimgraph.extract.transformer_spans import MODEL_FILES, bundled_model_dir
    from claimgraph.nlp import load_pipeline

    if not all((bundled_model_dir() / f).is_file() for f in MODEL_FILES):
        pytest.skip("accurate tagger not built (claimgraph attribution train-accurate)")
    return use_tagger(load_pipeline(), "accurate")
