"""SGD, momentum, RMSProp and Adam on the same problem, seed and initial weights; then ReduceLROnPlateau
and gradient clipping at work. Answers the notes' question "what conditions make Adam outperform SGD?"
from what it measures.

    >>> from demos.optimizers import compare
    >>> results = compare(X, y)     # {name: History}
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from chainrule import nn
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "SGD vs momentum vs RMSProp vs Adam; when Adam wins; ReduceLROnPlateau and gradient clipping"
EPOCHS = 80


def make_optimizers(params) -> dict[str, nn.Optimizer]:
    """Each optimizer with a learning rate that suits it (and Adam also at the notes' default 3e-4)."""
    return {
        "SGD (η 0.3)": nn.SGD(params, lr=0.3),
        "momentum (η 0.03, μ 0.9)": nn.SGD(params, lr=0.03, momentum=0.9),
        "RMSProp (η 0.01)": nn.RMSProp(params, lr=0.01),
        "Adam (η 0.01)": nn.Adam(params, lr=0.01),
        "Adam (η 3e-4, the notes' default)": nn.Adam(params),
    }


def compare(X: Sequence, y: Sequence, seed: int = 0, epochs: int = EPOCHS) -> dict[str, nn.History]:
    """Train the same network (same seed, same initial weights) with each optimizer; mini-batches of 20."""
    results = {}
    for name in make_optimizers([nn.MLP(1, [1]).parameters()[0]]):
        model = nn.MLP(2, [8, 8, 1], output="sigmoid", seed=seed)
        optimizer = make_optimizers(model.parameters())[name]
        results[name] = nn.fit(model, X, y, loss="bce", optimizer=optimizer, epochs=epochs, batch_size=20, seed=seed)
    return results


def best(results: dict[str, nn.History]) -> str:
    return min(results, key=lambda k: results[k].loss[-1])


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    X, y = nn.data.moons(100, noise=0.1, seed=seed)
    scaled = [[a, 100.0 * b] for a, b in X]  # the second feature in other units: 100× larger
    say(f"Two moons, MLP 2-8-8-1 (ReLU, sigmoid output), binary cross-entropy, mini-batches of 20, {EPOCHS} epochs.")
    say("Every optimizer starts from the same weights and sees the same batches.\n")
    problems = {"inputs of similar scale": X, "second input 100× larger (not normalised)": scaled}
    results = {}
    for title, data in problems.items():
        results[title] = compare(data, y, seed)
        say(f"{title}:")
        for name, h in results[title].items():
            say(f"  {name:<36} final loss {h.loss[-1]:.4f}, accuracy {h.accuracy[-1]:.0%}")
        say("")

    similar, skewed = results.values()
    sgd_name, adam_name = "SGD (η 0.3)", "Adam (η 0.01)"
    gap_similar = similar[sgd_name].loss[-1] - similar[adam_name].loss[-1]
    gap_skewed = skewed[sgd_name].loss[-1] - skewed[adam_name].loss[-1]
    say("What makes Adam outperform SGD? Measured here:")
    say(f"  with inputs of similar scale, SGD − Adam final loss = {gap_similar:+.3f}; best: {best(similar)}")
    say(f"  with one input 100× larger,  SGD − Adam final loss = {gap_skewed:+.3f}; best: {best(skewed)}")
    if gap_skewed > gap_similar:
        say("  Adam's edge grows when gradients differ in size from parameter to parameter (here: unnormalised")
        say("  inputs). SGD must use one step size for all, small enough for the steepest direction; Adam divides")
        say("  each parameter's step by its own gradient's running size. Normalising the inputs shrinks the gap.")
    else:
        say("  In this run Adam's edge did not grow with badly scaled inputs.")
    slow = similar["Adam (η 3e-4, the notes' default)"].loss[-1]
    say(f"  The notes' default η = 3e-4 is a safe choice for big networks but slow here: loss {slow:.3f} after "
        f"{EPOCHS} epochs against {similar[adam_name].loss[-1]:.3f} with η = 0.01.\n")

    (Xt, yt), (Xv, yv) = nn.data.split(X, y, (0.7, 0.3), seed=seed)
    model = nn.MLP(2, [8, 8, 1], output="sigmoid", seed=seed)
    optimizer = nn.SGD(model.parameters(), lr=0.3)
    plateau = nn.ReduceLROnPlateau(optimizer, factor=0.5, patience=5, min_lr=0.01)
    hist_plateau = nn.fit(model, Xt, yt, loss="bce", optimizer=optimizer, epochs=120, batch_size=10,
                          validation=(Xv, yv), scheduler=plateau, seed=seed)
    say("ReduceLROnPlateau (factor 0.5, patience 5, on the validation loss), SGD η = 0.3:")
    say(f"  η was halved at epochs {plateau.reductions or 'none'}; final η = {optimizer.lr:g}, "
        f"validation loss {hist_plateau.val_loss[-1]:.4f}\n")

    clip = {}
    for name, norm in [("no clipping", None), ("clip_norm = 1", 1.0)]:
        model = nn.MLP(2, [8, 8, 1], output="sigmoid", seed=seed)
        h = nn.fit(model, scaled, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.3), epochs=EPOCHS,
                   batch_size=20, clip_norm=norm, seed=seed)
        clip[name] = h
    say("Gradient clipping on the badly scaled problem (SGD η = 0.3):")
    for name, h in clip.items():
        say(f"  {name:<14} largest gradient norm {max(h.grad_norm):.3g}, final loss {h.loss[-1]:.4f}, "
            f"accuracy {h.accuracy[-1]:.0%}")
    say("  Clipping caps each step's length, so one huge gradient cannot throw the weights far away.\n")

    for title, res in results.items():
        fname = "loss_similar.png" if "similar" in title else "loss_unnormalised.png"
        say.wrote(plots.curves({k: h.loss for k, h in res.items()}, out / fname, log=True,
                               title=f"Training loss: {title}"))
    say.wrote(plots.curves({"learning rate": hist_plateau.lr}, out / "plateau_lr.png", ylabel="η",
                           title="ReduceLROnPlateau: the learning rate per epoch"))
    say.wrote(plots.curves({k: h.grad_norm for k, h in clip.items()}, out / "clipping.png", log=True,
                           ylabel="gradient norm (before clipping)", title="Gradient norms with and without clipping"))
    say.summary(f"optimizers: best with similar scales: {best(similar)}; with a 100× input: {best(skewed)}; "
                f"SGD−Adam loss gap {gap_similar:+.3f} → {gap_skewed:+.3f}")
    return {"results": results, "gap_similar": gap_similar, "gap_skewed": gap_skewed,
            "plateau_reductions": plateau.reductions, "clip": clip}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("optimizers", DESCRIPTION, run, argv)
