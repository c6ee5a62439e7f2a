"""Every demo runs into a temporary folder; its computed results are checked, not merely its files."""
import subprocess
import sys
from pathlib import Path

import pytest

from chainrule.demos import DEMOS, activations, classification, digits, gradient_descent, initialization, micrograd_moons
from chainrule.demos import optimizers, vanishing_gradient, xor
from chainrule.demos.common import Narrator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def quiet():
    return Narrator(quiet=True)


def pngs(folder):
    files = sorted(folder.glob("*.png"))
    assert files and all(f.read_bytes()[:4] == b"\x89PNG" for f in files)
    return [f.name for f in files]


def test_gradient_descent(tmp_path, quiet):
    r = gradient_descent.run(tmp_path, say=quiet)
    assert r["notes_ws"][:4] == [0.0, 4.0, 0.0, 4.0]  # the notes' points with η = 0.4 oscillate
    assert r["half_ws"][1] == pytest.approx(2.0)  # the ½ convention lands in one step
    assert r["runs"]["good (η = 0.1)"][0][-1] == pytest.approx(2.0, abs=1e-6)
    assert r["converged"]["too large (η = 0.5)"] is None and abs(r["runs"]["too large (η = 0.5)"][0][-1]) > 1e3
    assert r["converged"]["too small (η = 0.01)"] is None
    assert "descent_notes.png" in pngs(tmp_path)


def test_activations(tmp_path, quiet):
    r = activations.run(tmp_path, say=quiet)
    assert r["sigmoid_max"] == 0.25 and r["sigmoid_argmax"] == 0.0 and r["tanh_max"] == 1.0
    assert r["sigmoid_at_3"] == pytest.approx(0.045177, abs=1e-6)
    assert [round(p, 2) for p in r["softmax"].values()] == [0.51, 0.18, 0.31]
    assert r["softmax_sum"] == pytest.approx(1.0, abs=1e-15)
    assert all(abs(sum(row)) < 1e-12 for row in r["jacobian"])
    pngs(tmp_path)


def test_vanishing_gradient(tmp_path, quiet):
    r = vanishing_gradient.run(tmp_path, say=quiet)
    assert r["ratio"]["sigmoid"] < 0.05 < r["ratio"]["relu"]  # sigmoid's first layer hears far less
    assert r["grads"]["relu"][0] / r["grads"]["sigmoid"][0] > 1000
    sig, relu = r["histories"]["sigmoid"], r["histories"]["relu"]
    assert sig.loss[-1] > 0.9 * sig.loss[0] and relu.loss[-1] < 0.5 * relu.loss[0]
    assert r["dying"]["relu"]["silent"] > 0 and r["dying"]["relu"]["moved"] == 0.0  # dead for good
    assert r["dying"]["leaky_relu"]["moved"] > 0.0  # leaky units still learn
    assert "layer_gradients.png" in pngs(tmp_path)


def test_xor(tmp_path, quiet):
    r = xor.run(tmp_path, say=quiet)
    assert r["accuracy"] == 1.0 and r["logistic_accuracy"] <= 0.75
    assert [round(o) for o in r["outputs"]] == [0, 1, 1, 0]
    assert "hidden_0.png" in pngs(tmp_path)


def test_optimizers(tmp_path, quiet):
    r = optimizers.run(tmp_path, say=quiet)
    assert r["gap_skewed"] > r["gap_similar"]  # Adam's edge grows with badly scaled inputs
    assert r["plateau_reductions"]  # ReduceLROnPlateau acted
    clip = r["clip"]
    assert max(clip["no clipping"].grad_norm) > 100 and clip["clip_norm = 1"].loss[-1] < clip["no clipping"].loss[-1]
    assert "clipping.png" in pngs(tmp_path)


def test_initialization(tmp_path, quiet):
    r = initialization.run(tmp_path, say=quiet)
    relu = r["stats"]["relu"]
    assert relu["normal"]["activation_std"][-1] < 1e-9  # N(0, 0.01) vanishes
    assert 0.3 < relu["he"]["activation_std"][-1] < 3  # He keeps the spread
    assert r["factors"]["relu"]["xavier"] < r["factors"]["relu"]["he"]
    assert r["symmetry_spread"] == 0.0
    pngs(tmp_path)


def test_classification(tmp_path, quiet):
    r = classification.run(tmp_path, say=quiet)
    assert r["compared"]["MLP 2-16-16-1"].val_accuracy[-1] > r["compared"]["logistic regression"].val_accuracy[-1]
    over = r["overfit"]
    assert over[0.0].accuracy[-1] == 1.0 and over[0.01].val_loss[-1] < over[0.0].val_loss[-1]
    assert "overfitting.png" in pngs(tmp_path)


def test_digits(tmp_path, quiet):
    r = digits.run(tmp_path, say=quiet)
    assert r["test_accuracy"] > 0.9
    assert sum(map(sum, r["confusion"])) == 359
    assert "confusion.png" in pngs(tmp_path)


def test_micrograd_moons(tmp_path, quiet):
    r = micrograd_moons.run(tmp_path, say=quiet)
    assert r["accuracy"] == 1.0 and r["loss"] < 0.05
    pngs(tmp_path)


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
        "from demos.common import run_demo\n"
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
