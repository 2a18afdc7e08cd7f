"""The toxicity check's second opinion: a small transformer fine-tuned on offensive tweets, run with onnxruntime.

all-MiniLM-L6-v2 (Apache-2.0; 6 layers, 384 wide, uncased WordPiece) fine-tuned
on TweetEval's offensive-language train split by scripts/train_toxicity.py,
exported to ONNX and quantised to int8 (`toxicity_transformer.onnx`); its
tokenizer is `toxicity_tokenizer.json`. Both ship inside the package: nothing
is downloaded. It reads words in context ("you are a joke" against "that was a
joke"), which a bag of words cannot, but it costs milliseconds a text where the
first stage costs microseconds, so toxicity.py only asks it about the texts the
first stage cannot settle.

Each text runs alone (a batch of one, no padding) on one thread. That is the
price of determinism: int8 dynamic quantisation scales a batch's activations by
the batch's own range, so a text's score would depend on the texts it was
batched with, and report.json must not. Batches of 8 to 32 would be about 1.6
times faster per text; with a few texts in a thousand reaching this model,
determinism is worth more. One thread also keeps the session safe to use in
worker processes forked after it was created (tests/text/test_text_toxicity.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import as_file, files

import numpy as np

# Tokens a text is cut to: 90 % of TweetEval's tweets fit, and ordinary posts are shorter.
MAX_TOKENS = 64
MODEL_FILE = "toxicity_transformer.onnx"
TOKENIZER_FILE = "toxicity_tokenizer.json"

# TweetEval's tweets name every user "@user" and every link "URL"; the model reads posts the same way, so that
# a handle ("@kowalskiv99484" is seven word pieces) neither costs time nor sways the score.
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_URL = re.compile(r"(?i)\bhttps?://\S+|\bwww\.\S+")


def model_text(text: str) -> str:
    """What the model reads of ``text``: handles as ``@user``, links as ``URL`` (as in its training data)."""
    return _URL.sub("URL", _HANDLE.sub("@user", text))


@lru_cache(maxsize=1)
def _session():
    # Imported on first use: onnxruntime, tokenizers and the model take ~0.5 s and ~90 MB.
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # errors only: its warnings are about the graph, not about the user's data
    # The same score on every x86-64 CPU. Without VNNI (AVX2 only: AMD Zen 3, older Xeons), onnxruntime's int8
    # kernels add products in 16-bit registers that saturate, and scores drift from the model's (a logit of 0.61
    # where VNNI gives 0.81): a finding would depend on the machine. This makes it widen to 16 bits first, as
    # VNNI does; it costs about 1.2 times the time a text on AVX2 and changes nothing where VNNI is present.
    options.add_session_config_entry("session.x64quantprecision", "1")
    # From its path, not its bytes: onnxruntime then keeps no second copy of the model (48 MB rather than 70).
    with as_file(files("auditor.text").joinpath(MODEL_FILE)) as path:
        session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_str(files("auditor.text").joinpath(TOKENIZER_FILE).read_text(encoding="utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return session, tokenizer


def load() -> None:
    """Create the session now (worker processes forked afterwards share it)."""
    _session()


def logits(texts: Sequence[str]) -> list[float]:
    """The model's logit (log-odds of offensive) for each text, in input order."""
    session, tokenizer = _session()
    out = []
    for text in texts:
        # `encode`, not `encode_batch`: the batch call starts a thread pool, which a forked worker must not inherit.
        ids = np.array([tokenizer.encode(model_text(text)).ids], dtype=np.int64)
        out.append(float(session.run(None, {"input_ids": ids})[0].reshape(-1)[0]))
    return out
