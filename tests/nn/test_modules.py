"""Neuron, Layer, MLP: shapes, names, forward values, initialisation, seeds, errors, save/load."""
import json
import math
import statistics

import pytest

from chainrule import engine
from chainrule import nn
from chainrule.engine import Value


def test_named_parameters_are_readable_dotted_paths():
    model = nn.MLP(2, [16, 16, 1])
    names = [n for n, _ in model.named_parameters()]
    assert len(names) == model.num_parameters() == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 == 337
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert "layers.1.neurons.3.w.1" in names and names[-1] == "layers.2.neurons.0.b"
    assert all(p.op == "param" for p in model.parameters())


def test_neuron_computes_activation_of_weighted_sum():
    neuron = nn.Neuron(3, activation="tanh", init=nn.init.uniform(), seed=0)
    x = [0.5, -1.0, 2.0]
    z = sum(w.data * xi for w, xi in zip(neuron.w, x)) + neuron.b.data
    assert neuron(x).data == pytest.approx(math.tanh(z))
    assert neuron.b.data == 0.0  # biases start at zero


def test_values_carry_the_scope_of_their_module():
    model = nn.MLP(2, [3, 1])
    out = model([1.0, 2.0])
    assert out.scope == "layers.1.neurons.0"
    hidden = [v for v in engine.topological_order(out) if v.op == "relu"]
    assert {v.scope for v in hidden} == {f"layers.0.neurons.{j}" for j in range(3)}
    assert model.layers[0].neurons[2].w[1].scope == "layers.0.neurons.2"


def test_single_output_layer_inside_a_network_and_logistic_regression():
    model = nn.MLP(2, [1, 3, 1])
    assert isinstance(model([0.3, 0.7]), Value)
    logistic = nn.MLP(4, [1], output="sigmoid")
    p = logistic([1.0, 2.0, 3.0, 4.0])
    assert 0 < p.data < 1 and len(logistic.layers) == 1 and logistic.num_parameters() == 5


def test_softmax_output_is_a_distribution():
    model = nn.MLP(3, [5, 4], output="softmax")
    probs = model([0.1, 0.2, 0.3])
    assert len(probs) == 4 and math.fsum(p.data for p in probs) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="softmax needs at least 2 outputs"):
        nn.MLP(3, [1], output="softmax")


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b, c = nn.MLP(2, [4, 1], seed=7), nn.MLP(2, [4, 1], seed=7), nn.MLP(2, [4, 1], seed=8)
    assert a.state_dict() == b.state_dict() != c.state_dict()


@pytest.mark.parametrize("init,expected_std", [
    ("normal", 0.01),
    ("he", math.sqrt(2 / 200)),
    ("xavier_normal", math.sqrt(2 / (200 + 100))),
    ("xavier", math.sqrt(6 / 300) / math.sqrt(3)),  # U(-a, a) has std a/√3
    ("he_uniform", math.sqrt(6 / 200) / math.sqrt(3)),
    ("uniform", 1 / math.sqrt(3)),
])
def test_initialisers_have_the_stated_spread(init, expected_std):
    layer = nn.Layer(200, 100, activation="relu", init=init)
    weights = [w.data for n in layer.neurons for w in n.w]
    assert statistics.pstdev(weights) == pytest.approx(expected_std, rel=0.03)
    assert abs(statistics.fmean(weights)) < 4 * expected_std / math.sqrt(len(weights))


def test_constant_init_makes_all_neurons_identical():
    model = nn.MLP(2, [3, 1], init=nn.init.constant(0.5))
    out = model([1.0, -2.0])
    out.backward()
    grads = [[w.grad for w in n.w] for n in model.layers[0].neurons]
    assert grads[0] == grads[1] == grads[2]  # symmetry: every hidden neuron learns the same thing


@pytest.mark.parametrize("bad,error,match", [
    ([1.0, 2.0, 3.0], ValueError, "expected 2 inputs, got 3"),
    ("ab", TypeError, "expected one sample, a list of 2"),
    (5.0, TypeError, "expected one sample, a list of 2"),
    ([1.0, "x"], TypeError, "MLP: input"),
    ([1.0, math.nan], ValueError, "not finite"),
])
def test_bad_inputs_get_clear_errors(bad, error, match):
    with pytest.raises(error, match=match):
        nn.MLP(2, [3, 1])(bad)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="sizes must be"):
        nn.MLP(2, [])
    with pytest.raises(ValueError, match="nin must be"):
        nn.MLP(0, [1])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP(2, [1], activation="swish")
    with pytest.raises(ValueError, match="unknown initialiser"):
        nn.MLP(2, [1], init="glorious")


def test_state_dict_round_trip_and_all_or_nothing_loading():
    a, b = nn.MLP(2, [3, 1], seed=1), nn.MLP(2, [3, 1], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    before = b.state_dict()
    bad = dict(a.state_dict())
    bad["layers.1.neurons.0.b"] = "oops"
    with pytest.raises(ValueError, match="must be a finite number"):
        b.load_state_dict(bad)
    missing = dict(a.state_dict())
    missing.pop("layers.0.neurons.0.w.0")
    with pytest.raises(ValueError, match="missing 1 parameter"):
        b.load_state_dict(missing)
    assert b.state_dict() == before


def test_save_and_load_json_round_trips_floats_exactly(tmp_path):
    model = nn.MLP(2, [5, 1], seed=3)
    for p in model.parameters():
        p.data += 1e-17 * 3 + 0.1  # awkward floats
    path = model.save(tmp_path / "model.json")
    document = json.loads(path.read_text())
    assert document["format"] == "chainrule.state_dict" and document["config"]["sizes"] == [5, 1]
    other = nn.MLP(2, [5, 1], seed=9)
    other.load(path)
    assert other.state_dict() == model.state_dict()  # bit for bit
    rebuilt = nn.MLP.from_file(path)
    assert rebuilt.state_dict() == model.state_dict() and rebuilt([0.2, 0.4]).data == model([0.2, 0.4]).data
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary files left


@pytest.mark.parametrize("content,match", [
    ("{not json", "not valid JSON"),
    ('{"format": "other"}', "not a chainrule model file"),
    ('{"format": "chainrule.state_dict", "version": 99}', "format version 99"),
    ('{"format": "chainrule.state_dict", "version": 1, "model": "MLP", "config": {}, "parameters": []}', "'parameters'"),
])
def test_malformed_files_get_clear_errors_and_change_nothing(tmp_path, content, match):
    model = nn.MLP(2, [3, 1])
    before = model.state_dict()
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=match):
        model.load(path)
    assert model.state_dict() == before


def test_mismatched_model_file_changes_nothing(tmp_path):
    path = nn.MLP(2, [4, 1]).save(tmp_path / "m.json")
    model = nn.MLP(2, [3, 1])
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"holds a MLP with .*\[4, 1\].*this is a MLP with .*\[3, 1\]"):
        model.load(path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        model.load(tmp_path / "missing.json")
    assert model.state_dict() == before


def test_zero_grad_clears_parameter_gradients():
    model = nn.MLP(2, [3, 1])
    model([1.0, 1.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
