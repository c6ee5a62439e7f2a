"""SGD, momentum, RMSProp and Adam on the same problem, seed and initial weights; then ReduceLROnPlateau
and gradient clipping at work. Answers the notes' question "what conditions make Adam outperform SGD?"
from what it measures.

    >>> from chainrule.demos.optimizers import compare
    >>> results = compare(X, y)     # {name: History}
"""
from __future__ import annotations

import math
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Sequence

from chainrule import nn
from chainrule.engine import Value
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "SGD vs momentum vs RMSProp vs Adam; when Adam wins; ReduceLROnPlateau and gradient clipping"
EPOCHS = 80
OUTLIER, CLIP, CLIP_LR = 30.0, 1.0, 0.3  # the clipping example: outliers at ±30, clip_norm, SGD's η
MARKS = (0.3, 0.2)  # "accelerate convergence", measured: the epochs until the training loss first falls below each
SGD_NAME, MOMENTUM_NAME, ADAM_NAME = "SGD (η 0.3)", "momentum (η 0.03, μ 0.9)", "Adam (η 0.01)"
SHORT = {"inputs of similar scale": "similar scales", "second input 100× larger (not normalised)": "the 100× input"}


def make_optimizers(params) -> dict[str, nn.Optimizer]:
    """Each optimizer with a learning rate that suits it (and Adam also at the notes' default 3e-4)."""
    return {
        SGD_NAME: nn.SGD(params, lr=0.3),
        MOMENTUM_NAME: nn.SGD(params, lr=0.03, momentum=0.9),
        "RMSProp (η 0.01)": nn.RMSProp(params, lr=0.01),
        ADAM_NAME: nn.Adam(params, lr=0.01),
        "Adam (η 3e-4, the notes' default)": nn.Adam(params),
    }


def compare(X: Sequence, y: Sequence, seed: int = 0, epochs: int = EPOCHS) -> dict[str, nn.History]:
    """Train the same network (same seed, same initial weights) with each optimizer; mini-batches of 20."""
    results = {}
    for name in make_optimizers([nn.MLP(1, [1]).parameters()[0]]):  # a stand-in parameter, for the names
        model = nn.MLP(2, [8, 8, 1], output="sigmoid", seed=seed)
        optimizer = make_optimizers(model.parameters())[name]
        with told_of_dead_units():
            results[name] = nn.fit(model, X, y, loss="bce", optimizer=optimizer, epochs=epochs, batch_size=20,
                                   seed=seed)
    return results


@contextmanager
def told_of_dead_units() -> Iterator[None]:
    """fit's warning about dead ReLUs, silenced: the demo tells the story itself (History.dead_layers)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*dead ReLUs", category=RuntimeWarning)
        yield


def dead(h: nn.History) -> str:
    """", every ReLU of hidden layer 1 dead" when training ended with one (else "")."""
    return f", every ReLU of hidden layer {h.dead_layers[0]} dead" if h.dead_layers else ""


def with_outliers(X: Sequence, y: Sequence, far: float = OUTLIER) -> tuple[list, list]:
    """The data plus three far-away points (at ±far): rare samples whose gradients are large."""
    return [*X, [far, far], [-far, far], [far, -far]], [*y, 0.0, 1.0, 0.0]


def clipping_runs(X: Sequence, y: Sequence, seed: int = 0, epochs: int = EPOCHS,
                  threshold: float = CLIP) -> dict[str, nn.History]:
    """SGD (η = CLIP_LR) on the data with outliers, without and with clipping; the loss watched is on the clean data."""
    Xo, yo = with_outliers(X, y)
    runs = {}
    for name, norm in [("no clipping", None), (f"clip_norm = {threshold:g}", threshold)]:
        model = nn.MLP(2, [8, 8, 1], output="sigmoid", seed=seed)
        with told_of_dead_units():
            runs[name] = nn.fit(model, Xo, yo, loss="bce", optimizer=nn.SGD(model.parameters(), lr=CLIP_LR),
                                epochs=epochs, batch_size=20, clip_norm=norm, validation=(X, y), seed=seed)
    return runs


def best(results: dict[str, nn.History]) -> str:
    return min(results, key=lambda k: results[k].loss[-1])


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), epochs: int = EPOCHS, plateau_epochs: int = 120) -> dict:
    X, y = nn.data.moons(100, noise=0.1, seed=seed)
    scaled = [[a, 100.0 * b] for a, b in X]  # the second feature in other units: 100× larger
    say(f"Two moons, MLP 2-8-8-1 (ReLU, sigmoid output), binary cross-entropy, mini-batches of 20, {epochs} epochs.")
    say("Every optimizer starts from the same weights and sees the same batches.\n")
    problems = {"inputs of similar scale": X, "second input 100× larger (not normalised)": scaled}
    results = {}
    for title, data in problems.items():
        results[title] = compare(data, y, seed, epochs)
        say(f"{title}:")
        for name, h in results[title].items():
            say(f"  {name:<36} final loss {h.loss[-1]:.4f}, accuracy {h.accuracy[-1]:.0%}{dead(h)}")
        say("")
    similar, skewed = results.values()
    races = tell_acceleration(say, results, epochs)
    gap_similar, gap_skewed = tell_when_adam_wins(say, similar, skewed, epochs)
    hist_plateau, plateau = plateau_run(say, X, y, seed, plateau_epochs)
    clip = clipping_runs(X, y, seed, epochs)
    tell_clipping(say, clip)
    say.wrote(plots.save(plots.curves_side_by_side(
        {title: {k: h.loss for k, h in res.items()} for title, res in results.items()}, log=True,
        ylabel="training loss (cross-entropy)", title="The same network and batches, each optimizer"), out / "loss.png"))
    say.wrote(plots.save(plots.plateau(hist_plateau.val_loss, hist_plateau.lr, plateau.reductions,
                                       title="ReduceLROnPlateau (SGD, factor 0.5, patience 5)"), out / "plateau_lr.png"))
    say.wrote(plots.save(plots.clipping({k: h.val_loss for k, h in clip.items()}, {k: h.grad_norm for k, h in clip.items()},
                                        CLIP, loss_label="loss on the 100 moons (cross-entropy)",
                                        title=f"Clipping, outliers at ±{OUTLIER:g}"),
                         out / "clipping.png"))
    say.summary(f"optimizers: best with similar scales: {best(similar)}; with a 100× input: {best(skewed)}; "
                f"SGD−Adam loss gap {gap_similar:+.3f} → {gap_skewed:+.3f}")
    return {"results": results, "races": races, "gap_similar": gap_similar, "gap_skewed": gap_skewed,
            "plateau_reductions": plateau.reductions, "clip": clip}




def epochs_to(h: nn.History, loss: float) -> Optional[int]:
    """The first epoch whose training loss is below `loss`, or None if none is."""
    return next((k + 1 for k, value in enumerate(h.loss) if value < loss), None)


def race(h: nn.History, sgd: nn.History, marks: Sequence[float] = MARKS) -> str:
    """"faster", "slower", "as fast" or "mixed" than SGD to the loss marks (never reaching one counts as last), or
    "neither" when neither reaches any."""
    never = float("inf")
    pairs = [(epochs_to(h, m) or never, epochs_to(sgd, m) or never) for m in marks]
    if all(a == b == never for a, b in pairs):
        return "neither"
    if all(a <= b for a, b in pairs):
        return "as fast" if all(a == b for a, b in pairs) else "faster"
    return "slower" if all(a >= b for a, b in pairs) else "mixed"


def tell_acceleration(say: Narrator, results: dict[str, dict[str, nn.History]], epochs: int) -> dict:
    """The notes' "Momentum and Adam accelerate convergence", measured on each problem; returns
    {problem: {optimizer: its race against SGD}}."""
    marks = " / ".join(f"{m:g}" for m in MARKS)
    names = (SGD_NAME, MOMENTUM_NAME, ADAM_NAME)
    say(f'The notes say "Momentum and Adam accelerate convergence". Epochs until the training loss first falls below '
        f'{marks} ("—": not in {epochs} epochs):')
    say(f"  {'':<26}" + "".join(f"{SHORT.get(title, title):>18}" for title in results))
    for name in names:
        cells = [" / ".join(str(epochs_to(res[name], m) or "—") for m in MARKS) for res in results.values()]
        say(f"  {name:<26}" + "".join(f"{cell:>18}" for cell in cells))
    races = {title: {name: race(res[name], res[SGD_NAME]) for name in names[1:]} for title, res in results.items()}
    words = {"faster": "faster than SGD", "slower": "slower than SGD", "as fast": "as fast as SGD",
             "mixed": "faster than SGD to one mark, slower to the other",
             "neither": f"neither it nor SGD gets below {max(MARKS):g}"}
    for name in names[1:]:
        short = name.split(" (")[0]
        where = {title: f"with {SHORT.get(title, title)}" for title in results}
        parts = [f"{words[verdicts[name]]} {where[title]}" for title, verdicts in races.items()]
        faster = [where[title] for title, verdicts in races.items() if verdicts[name] == "faster"]
        verdict = ("the notes' claim does not hold for it with these settings" if not faster else
                   f"it accelerates convergence only {' and '.join(faster)}" if len(faster) < len(races) else
                   "it accelerates convergence, as the notes say")
        say(f"  {short}: {'; '.join(parts)}: {verdict}.")
    settings = make_optimizers([Value(0.0)])  # a stand-in parameter, for the settings
    lr, mu, sgd_lr = settings[MOMENTUM_NAME].lr, settings[MOMENTUM_NAME].momentum, settings[SGD_NAME].lr
    same = math.isclose(lr / (1 - mu), sgd_lr)
    say(f"  Momentum's long-run step η/(1 − μ) = {lr:g}/{1 - mu:.2g} = {lr / (1 - mu):.3g} "
        + ("equals SGD's η: not a larger step, a smoothed one.\n" if same else f"against SGD's η = {sgd_lr:g}.\n"))
    return races


def tell_when_adam_wins(say: Narrator, similar: dict[str, nn.History], skewed: dict[str, nn.History],
                        epochs: int) -> tuple[float, float]:
    """The notes' question answered from the runs; returns SGD − Adam's final loss with each scaling."""
    sgd_name, adam_name = SGD_NAME, ADAM_NAME
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
    for name, h in skewed.items():
        if h.dead_layers:
            say(f"  {name} with the 100× input ends with every ReLU of hidden layer {h.dead_layers[0]} dead (0 for "
                "every sample):")
            say(f"  no gradient passes them, and the loss stays at {h.loss[-1]:.4f} ≈ ln 2, a network that says 0.5 "
                "for everything.")
            say("  Its steps, 100× too large along the big input, pushed every unit below zero for every sample.")
    slow = similar["Adam (η 3e-4, the notes' default)"].loss[-1]
    say(f"  The notes' default η = 3e-4 is a safe choice for big networks but slow here: loss {slow:.3f} after "
        f"{epochs} epochs against {similar[adam_name].loss[-1]:.3f} with η = 0.01.\n")
    return gap_similar, gap_skewed


def plateau_run(say: Narrator, X: Sequence, y: Sequence, seed: int, epochs: int) -> tuple[nn.History, nn.ReduceLROnPlateau]:
    """SGD with ReduceLROnPlateau on a validation split; says when η was cut."""
    (Xt, yt), (Xv, yv) = nn.data.split(X, y, (0.7, 0.3), seed=seed)
    model = nn.MLP(2, [8, 8, 1], output="sigmoid", seed=seed)
    optimizer = nn.SGD(model.parameters(), lr=0.3)
    plateau = nn.ReduceLROnPlateau(optimizer, factor=0.5, patience=5, min_lr=0.01)
    history = nn.fit(model, Xt, yt, loss="bce", optimizer=optimizer, epochs=epochs, batch_size=10,
                     validation=(Xv, yv), scheduler=plateau, seed=seed)
    say("ReduceLROnPlateau (factor 0.5, patience 5, on the validation loss), SGD η = 0.3:")
    when = ", ".join(map(str, plateau.reductions)) or "no epoch"
    say(f"  η was halved at epoch {when}: after the validation loss had not beaten its best for more than 5 epochs;")
    say(f"  final η = {optimizer.lr:g}, validation loss {history.val_loss[-1]:.4f}\n")
    return history, plateau


def tell_clipping(say: Narrator, clip: dict[str, nn.History]) -> None:
    plain, clipped = clip.values()
    above = sum(n > CLIP for n in clipped.grad_norm)
    say(f"Gradient clipping: the same moons plus three far-away points (at ±{OUTLIER:g}), SGD η = {CLIP_LR:g}. A batch "
        "holding one of them")
    say("has a large gradient. The loss shown is on the 100 moons:")
    for name, h in clip.items():
        say(f"  {name:<14} largest gradient norm {max(h.grad_norm):.3g}; loss on the moons: worst {max(h.val_loss):.3g}, "
            f"final {h.val_loss[-1]:.4f}, accuracy {h.val_accuracy[-1]:.0%}")
    if max(plain.val_loss) > 2 * max(clipped.val_loss):
        say(f"  Without clipping those steps throw the weights far: the loss jumps to {max(plain.val_loss):.3g} and "
            f"ends at {plain.val_loss[-1]:.3f}, accuracy {plain.val_accuracy[-1]:.0%}.")
        if plain.dead_layers:
            say(f"  That is ln 2: every ReLU of hidden layer {plain.dead_layers[0]} is dead, and the network says 0.5 "
                "for everything.")
    else:
        say("  In this run the unclipped loss did not jump much higher than the clipped one.")
    say(f"  Clipping scales any gradient longer than {CLIP:g} down to length {CLIP:g}, so one step moves the weights at "
        f"most η·{CLIP:g} = {CLIP_LR * CLIP:g};")
    say(f"  in {above} of {len(clipped.grad_norm)} epochs some gradient was longer and was cut; the clipped run's loss "
        f"went from {clipped.val_loss[0]:.3f} to {clipped.val_loss[-1]:.4f}.\n")


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("optimizers", DESCRIPTION, run, argv)
