"""Neuron, Layer, MLP, Dropout and the initialisers as a learner meets them: the weights each draws
(against the generator's own draws by hand), the names, labels and scopes of parameters and nodes, the
buffer a model keeps its numbers in, dropout's masks, and every refusal word for word."""
import math
import random

import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value
from chainrule.nn import init


def test_a_neuron_draws_he_for_relu_and_xavier_otherwise_from_its_seed():
    rng = random.Random(3)
    he = [rng.gauss(0.0, math.sqrt(2.0 / 3)) for _ in range(3)]
    assert [w.data for w in nn.Neuron(3, activation="relu", seed=3).w] == he
    assert [w.data for w in nn.Neuron(3, activation="leaky_relu", seed=3).w] == he
    rng, a = random.Random(3), math.sqrt(6.0 / (3 + 1))  # fan_out 1: one output
    assert [w.data for w in nn.Neuron(3, activation="tanh", seed=3).w] == [rng.uniform(-a, a) for _ in range(3)]
    assert nn.Neuron(3, seed=3).b.data == 0.0 and [w.data for w in nn.Neuron(3, seed=4).w] != he


def test_the_named_initialisers_draw_what_their_names_say():
    rng = random.Random(0)
    draws = {name: f(random.Random(0), 4, 2) for name, f in init.NAMED.items()}
    assert draws["normal"] == random.Random(0).gauss(0.0, 0.01)
    assert draws["uniform"] == random.Random(0).uniform(-1.0, 1.0)
    assert draws["xavier"] == draws["xavier_uniform"] == rng.uniform(-1.0, 1.0)  # √(6/(4+2)) = 1
    assert draws["xavier_normal"] == random.Random(0).gauss(0.0, math.sqrt(2.0 / 6))
    assert draws["he"] == draws["he_normal"] == random.Random(0).gauss(0.0, math.sqrt(2.0 / 4))
    assert draws["he_uniform"] == random.Random(0).uniform(-math.sqrt(1.5), math.sqrt(1.5))
    assert init.normal()(random.Random(1), 1, 1) == random.Random(1).gauss(0.0, 0.01)
    assert init.uniform()(random.Random(1), 1, 1) == random.Random(1).uniform(-1.0, 1.0)
    assert init.constant(0.25)(random.Random(1), 1, 1) == 0.25
    assert init.resolve("auto", "relu") is init.he_normal and init.resolve("auto", "leaky_relu") is init.he_normal
    assert init.resolve("auto", "gelu") is init.xavier_uniform


def test_a_layer_and_an_mlp_name_their_parameters_and_scope_their_nodes():
    layer = nn.Layer(2, 2, activation="tanh", seed=0)
    assert [n for n, _ in layer.named_parameters()] == ["neurons.0.w.0", "neurons.0.w.1", "neurons.0.b",
                                                        "neurons.1.w.0", "neurons.1.w.1", "neurons.1.b"]
    assert [p.label for p in layer.parameters()] == ["w0", "w1", "b"] * 2
    assert [p.scope for p in layer.parameters()] == ["neurons.0"] * 3 + ["neurons.1"] * 3
    assert [a.scope for a in layer([1.0, 2.0])] == ["neurons.0", "neurons.1"]
    neuron = nn.Neuron(2, seed=0)
    assert neuron([1.0, 2.0]).scope is None and neuron.b.label == "b" and neuron.b.scope is None
    model = nn.MLP(2, [2, 2], output="softmax", seed=0)
    assert [p.scope for p in model([1.0, 2.0])] == ["layers.1", "layers.1"]
    assert model.layers[1].neurons[1].b.scope == "layers.1.neurons.1"
    hidden = model.layers[0]([1.0, 2.0])
    assert [a.scope for a in hidden] == ["layers.0.neurons.0", "layers.0.neurons.1"]
    assert [z.label for z in model.layers[0].logits([1.0, 2.0])] == ["z", "z"]  # each neuron names its weighted sum
    assert [a.label for a in hidden] == ["a", "a"] and neuron([1.0, 2.0]).label == "a"  # and its activation


def test_a_neuron_alone_and_in_a_layer_computes_w_dot_x_plus_b():
    neuron = nn.Neuron(2, activation="linear", seed=0)
    neuron.b.data = 0.75
    w0, w1 = (p.data for p in neuron.w)
    assert neuron([2.0, -1.0]).data == math.fsum([w0 * 2.0, w1 * -1.0, 0.75])
    layer = nn.Layer(2, 2, activation="linear", seed=0)
    layer.b[:] = [0.5, -0.25]
    assert [z.data for z in layer([2.0, -1.0])] == [math.fsum([*(layer.W[j] * [2.0, -1.0]).tolist(), layer.b[j]])
                                                   for j in range(2)]


def test_a_model_keeps_its_numbers_in_one_buffer_an_optimizer_updates_in_place():
    """A neuron or layer of its own holds exactly its nin + 1 (per neuron) numbers, so an optimizer on its
    parameters works on the buffer itself."""
    for module, size in ((nn.Neuron(3, seed=0), 4), (nn.Layer(3, 2, seed=0), 8), (nn.MLP(3, [2, 1], seed=0), 11)):
        params = module.parameters()
        assert len(params[0].store) == size == len(params)
        assert nn.SGD(params, lr=0.1).numbers.store is params[0].store


def test_logits_are_the_last_layers_weighted_sums():
    model = nn.MLP(1, [2, 2, 1], activation="tanh", seed=0)
    x = [0.5]
    h = [v.data for v in model.layers[1](model.layers[0](x))]
    last = model.layers[2].neurons[0]
    z = model.logits(x)
    assert isinstance(z, Value) and z.data == pytest.approx(sum(w.data * hi for w, hi in zip(last.w, h)) + last.b.data,
                                                            rel=1e-15)
    wide = nn.MLP(1, [2, 3], activation="tanh", seed=0)
    assert len(wide.logits(x)) == 3


def test_an_mlps_dropout_modules_draw_from_seeds_after_the_models():
    model = nn.MLP(2, [3, 3, 1], dropout=0.5, seed=7)
    assert [d._rng.random() for d in model.dropout] == [random.Random(8).random(), random.Random(9).random()]
    assert repr(model) == "MLP(2, [3, 3, 1], activation='relu', output='linear', dropout=0.5) with 25 parameters"  # 3·3 + 4·3 + 4·1
    assert nn.MLP(2, [3, 1], dropout=0.0).dropout == [] and nn.MLP(2, [3, 1], dropout=0.5).dropout[0]._rng is None


def test_a_dropout_mask_keeps_with_probability_one_minus_p_and_scales_by_its_inverse():
    drop = nn.Dropout(0.25, seed=5)
    mask = drop.mask((4, 1000))
    bits = random.Random(5).getrandbits(64)
    keep = np.random.default_rng(bits).random((4, 1000)) >= 0.25
    assert np.array_equal(mask, keep / 0.75) and set(np.unique(mask)) == {0.0, 1 / 0.75}
    assert nn.Dropout().p == 0.5 and nn.Dropout(0.0).mask((3,)).tolist() == [1.0, 1.0, 1.0]
    x = [Value(1.0), Value(2.0)]
    assert nn.Dropout(0.0)(x) == x  # nothing dropped, no node added
    eval_drop = nn.Dropout(0.5, seed=0)
    eval_drop.eval()
    assert eval_drop(x) == x
    seeded = nn.Dropout(0.5, seed=0)
    assert [v.data for v in seeded(x)] == [a * b for a, b in zip([1.0, 2.0], nn.Dropout(0.5, seed=0).mask((2,)))]


def test_a_mlp_subclass_saves_and_loads_under_its_own_name(tmp_path):
    class Wide(nn.MLP):
        pass

    model = Wide(2, [3, 1], seed=0)
    model.save(tmp_path / "wide.json")
    back = Wide.from_file(tmp_path / "wide.json")
    assert type(back) is Wide and back.state_dict() == model.state_dict()
    with pytest.raises(ValueError, match="holds a model of class Wide, not MLP"):
        nn.MLP.from_file(tmp_path / "wide.json")


def test_an_mlp_records_its_initialisers_name():
    def tiny(rng, fan_in, fan_out):
        return 0.125

    class Draw:
        def __call__(self, rng, fan_in, fan_out):
            return 0.5

    assert nn.MLP(1, [1], init=tiny).config()["init"] == "tiny"
    assert nn.MLP(1, [1], init=Draw()).config()["init"] == "custom"
    assert nn.MLP(1, [1], init="he").config()["init"] == "he"
    assert nn.MLP(1, [1], init=tiny).layers[0].W.tolist() == [[0.125]]


CASES = [
    (lambda: nn.Neuron(2)(3.0), TypeError, "Neuron: expected one sample, a list of 2 numbers or Values, got float 3.0"),
    (lambda: nn.MLP(2, [1])(np.zeros((2, 2))), ValueError,
     "MLP: model(x) takes one sample (a list of 2 numbers); for a batch of samples use nn.predict(model, X) (the array "
     "path) or loop over the rows"),
    (lambda: nn.Neuron(2)([1.0]), ValueError, "Neuron: expected 2 inputs, got 1"),
    (lambda: nn.Layer(2, 2)([1.0, "a"]), TypeError,
     "Layer: input 1: expected a real number (int or float) or a Value, got 'a' (str)"),
    (lambda: nn.Neuron(0), ValueError, "Neuron: nin must be a positive int, got 0"),
    (lambda: nn.Neuron(2.0), ValueError, "Neuron: nin must be a positive int, got 2.0"),
    (lambda: nn.Neuron(2, activation="softmax"), ValueError,
     "Neuron: unknown activation 'softmax'; choose one of linear, sigmoid, tanh, relu, leaky_relu, elu, gelu"),
    (lambda: nn.Layer(True, 2), ValueError, "Layer: nin must be a positive int, got True"),
    (lambda: nn.Layer(2, 0), ValueError, "Layer: nout must be a positive int, got 0"),
    (lambda: nn.Layer(2, 2, activation="soft"), ValueError,
     "Layer: unknown activation 'soft'; choose one of linear, sigmoid, tanh, relu, leaky_relu, elu, gelu, softmax"),
    (lambda: nn.Layer(2, 1, activation="softmax"), ValueError,
     "Layer: softmax needs at least 2 outputs (softmax of one score is always 1)"),
    (lambda: nn.MLP(0, [1]), ValueError, "MLP: nin must be a positive int, got 0"),
    (lambda: nn.MLP(2, [0]), ValueError, "MLP: sizes must be a non-empty list of positive ints, got [0]"),
    (lambda: nn.MLP(2, [True]), ValueError, "MLP: sizes must be a non-empty list of positive ints, got [True]"),
    (lambda: nn.MLP(2, [2.0]), ValueError, "MLP: sizes must be a non-empty list of positive ints, got [2.0]"),
    (lambda: nn.MLP(2, [1], activation="softmax"), ValueError,
     "MLP (activation): unknown activation 'softmax'; choose one of linear, sigmoid, tanh, relu, leaky_relu, elu, gelu"),
    (lambda: nn.MLP(2, [1], output="x"), ValueError,
     "MLP (output): unknown activation 'x'; choose one of linear, sigmoid, tanh, relu, leaky_relu, elu, gelu, softmax"),
    (lambda: nn.MLP(2, [1], init="bogus"), ValueError,
     "init: unknown initialiser 'bogus'; choose one of auto, normal, uniform, xavier, xavier_uniform, xavier_normal, "
     "he, he_normal, he_uniform or pass a function"),
    (lambda: nn.Dropout(1.0), ValueError,
     "Dropout: p is the probability of dropping a unit and must be in [0, 1), got 1.0"),
    (lambda: nn.Dropout("a"), TypeError, "Dropout: p: expected a real number (int or float) or a Value, got 'a' (str)"),
    (lambda: nn.manual_seed(1.5), TypeError, "manual_seed: seed must be an int, got 1.5"),
    (lambda: nn.manual_seed(True), TypeError, "manual_seed: seed must be an int, got True"),
    (lambda: nn.MLP(1, [1]).load_state_dict([1]), TypeError,
     "load_state_dict: expected a dict of name -> number, got list"),
    (lambda: nn.MLP(1, [1]).load_state_dict({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}), ValueError,
     "load_state_dict: the state does not match this MLP: missing 2 parameter(s), e.g. ['layers.0.neurons.0.w.0', "
     "'layers.0.neurons.0.b']; unexpected 5 name(s), e.g. ['a', 'b', 'c']"),
    (lambda: nn.MLP(1, [2]).load_state_dict({}), ValueError,
     "load_state_dict: the state does not match this MLP: missing 4 parameter(s), e.g. ['layers.0.neurons.0.w.0', "
     "'layers.0.neurons.0.b', 'layers.0.neurons.1.w.0']"),
]


@pytest.mark.parametrize("call,kind,message", CASES, ids=[c[2][:40] for c in CASES])
def test_each_refusal_word_for_word(call, kind, message):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == message


def test_zero_grad_and_modes():
    model = nn.MLP(1, [2, 1], dropout=0.5, seed=0)
    for p in model.parameters():
        p.grad = 0.5
    nn.Module.zero_grad(model)  # the walk over the parameters (MLP's own clears its buffer at once)
    assert [p.grad for p in model.parameters()] == [0.0] * 7
    assert model.eval() is model and [m.training for m in model.modules()] == [False] * len(list(model.modules()))
    assert model.train() is model and all(m.training for m in model.modules())


def test_parameters_are_found_by_walking_public_attributes():
    class Two(nn.Module):
        def __init__(self):
            self._hidden = Value.parameter(1.0, "h")  # private: not a parameter of the module
            self.a = Value.parameter(2.0, "a")
            self.pair = [Value.parameter(3.0, "b"), Value(4.0, label="not trained")]

    assert [(n, p.data) for n, p in Two().named_parameters()] == [("a", 2.0), ("pair.0", 3.0)]
    assert Two().parameters()[0].setting is None and Two().parameters()[0].label == "a"


def test_a_layers_neurons_take_its_activation_seed_and_scope():
    layer = nn.Layer(2, 2, activation="tanh", seed=3, name="block")
    assert [n.activation for n in layer.neurons] == ["tanh", "tanh"]
    assert layer.neurons[1]([1.0, 2.0]).scope == "block.neurons.1"
    assert nn.Layer(2, 2, seed=3).state_dict() == nn.Layer(2, 2, seed=3).state_dict()
    assert nn.MLP(2, [3, 1], dropout=0.3, seed=0).dropout[0].p == 0.3
    assert repr(nn.MLP(2, [3, 1], dropout=0.3)) == ("MLP(2, [3, 1], activation='relu', output='linear', dropout=0.3) "
                                                   "with 13 parameters")


def test_a_module_of_ones_own_is_listed_zeroed_and_shown_as_it_is_built():
    class Head(nn.Module):
        def __init__(self):
            self.head = nn.Neuron(2, seed=0)
            self.extra = [nn.Neuron(1, seed=1)]
            self._helper = nn.Neuron(3, seed=2)  # private: not a part a learner sees
            self.bias = Value.parameter(0.25, "bias")

    model = Head()
    assert model.summary_rows() == [("head", "Neuron(2, activation='relu')", 3),
                                    ("extra.0", "Neuron(1, activation='relu')", 2)]
    assert model._repr_html_() == (
        "<table><caption style='text-align:left'><b>Head</b>: 6 parameters</caption><tr><th>part</th><th>what</th>"
        "<th>parameters</th></tr><tr><td>head</td><td>Neuron(2, activation=&#x27;relu&#x27;)</td><td style='text-align:"
        "right'>3</td></tr><tr><td>extra.0</td><td>Neuron(1, activation=&#x27;relu&#x27;)</td><td style='text-align:"
        "right'>2</td></tr></table>")
    model.bias.grad = 2.0
    model.zero_grad()
    assert model.bias.grad == 0.0 and type(model.bias.grad) is float
