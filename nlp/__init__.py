"""claimgraph.nlp: loading spaCy pipelines and reconciling their label schemes."""

from .labels import dep_role, detect_scheme
from .pipeline import (
    BUNDLED_NAME,
    BUNDLED_PATH,
    PipelineNotFoundError,
    load_pipeline,
    locate_pipeline,
)

__all__ = [
    "BUNDLED_NAME",
    "BUNDLED_PATH",
    "PipelineNotFoundError",
    "dep_role",
    "detect_scheme",
    "load_pipeline",
    "locate_pipeline",
]
