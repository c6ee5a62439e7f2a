"""viz.playground's arguments: checked as fit checks them, what the page cannot animate refused with why and
what to use instead, the page written whole or not at all; nothing of the model or optimizer changed."""
import importlib
import json
import random
import re

import pytest

from chainrule import nn, viz
from chainrule.viz.playground import sample_graph, trainer_spec


def moons(n=40):
    return nn.data.moons(n, noise=0.2, seed=0)


def page_data(page_html):
    return json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page_html, re.S).group(1))


def test_a_page_packs_the_exact_weights_optimizer_state_and_settings_and_changes_nothing():
    X, y = moons()
    model = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=3)
    optimizer = nn.Adam(model.parameters(), lr=0.05)
    nn.fit(model, X, y, loss="bce", optimizer=optimizer, epochs=2)  # the optimizer has state now
    before = ([p.data for p in model.parameters()], optimizer.m.copy(), optimizer.v.copy(), optimizer.steps)
    page = viz.playground(model, X, y, loss="bce", optimizer=optimizer, l2=0.01, batch_size=8, seed=12)
    after = ([p.data for p in model.parameters()], optimizer.m, optimizer.v, optimizer.steps)
    assert before[0] == after[0] and (before[1] == after[1]).all() and (before[2] == after[2]).all() and before[3] == after[3]
    spec = page_data(page.html)["problems"]["given"]["trainer"]
    assert spec["parameters"] == before[0] and spec["sizes"] == [2, 4, 1] and spec["loss"] == "bce"
    assert spec["optimizer"]["state"]["m"] == before[1].tolist() and spec["optimizer"]["steps"] == 2
    assert spec["optimizer"]["kind"] == "adam" and spec["optimizer"]["lr"] == 0.05
    assert (spec["l2"], spec["batchSize"], spec["seed"]) == (0.01, 8, 12)
    assert repr(page) == ("<Playground 'Training, live: MLP 2-4-1, bce': 17 parameters, 40 points; shows itself in "
                          "Jupyter, .save('playground.html') writes it>")
    frame = page._repr_html_()
    assert 'sandbox="allow-scripts allow-downloads"' in frame and "srcdoc=" in frame


def test_the_page_has_the_other_pages_content_security_policy_and_loads_nothing():
    X, y = moons()
    html = viz.playground(nn.MLP(2, [3, 1], output="sigmoid", seed=0), X, y, loss="bce").html
    stepper = viz.stepper_html(nn.loss_graph(nn.MLP(2, [1], seed=0), [[1, 2]], [1.0]))
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
    assert policy.search(html).group(0) == policy.search(stepper).group(0)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_without_a_seed_the_shuffle_is_drawn_as_fit_draws_it():
    X, y = moons()
    model = nn.MLP(2, [3, 1], output="sigmoid", seed=0)
    nn.manual_seed(4)
    spec = trainer_spec(model, X, y, "bce", batch_size=8)
    nn.manual_seed(4)
    assert spec["seed"] == random.getrandbits(32)  # fit's first draw after manual_seed(4)
    nn.manual_seed(4)
    expected = random.random()
    nn.manual_seed(4)
    assert trainer_spec(model, X, y, "bce")["seed"] == 0 and random.random() == expected  # full batch draws nothing


@pytest.mark.parametrize("make, options, error, message", [
    (lambda: nn.Neuron(2), {}, TypeError, "the page trains an nn.MLP .* got Neuron; train other modules with nn.fit"),
    (lambda: nn.MLP(3, [2, 1]), {}, ValueError, "each sample must have 3 inputs"),
    (lambda: nn.MLP(2, [100, 100, 1]), {}, ValueError,
     "this model has 10,501 parameters; the page animates at most 10,000 .* nn.fit and look at it with viz.plots"),
    (lambda: nn.MLP(2, [4, 1], dropout=0.5), {}, ValueError, "the page does not drop units"),
    (lambda: nn.MLP(2, [4, 1]), {"loss": nn.mse}, ValueError, r"loss must be one of mse, .* \(by name: the page computes it itself\)"),
    (lambda: nn.MLP(2, [4, 1], output="sigmoid"), {"loss": "bce", "y": [-1, 1] * 20}, ValueError,
     "expects labels 0 or 1"),
    (lambda: nn.MLP(2, [4, 1]), {"loss": "mse", "y": [0.5, 1.5, 2.5, 3.5] * 10}, ValueError,
     "these mse targets take 4 values .* two-class labels"),
    (lambda: nn.MLP(2, [4, 2]), {"loss": "mse", "y": [[0, 1], [1, 0]] * 20}, ValueError,
     "give the model one output .* this model has 2 outputs"),
    (lambda: nn.MLP(2, [4, 1]), {"optimizer": nn.SGD(nn.MLP(2, [4, 1]).parameters(), lr=0.1)}, ValueError,
     "the optimizer holds none of this model's parameters"),
    (lambda: nn.MLP(2, [4, 1]), {"seed": -3, "batch_size": 5}, ValueError, "seed must be an int from 0 to 4294967295"),
    (lambda: nn.MLP(2, [4, 1]), {"batch_size": 0}, ValueError, "batch_size must be an int ≥ 1"),
    (lambda: nn.MLP(2, [4, 1]), {"X": moons(5001)[0], "y": moons(5001)[1]}, ValueError,
     "5,001 points; the page trains and draws at most 5,000 .*nn.data.split"),
    (lambda: nn.MLP(2, [4, 1]), {"validation": ([[0, 0]], [0, 1])}, ValueError, "1 samples but 2 targets"),
])
def test_what_the_page_cannot_take_is_refused_with_why_and_what_instead(tmp_path, make, options, error, message):
    X, y = moons()
    options = dict(options)
    X, y = options.pop("X", X), options.pop("y", y)
    options.setdefault("loss", "mse")
    model = make()
    with pytest.raises(error, match=message):
        viz.save_playground(model, X, y, tmp_path / "p.html", **options)
    assert not list(tmp_path.iterdir())


def test_the_file_is_checked_first_and_written_atomically(tmp_path, monkeypatch):
    X, y = moons()
    model = nn.MLP(2, [3, 1], output="sigmoid", seed=0)
    with pytest.raises(ValueError, match=r"save_playground: the file should end in .html, got 'p.svg'"):
        viz.save_playground(model, X, y, tmp_path / "p.svg", loss="bce")
    module = importlib.import_module("chainrule.viz.page")  # where every page is written
    written = []
    monkeypatch.setattr(module, "write_atomically", lambda path, data: written.append((path, data)) or path)
    viz.save_playground(model, X, y, tmp_path / "p.html", loss="bce")
    assert written[0][0] == tmp_path / "p.html" and written[0][1].startswith(b"<!DOCTYPE html>")
    assert not list(tmp_path.iterdir())


def test_one_samples_graph_knows_its_leaves_and_the_targets_constants():
    for loss, output, labels in (("hinge", "linear", [-1.0, 1.0]), ("bce", "sigmoid", [0.0, 1.0]),
                                 ("mse_half", "linear", [0.0, 1.0])):
        model = nn.MLP(2, [3, 1], output=output, seed=0)
        (variant,) = sample_graph(model, loss, labels)["variants"].values()
        kinds = sorted(leaf[1] for leaf in variant["leaves"])
        assert kinds.count("p") == model.num_parameters() and kinds.count("x") == 2 and kinds.count("y") == 1, loss
        target = [leaf[0] for leaf in variant["leaves"] if leaf[1] == "y"][0]
        assert variant["program"][target]["o"] == "const" and variant["program"][target]["d"] == labels[0]
    graph = sample_graph(nn.MLP(2, [3, 3], output="softmax", seed=0), "cross_entropy", [0, 1, 2])
    assert sorted(graph["variants"]) == ["0", "1", "2"]  # the graph picks the true class's score: one per class
    assert graph["detail"] == "ops" and all("y" not in [leaf[1] for leaf in v["leaves"]] for v in graph["variants"].values())
    big = sample_graph(nn.MLP(2, [16, 16, 1], output="sigmoid", seed=0), "bce", [0.0, 1.0])
    assert big["detail"] == "neurons"  # over 300 drawn nodes one by one: one node per neuron
