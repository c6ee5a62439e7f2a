"""Handwritten digits 0–9: softmax output, cross-entropy, a ReLU hidden layer (the notes' multiclass example).

    >>> from demos.digits import train_digits
    >>> model, history, test = train_digits(epochs=2)
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

from chainrule import nn
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "handwritten digits 0-9 with softmax + cross-entropy: test accuracy, confusion matrix, mistakes"


def train_digits(seed: int = 0, epochs: int = 4, hidden: int = 32):
    """64 pixels → `hidden` ReLU → 10 softmax, Adam η = 0.01, mini-batches of 32; 80% train, 20% test."""
    X, y = nn.data.digits()
    (Xt, yt), (Xs, ys) = nn.data.split(X, y, (0.8, 0.2), seed=seed)
    model = nn.MLP(64, [hidden, 10], activation="relu", output="softmax", seed=seed)
    history = nn.fit(model, Xt, yt, loss="cross_entropy", optimizer=nn.Adam(model.parameters(), lr=0.01),
                     epochs=epochs, batch_size=32, validation=(Xs, ys), seed=seed)
    return model, history, (Xs, ys)


def confusion_matrix(model: nn.MLP, X, y, classes: int = 10) -> list[list[int]]:
    matrix = [[0] * classes for _ in range(classes)]
    for probs, t in zip(nn.predict(model, X), y):
        matrix[t][probs.index(max(probs))] += 1
    return matrix


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), epochs: int = 4) -> dict:
    start = time.perf_counter()
    model, history, (Xs, ys) = train_digits(seed, epochs)
    seconds = time.perf_counter() - start
    total = len(nn.data.digits()[1])
    say(f"{total:,} handwritten digits (8×8 pixels, scikit-learn's copy), 80% to train, 20% to test.")
    say(f"MLP 64 → 32 ReLU → 10 softmax ({model.num_parameters()} parameters), cross-entropy on logits "
        f"(log-sum-exp, stable), Adam η = 0.01, batches of 32.")
    for k in range(history.epochs):
        say(f"  epoch {k + 1}: train loss {history.loss[k]:.4f}, accuracy {history.accuracy[k]:.1%}; "
            f"test accuracy {history.val_accuracy[k]:.1%}")
    say(f"  ({seconds:.1f} s for {history.epochs} epochs, one scalar graph per sample)")
    matrix = confusion_matrix(model, Xs, ys)
    confused = sorted(((matrix[i][j], i, j) for i in range(10) for j in range(10) if i != j), reverse=True)[:3]
    say("Most frequent confusions (true → predicted): " + ", ".join(f"{i} → {j} ({n}×)" for n, i, j in confused if n))
    probs = nn.predict(model, Xs)
    wrong = [(x, t, p.index(max(p)), max(p)) for x, t, p in zip(Xs, ys, probs) if p.index(max(p)) != t][:8]
    say(f"{sum(1 for x, t, p in zip(Xs, ys, probs) if p.index(max(p)) != t)} of {len(Xs)} test digits are misclassified.\n")
    say.wrote(plots.history(history, out / "training.png", title="Digits"))
    say.wrote(plots.confusion(matrix, out / "confusion.png", title="Digits: confusion matrix (test set)"))
    if wrong:
        say.wrote(plots.images([w[0] for w in wrong], [f"true {t}, said {p} ({q:.0%})" for _, t, p, q in wrong],
                               out / "mistakes.png", title="Misclassified test digits"))
    test_accuracy = history.val_accuracy[-1]
    say.summary(f"digits: test accuracy {test_accuracy:.1%} after {history.epochs} epochs ({seconds:.1f} s)")
    return {"test_accuracy": test_accuracy, "confusion": matrix, "seconds": seconds, "history": history}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("digits", DESCRIPTION, run, argv)
