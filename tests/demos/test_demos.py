"""Every demo's computations are checked, not merely its files.

Most tests run a demo's building functions at small sizes. One full run per demo stays where its
claims rest on the full sizes; it checks that what the demo prints is what it computed.
Decision-boundary pictures are drawn on a coarse grid here (resolution=20): the grid's size
changes the picture, not a number the demo prints.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chainrule import nn
from chainrule.demos import DEMOS, activations, classification, digits, gradient_descent, initialization, inside
from chainrule.demos import micrograd_moons, optimizers, playground, vanishing_gradient, xor
from chainrule.demos.common import Narrator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def quiet():
    return Narrator(quiet=True)


@pytest.fixture
def told(capsys):
    """A narrator whose text the test reads afterwards: call it to get what was printed."""
    say = Narrator()
    return say, lambda: capsys.readouterr().out


def playground_start(folder):
    """The trainer specification of the playground.html a demo wrote (the page's starting point)."""
    text = (folder / "playground.html").read_text(encoding="utf-8")
    data = re.search(r'<script id="data" type="application/json">(.*?)</script>', text, re.S).group(1)
    return json.loads(data)["problems"]["given"]["trainer"]


def pngs(folder):
    files = sorted(folder.glob("*.png"))
    assert files and all(f.read_bytes()[:4] == b"\x89PNG" for f in files)
    return [f.name for f in files]


def no_empty_claims(text):
    """No "moved by at most 0"-style sentences: a zero is said in words, others in scientific notation."""
    assert not re.search(r"at most 0(?![.\d])", text) and "by 0 " not in text


def test_gradient_descent(tmp_path, told):
    say, printed = told
    r = gradient_descent.run(tmp_path, say=say)
    text = printed()
    assert r["notes_ws"][:4] == [0.0, 4.0, 0.0, 4.0]  # the notes' points with η = 0.4 oscillate
    assert r["half_ws"][1] == pytest.approx(2.0)  # the ½ convention lands in one step
    assert r["runs"]["good (η = 0.1)"][0][-1] == pytest.approx(2.0, abs=1e-6)
    assert r["converged"]["too large (η = 0.5)"] is None and abs(r["runs"]["too large (η = 0.5)"][0][-1]) > 1e3
    assert r["converged"]["too small (η = 0.01)"] is None
    # the picture of the learning rates: |w − 2| per iteration, a constant factor per step
    errors = gradient_descent.distances_to_target(r["runs"])
    assert errors["too large (η = 0.5)"][:3] == [2.0, 3.0, 4.5] and set(errors["the notes' η = 0.4"]) == {2.0}
    assert "η = 0.5: ×1.5, η = 0.4: ×1, η = 0.1: ×0.5, η = 0.01: ×0.95" in text
    assert pngs(tmp_path) == ["descent_good.png", "descent_notes.png", "learning_rates.png"]


def test_gradient_descent_says_where_a_run_stopped_and_when_a_slow_one_gets_there(tmp_path, told):
    say, printed = told
    r = gradient_descent.run(tmp_path, say=say)
    text = printed()
    # the error 2 − w is multiplied by 1 − 2η·mean(x²) = 1 − 5η each step, from 2 at w0 = 0
    stop = next(k for k in range(1, 100) if abs(2 - 2 * (-1.5) ** k) > gradient_descent.DIVERGED)
    assert len(r["runs"]["too large (η = 0.5)"][0]) - 1 == stop < gradient_descent.ITERATIONS  # it stops early
    assert (f"diverged: the error is multiplied by -1.5 each step; |w| passed 1,000,000 at iteration {stop} "
            f"(w = {2 - 2 * (-1.5) ** stop:.4g}), where the run stops") in text
    assert "up to 40 iterations" in text and "(40 iterations)" not in text
    assert "never converges: the error is multiplied by -1 each step (w = 0, J = 10 after 40 iterations)" in text
    slow = next(k for k in range(1000) if 2 * 0.95**k <= 0.01)  # 0.95 per step: converging, slowly
    assert slow > gradient_descent.ITERATIONS and r["converged"]["too small (η = 0.01)"] is None
    assert (f"converges, but slowly: the error is multiplied by 0.95 each step; |w − 2| = {2 * 0.95**40:.3g} after 40 "
            f"iterations, ≤ 0.01 only from iteration {slow}") in text
    assert "did not converge" not in text


def test_activations(tmp_path, told):
    say, printed = told
    r = activations.run(tmp_path, say=say)
    assert r["sigmoid_max"] == 0.25 and r["sigmoid_argmax"] == 0.0 and r["tanh_max"] == 1.0
    assert r["sigmoid_at_3"] == pytest.approx(0.045177, abs=1e-6)
    assert [round(p, 2) for p in r["softmax"].values()] == [0.51, 0.18, 0.31]
    assert r["softmax_sum"] == pytest.approx(1.0, abs=1e-15)
    assert all(abs(sum(row)) < 1e-12 for row in r["jacobian"])
    assert activations.slope("leaky_relu", -2.0) == activations.LEAKY_SLOPE == 0.01  # the text, nn and the picture
    assert "g(z) = 0.01·z below 0" in printed()
    pngs(tmp_path)
    pyplot = sys.modules.get("matplotlib.pyplot")
    assert pyplot is None or not pyplot.get_fignums()  # plots never use pyplot: nothing global holds a figure


def test_dying_relu_at_a_small_size():
    X, y = nn.data.moons(40, noise=0.1, seed=0)
    relu = vanishing_gradient.dying_relu("relu", X, y, units=16, epochs=10)
    assert relu["silent"] > 0 and relu["silent_grad"] == 0.0 and relu["moved"] == 0.0  # dead: gradient exactly 0
    assert relu["moved_text"] == "did not move at all (exactly 0)"
    leaky = vanishing_gradient.dying_relu("leaky_relu", X, y, units=16, epochs=10)
    assert leaky["silent"] == 0 or (leaky["silent_grad"] > 0 and leaky["moved"] > 0)


def test_vanishing_gradient(tmp_path, told):
    say, printed = told
    r = vanishing_gradient.run(tmp_path, say=say)
    text = printed()
    assert r["ratio"]["sigmoid"] < 0.05 < r["ratio"]["relu"]  # sigmoid's first layer hears far less
    assert r["grads"]["relu"][0] / r["grads"]["sigmoid"][0] > 1000
    sig, relu = r["histories"]["sigmoid"], r["histories"]["relu"]
    assert sig.loss[-1] > 0.9 * sig.loss[0] and relu.loss[-1] < 0.5 * relu.loss[0]
    dead, leaky = r["dying"]["relu"], r["dying"]["leaky_relu"]
    assert dead["silent"] > 0 and dead["moved"] == 0.0 and dead["still_silent"] == dead["silent"]  # dead for good
    assert leaky["moved"] > 0.0 and leaky["silent_grad"] > 0.0  # leaky units still learn
    # the text explains the leaky units that stay below 0 from the numbers it computed
    assert f"{leaky['revived']} came back above 0 and {leaky['silent'] - leaky['revived']} are still below 0" in text
    assert f"went from {leaky['highest_z_before']:.4g} to {leaky['highest_z_after']:.4g}" in text
    assert "did not move at all (exactly 0)" in text
    # the notes say tanh "still suffers" and ReLU "solves" it: the text says what these numbers show
    grads = r["grads"]
    assert f"tanh does not vanish here (first ÷ last {r['ratio']['tanh']:.2g})" in text and r["ratio"]["tanh"] > 1
    assert f"keeps its size (first ÷ last hidden {grads['relu'][0] / grads['relu'][-2]:.2g})" in text
    assert "tanh′(2) = 0.07, tanh′(3) = 0.01" in text
    # sigmoid's 75% is outputs a hair's breadth from 0.5: the text does not call that a coin toss without saying so
    assert "its outputs are all within 4e-05 of 0.5" in text and "coin toss" not in text
    no_empty_claims(text)
    assert pngs(tmp_path) == ["layer_gradients.png", "training.png"]


def test_xor(tmp_path, told):
    say, printed = told
    r = xor.run(tmp_path, say=say, resolution=20)
    assert r["accuracy"] == 1.0 and r["logistic_accuracy"] <= 0.75
    assert [round(o) for o in r["outputs"]] == [0, 1, 1, 0]
    assert len(r["hidden"]) == 4 and all(len(h) == 4 for h in r["hidden"])
    assert "σ(w·x + b) = 0.5 — undecided — everywhere" in printed()
    assert pngs(tmp_path) == ["boundary.png", "boundary_logistic.png", "loss.png"]
    start = playground_start(tmp_path)  # the page starts from the network train_xor trains, untrained
    untrained = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)
    assert start["parameters"] == [p.data for p in untrained.parameters()] and start["optimizer"]["lr"] == 0.1


def test_optimizer_building_blocks_at_a_small_size():
    X, y = nn.data.moons(40, noise=0.1, seed=0)
    results = optimizers.compare(X, y, epochs=2)
    assert list(results) == list(optimizers.make_optimizers([nn.MLP(1, [1]).parameters()[0]]))
    assert all(h.epochs == 2 for h in results.values())
    Xo, yo = optimizers.with_outliers(X, y)
    assert len(Xo) == len(X) + 3 and max(abs(v) for x in Xo for v in x) == optimizers.OUTLIER
    runs = optimizers.clipping_runs(X, y, epochs=2)
    assert all(len(h.val_loss) == 2 for h in runs.values())  # the loss watched is on the clean data


def test_optimizers(tmp_path, told):
    say, printed = told
    r = optimizers.run(tmp_path, say=say)
    text = printed()
    assert r["gap_skewed"] > r["gap_similar"]  # Adam's edge grows with badly scaled inputs
    assert r["plateau_reductions"] and f"η was halved at epoch {r['plateau_reductions'][0]}" in text
    # a run that ends with dead ReLUs is told as such, not as a slow optimizer
    skewed = r["results"]["second input 100× larger (not normalised)"]
    assert any(h.dead_layers for h in skewed.values())
    for name, h in skewed.items():
        assert (f"{name} with the 100× input ends with every ReLU" in text) == bool(h.dead_layers)
    plain, clipped = r["clip"]["no clipping"], r["clip"]["clip_norm = 1"]
    # the unclipped run spikes (the demo says so when its worst loss is over twice the clipped run's)
    # and ends worse; the clipped one stays bounded and learns
    assert max(plain.val_loss) > 2 * max(clipped.val_loss) and clipped.val_loss[-1] < plain.val_loss[-1]
    assert clipped.val_loss[-1] < clipped.val_loss[0]
    assert f"the loss jumps to {max(plain.val_loss):.3g}" in text
    assert pngs(tmp_path) == ["clipping.png", "loss.png", "plateau_lr.png"]
    # the notes' "Momentum and Adam accelerate convergence", measured: epochs to each loss mark, and the verdicts
    def reached(h, mark):
        return next((k + 1 for k, value in enumerate(h.loss) if value < mark), None)
    names = [optimizers.SGD_NAME, optimizers.MOMENTUM_NAME, optimizers.ADAM_NAME]
    for name in names:
        cells = [" / ".join(str(reached(res[name], m) or "—") for m in optimizers.MARKS) for res in r["results"].values()]
        assert any(line.startswith(f"  {name}") and line.split()[-len(cells) * 3:] == " ".join(cells).split()
                   for line in text.splitlines()), (name, cells)
    for title, res in r["results"].items():
        for name in names[1:]:
            never = float("inf")
            pairs = [(reached(res[name], m) or never, reached(res[optimizers.SGD_NAME], m) or never)
                     for m in optimizers.MARKS]
            faster = all(a <= b for a, b in pairs) and any(a < b for a, b in pairs)
            assert (r["races"][title][name] == "faster") == faster
    similar = r["results"]["inputs of similar scale"]
    momentum, sgd = similar[optimizers.MOMENTUM_NAME], similar[optimizers.SGD_NAME]
    assert reached(momentum, 0.2) > reached(sgd, 0.2) and momentum.loss[-1] > sgd.loss[-1]  # slower with these settings
    if not any(v[optimizers.MOMENTUM_NAME] == "faster" for v in r["races"].values()):
        assert "the notes' claim does not hold for it with these settings." in text
    assert "η/(1 − μ) = 0.03/0.1 = 0.3 equals SGD's η" in text


def test_layer_statistics_at_a_small_size():
    X, y = nn.data.moons(20, noise=0.1, seed=0)
    stats = initialization.layer_statistics("normal", "relu", X, y, depth=3, width=8)
    assert len(stats["activation_std"]) == 3 and len(stats["grad"]) == 4
    assert stats["activation_std"][0] > 10 * stats["activation_std"][-1]  # the signal shrinks layer by layer
    model, history = initialization.symmetric_network(epochs=3)
    assert initialization.unit_spread(model) == 0.0 and history.epochs == 3


def test_initialization(tmp_path, told):
    say, printed = told
    r = initialization.run(tmp_path, say=say)
    text = printed()
    relu = r["stats"]["relu"]
    assert relu["normal"]["activation_std"][-1] < 1e-9  # N(0, 0.01) vanishes
    assert 0.3 < relu["he"]["activation_std"][-1] < 3  # He keeps the spread
    assert r["factors"]["relu"]["xavier"] < r["factors"]["relu"]["he"]
    assert r["symmetry_spread"] == 0.0 and "8 hidden units' weights\nare exactly equal" in text
    no_empty_claims(text)
    # one notation, N(mean, variance), and the reading of the notes' N(0, 0.01) said; the other reading computed
    assert ("Normal distributions are written N(mean, variance). The notes' W ∼ N(0, 0.01) is read as standard "
            "deviation\n0.01: N(0, 0.01²).") in text
    assert "He: N(0, 2/fan_in), standard deviation √(2/fan_in)" in text and "N(0, 0.01) has shrunk" not in text
    X, y = nn.data.moons(50, noise=0.1, seed=0)
    X = nn.data.standardize(X)[0]
    other = {a: initialization.per_layer_factor(initialization.layer_statistics(nn.init.normal(0.1), a, X, y)[
        "activation_std"]) for a in ("relu", "tanh")}
    assert other == pytest.approx(r["other_reading_factors"], rel=1e-12) and max(other.values()) < 1
    assert (f"Read as a variance, N(0, 0.01) would be standard deviation 0.1: per layer relu {other['relu']:.2f}×, "
            f"tanh {other['tanh']:.2f}×") in text and "it vanishes too, more slowly" in text
    # the notes disagree on biases; chainrule's are 0, measured on the networks themselves
    biases = [b for i in initialization.INITS for layer in initialization.deep_network(i, "relu").layers for b in layer.b]
    assert max(abs(b) for b in biases) == r["largest_bias"] == 0
    assert '"small random values" in one section and "initialized to zero"' in text
    assert "chainrule starts them at 0: the largest |b| in these networks is 0." in text
    assert len(pngs(tmp_path)) == 4


def test_classification(tmp_path, told):
    say, printed = told
    r = classification.run(tmp_path, say=say, resolution=20)
    compared, over = r["compared"], r["overfit"]
    assert compared["MLP 2-16-16-1"].val_accuracy[-1] > compared["logistic regression"].val_accuracy[-1]
    assert over[0.0].accuracy[-1] == 1.0 and over[0.01].val_loss[-1] < over[0.0].val_loss[-1]
    text = printed()
    assert f"validation loss {over[0.0].val_loss[-1]:.3f}" in text
    assert r["dropout"].val_loss[-1] < over[0.0].val_loss[-1]  # dropout helps the overfitting network too
    assert f"validation loss {r['dropout'].val_loss[-1]:.3f}" in text
    assert pngs(tmp_path) == ["boundaries.png", "overfit_l2.png", "overfitting.png"]
    start = playground_start(tmp_path)
    assert start["parameters"] == [p.data for p in nn.MLP(2, [16, 16, 1], output="sigmoid", seed=0).parameters()]
    assert len(start["X"]) == 140 and start["loss"] == "bce"


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    assert digits.confusion_matrix([1, 2, 2], [1, 2, 1], classes=3) == [[0, 0, 0], [0, 1, 1], [0, 0, 1]]


def test_digits_at_a_small_size(tmp_path, told):
    """500 digits, 2 epochs: what the demo prints is what it computed (the full run reaches ~98%)."""
    say, printed = told
    r = digits.run(tmp_path, say=say, epochs=2, samples=500)
    matrix = r["confusion"]
    assert sum(map(sum, matrix)) == 100 and r["test_accuracy"] > 0.5  # 20% of 500 to test; chance is 10%
    assert r["misclassified"] == sum(matrix[i][j] for i in range(10) for j in range(10) if i != j)
    assert sum(matrix[i][i] for i in range(10)) / 100 == pytest.approx(r["test_accuracy"])
    assert f"{r['misclassified']} of 100 test digits are misclassified" in printed()
    assert pngs(tmp_path) == ["confusion.png", "mistakes.png", "training.png"]


def test_micrograd_moons(tmp_path, quiet):
    r = micrograd_moons.run(tmp_path, say=quiet, resolution=20)
    assert r["accuracy"] == 1.0 and r["loss"] < 0.05
    assert pngs(tmp_path) == ["boundary.png", "training.png"]
    start = playground_start(tmp_path)
    assert (start["loss"], start["l2"], start["optimizer"]["kind"], start["optimizer"]["lr"]) == ("hinge", 1e-4, "sgd", 1.0)


def test_playground(tmp_path, told):
    say, printed = told
    r = playground.run(tmp_path, say=say)
    text = printed()
    start = playground_start(tmp_path)
    model, X, y, (Xv, _) = playground.moons(0)
    assert start["parameters"] == [p.data for p in model.parameters()] and len(start["X"]) == 160 and len(Xv) == 40
    for name, grads in r["layer_gradients"].items():  # what it prints is what it computed
        assert f"{name} hidden layers:" in text and ", ".join(f"{g:.2e}" for g in grads) in text
        assert grads == inside.layer_gradients(playground.with_activation(model, name), X, y)
    relu, sigmoid = r["layer_gradients"]["relu"], r["layer_gradients"]["sigmoid"]
    assert sigmoid[0] < relu[0] and sigmoid[-1] / sigmoid[0] > relu[-1] / relu[0]  # the first layer hears less
    assert f"the last layer's is {sigmoid[-1] / sigmoid[0]:.3g}× the first's" in text
    assert r["path"] == tmp_path / "playground.html" and r["page"].html.startswith("<!DOCTYPE html>")


def test_inside_matches_the_engines_scalar_graphs():
    """The numpy statistics the demos show equal the engine's: one scalar graph per sample, then backward."""
    import statistics

    from chainrule.engine import Value

    X, y = nn.data.moons(12, noise=0.1, seed=0)
    sizes = [(2, 5), (5, 4), (4, 1)]  # (inputs, units) of each layer
    for activation in ("sigmoid", "tanh", "relu", "leaky_relu"):
        model = nn.MLP(2, [5, 4, 1], activation=activation, output="sigmoid", seed=1)
        model.zero_grad()
        nn.binary_cross_entropy([model(x) for x in X], y).backward()
        params, start, engine = model.parameters(), 0, []
        for nin, nout in sizes:  # each unit's weights, then its bias
            block = params[start:start + nout * (nin + 1)]
            engine.append(statistics.fmean(abs(p.grad) for k, p in enumerate(block) if k % (nin + 1) != nin))
            start += nout * (nin + 1)
        assert inside.layer_gradients(model, X, y) == pytest.approx(engine, rel=1e-9)
        first = [params[j * 3:j * 3 + 3] for j in range(5)]
        zs = [[Value(w0.data) * x[0] + Value(w1.data) * x[1] + Value(b.data) for w0, w1, b in first] for x in X]
        outputs = [getattr(z, activation)().data for row in zs for z in row]
        assert inside.activation_spread(model, X)[0] == pytest.approx(statistics.pstdev(outputs), rel=1e-12)
        assert inside.silent_units(model, X) == [j for j in range(5) if all(row[j].data <= 0 for row in zs)]


def test_every_demo_is_listed_and_runs_from_the_command_line(tmp_path):
    listed = subprocess.run([sys.executable, "-m", "demos", "--list"], capture_output=True, text=True, timeout=60)
    for name in DEMOS:
        assert name in listed.stdout
    result = subprocess.run([sys.executable, "-m", "demos", "activations", "--quiet", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert any(l.startswith("activations: max σ′ = 0.25") for l in lines)
    assert any(l.startswith("wrote ") for l in lines)
    assert lines[-1].endswith("activations.png is a picture: open it in an image viewer or a web browser")


def test_a_demo_piped_into_head_stops_quietly(tmp_path):
    """`chainrule demo NAME | head` ends without a BrokenPipeError traceback."""
    script = (
        "from chainrule.demos.common import run_demo\n"
        "def run(out, seed, say):\n"
        "    for i in range(200000):\n"
        "        print('line', i)\n"
        "raise SystemExit(run_demo('talkative', 'prints a lot', run, []))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline() == b"line 0\n"
    child.stdout.close()  # as head does after its first lines
    _, err = child.communicate(timeout=60)
    assert child.returncode == 141 and b"Traceback" not in err, err.decode()
