"""Classification on two moons: logistic regression (an MLP without hidden layer) vs an MLP;
then L2 regularisation (weight decay) and dropout on a network that overfits.

    >>> from chainrule.demos.classification import overfit
    >>> history = overfit(l2=1e-2)
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from chainrule import nn, viz
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "logistic regression vs an MLP on two moons; L2 regularisation against overfitting"
L2_VALUES = (0.0, 1e-3, 1e-2)
DROPOUT = 0.5


def overfit_data(seed: int = 0):
    """30 noisy training points and 100 validation points from the same moons."""
    X, y = nn.data.moons(130, noise=0.35, seed=seed)
    return nn.data.split(X, y, (30 / 130, 100 / 130), seed=seed)


def overfit(l2: float, seed: int = 0, epochs: int = 200, data=None, dropout: float = 0.0) -> tuple[nn.MLP, nn.History]:
    """A 2-24-24-1 network (far more parameters than points) trained on the 30 points with L2 penalty λ
    (and, with `dropout`, dropout after each hidden layer while training).

    data: ((X_train, y_train), (X_val, y_val)), by default `overfit_data(seed)`.
    """
    (Xt, yt), (Xv, yv) = data or overfit_data(seed)
    model = nn.MLP(2, [24, 24, 1], output="sigmoid", seed=seed, dropout=dropout)
    history = nn.fit(model, Xt, yt, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.01), epochs=epochs,
                     l2=l2, validation=(Xv, yv), seed=seed)
    return model, history


def _predictor(model: nn.MLP):
    """The model's outputs for a whole grid at once (one `nn.predict` call), as decision_boundaries wants."""
    return lambda grid: nn.predict(model, grid)


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), epochs: int = 100, overfit_epochs: int = 200,
        resolution: int = 100) -> dict:
    X, y = nn.data.moons(200, noise=0.15, seed=seed)
    models, compared = line_against_mlp(out, X, y, seed, epochs, say)
    say.wrote(plots.save(plots.decision_boundaries(
        [(_predictor(model), X, y, name) for name, model in models.items()], resolution=resolution,
        output_label="model output = P(class 1)", title="The decision on the 200 moons"), out / "boundaries.png"))
    data = overfit_data(seed)
    runs, none, strong = penalties(data, seed, overfit_epochs, say)
    _, dropped = overfit(0.0, seed, overfit_epochs, data, dropout=DROPOUT)
    better = "lower" if dropped.val_loss[-1] < none.val_loss[-1] else "not lower"
    say(f"Dropout, the notes' next module: the same network with p = {DROPOUT:g} dropout after each hidden layer "
        f"(no penalty): train loss {dropped.loss[-1]:.3f}, validation loss {dropped.val_loss[-1]:.3f} — {better} than "
        f"without ({none.val_loss[-1]:.3f}). Each step trains a random half-network, so no unit can rely on one "
        "other; evaluation uses them all.\n")
    draw_overfitting(out, data, runs, resolution, say)
    say.summary("classification: validation accuracy logistic {:.0%}, MLP {:.0%}; overfit net validation loss "
                "{:.3f} (λ=0) → {:.3f} (λ={:g})".format(compared["logistic regression"].val_accuracy[-1],
                                                       compared["MLP 2-16-16-1"].val_accuracy[-1],
                                                       none.val_loss[-1], strong.val_loss[-1], L2_VALUES[-1]))
    return {"compared": compared, "overfit": {l2: h for l2, (_, h) in runs.items()}, "dropout": dropped}


def line_against_mlp(out: Path, X: list, y: list, seed: int, epochs: int, say: Narrator) -> tuple[dict, dict]:
    """Logistic regression and an MLP on the same split; writes the MLP's playground. (models, histories)."""
    (Xt, yt), (Xv, yv) = nn.data.split(X, y, (0.7, 0.3), seed=seed)
    say(f"Two moons, 140 training and 60 validation points, binary cross-entropy, Adam η = 0.05, {epochs} epochs.\n")
    models = {"logistic regression": nn.MLP(2, [1], output="sigmoid", seed=seed),
              "MLP 2-16-16-1": nn.MLP(2, [16, 16, 1], output="sigmoid", seed=seed)}
    compared = {}
    for name, model in models.items():
        h = nn.fit(model, Xt, yt, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=epochs,
                   validation=(Xv, yv), seed=seed)
        compared[name] = h
        say(f"  {name:<20} {model.num_parameters():>4} parameters: train accuracy {h.accuracy[-1]:.0%}, "
            f"validation {h.val_accuracy[-1]:.0%}")
    say("Logistic regression can only draw a straight line; the hidden layers bend it around the moons.")
    start = nn.MLP(2, [16, 16, 1], output="sigmoid", seed=seed)  # the MLP as it was before training
    say.wrote(viz.save_playground(start, Xt, yt, out / "playground.html", loss="bce",
                                  optimizer=nn.Adam(start.parameters(), lr=0.05), validation=(Xv, yv),
                                  title="Two moons, live: MLP 2-16-16-1 (validation points hollow)"))
    say("playground.html trains that MLP in your browser with fit's numbers; raise L2 λ there and watch the boundary "
        "smooth.\n")
    return models, compared


def penalties(data: tuple, seed: int, epochs: int, say: Narrator) -> tuple[dict, nn.History, nn.History]:
    """The small-data network with each L2 penalty; (runs by λ, the run without, the strongest)."""
    size = nn.MLP(2, [24, 24, 1]).num_parameters()
    say(f"Overfitting: a 2-24-24-1 network ({size} parameters) on only 30 noisy points, {epochs} epochs, "
        "Adam η = 0.01;")
    say("100 validation points. L2 penalty λ‖θ‖² added to the loss:")
    runs = {}
    for l2 in L2_VALUES:
        model, h = overfit(l2, seed, epochs, data)
        runs[l2] = (model, h)
        say(f"  λ = {l2:<6g} train loss {h.loss[-1]:.3f}, accuracy {h.accuracy[-1]:.0%}   |   "
            f"validation loss {h.val_loss[-1]:.3f}, accuracy {h.val_accuracy[-1]:.0%}")
    none, strong = runs[L2_VALUES[0]][1], runs[L2_VALUES[-1]][1]
    if strong.val_loss[-1] < none.val_loss[-1]:
        say(f"Without a penalty the network fits the 30 points (train loss {none.loss[-1]:.3f}) and generalises worse "
            f"(validation loss {none.val_loss[-1]:.3f}); λ = {L2_VALUES[-1]:g} trades training fit for a smoother "
            f"boundary (validation loss {strong.val_loss[-1]:.3f}). The notes: regularisation = a MAP estimate, a prior "
            "that prefers small weights.\n")
    else:
        say("In this run the penalty did not improve the validation loss.\n")
    return runs, none, strong


def draw_overfitting(out: Path, data: tuple, runs: dict, resolution: int, say: Narrator) -> None:
    (Xt2, yt2), _ = data
    say.wrote(plots.save(plots.decision_boundaries(
        [(_predictor(model), Xt2, yt2, f"λ = {l2:g}: validation loss {h.val_loss[-1]:.3f}") for l2, (model, h) in runs.items()],
        resolution=resolution, output_label="model output = P(class 1)",
        title="The same network on 30 training points, with the L2 penalty λ‖θ‖²"), out / "overfit_l2.png"))
    series, styles = {}, {}
    for (l2, (_, h)), colour in zip(runs.items(), plots.PALETTE):
        series[f"λ = {l2:g} validation"], styles[f"λ = {l2:g} validation"] = h.val_loss, {"color": colour}
        series[f"λ = {l2:g} training"], styles[f"λ = {l2:g} training"] = h.loss, {"color": colour, "ls": "--"}
    say.wrote(plots.save(plots.curves(series, log=True, styles=styles, ylabel="cross-entropy (training: + λ‖θ‖²)",
                                      title="Training (dashed) vs validation (solid) loss"), out / "overfitting.png"))


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("classification", DESCRIPTION, run, argv)
