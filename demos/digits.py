"""Handwritten digits 0–9: softmax output, cross-entropy, a ReLU hidden layer (the notes' multiclass example).

    >>> from chainrule.demos.digits import train_digits
    >>> model, history, test = train_digits(epochs=2)
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional, Sequence

from chainrule import nn
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "handwritten digits 0-9 with softmax + cross-entropy: test accuracy, confusion matrix, mistakes"


def train_digits(seed: int = 0, epochs: int = 4, hidden: int = 32, data=None):
    """64 pixels → `hidden` ReLU → 10 softmax, Adam η = 0.01, mini-batches of 32; 80% train, 20% test.

    data: (X, y), by default all of `nn.data.digits()`.
    """
    X, y = data or nn.data.digits()
    (Xt, yt), (Xs, ys) = nn.data.split(X, y, (0.8, 0.2), seed=seed)
    model = nn.MLP(64, [hidden, 10], activation="relu", output="softmax", seed=seed)
    history = nn.fit(model, Xt, yt, loss="cross_entropy", optimizer=nn.Adam(model.parameters(), lr=0.01),
                     epochs=epochs, batch_size=32, validation=(Xs, ys), seed=seed)
    return model, history, (Xs, ys)


def confusion_matrix(predicted: Sequence[int], y: Sequence[int], classes: int = 10) -> list[list[int]]:
    """matrix[true][predicted] = how many samples of class `true` were predicted as `predicted`."""
    matrix = [[0] * classes for _ in range(classes)]
    for p, t in zip(predicted, y):
        matrix[t][p] += 1
    return matrix


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), epochs: int = 4, samples: Optional[int] = None) -> dict:
    X, y = nn.data.digits()
    X, y = X[:samples], y[:samples]  # samples: fewer digits (for quick checks); None: all of them
    start = time.perf_counter()
    model, history, (Xs, ys) = train_digits(seed, epochs, data=(X, y))
    seconds = time.perf_counter() - start
    say(f"{len(y):,} handwritten digits (8×8 pixels, scikit-learn's copy), 80% to train, 20% to test.")
    say(f"MLP 64 → 32 ReLU → 10 softmax ({model.num_parameters()} parameters), cross-entropy on logits "
        f"(log-sum-exp, stable), Adam η = 0.01, batches of 32.")
    for k in range(history.epochs):
        say(f"  epoch {k + 1}: train loss {history.loss[k]:.4f}, accuracy {history.accuracy[k]:.1%}; "
            f"test accuracy {history.val_accuracy[k]:.1%}")
    say(f"  ({seconds:.1f} s for {history.epochs} epochs)")
    probs = nn.predict(model, Xs)  # once, for the whole test set
    predicted = [p.index(max(p)) for p in probs]
    matrix = confusion_matrix(predicted, ys)
    confused = sorted(((matrix[i][j], i, j) for i in range(10) for j in range(10) if i != j), reverse=True)[:3]
    say("Most frequent confusions (true → predicted): " + ", ".join(f"{i} → {j} ({n}×)" for n, i, j in confused if n))
    wrong = [(x, t, c, max(p)) for x, t, c, p in zip(Xs, ys, predicted, probs) if c != t]
    say(f"{len(wrong)} of {len(Xs)} test digits are misclassified.\n")
    say.wrote(plots.save(plots.history(history, title="Digits"), out / "training.png"))
    say.wrote(plots.save(plots.confusion(matrix, title="Digits: confusion matrix (test set)"), out / "confusion.png"))
    if wrong:
        shown = wrong[:8]
        say.wrote(plots.save(plots.images([w[0] for w in shown], [f"true {t}, said {p} ({q:.0%})" for _, t, p, q in shown],
                                          title="Misclassified test digits"), out / "mistakes.png"))
    test_accuracy = history.val_accuracy[-1]
    say.summary(f"digits: test accuracy {test_accuracy:.1%} after {history.epochs} epochs ({seconds:.1f} s)")
    return {"test_accuracy": test_accuracy, "confusion": matrix, "seconds": seconds, "history": history,
            "misclassified": len(wrong)}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("digits", DESCRIPTION, run, argv)
