"""Nothing silently wrong in evaluation, losses, optimizers given to fit, copies, and fit's options."""
import copy
import math
import pickle
import warnings

import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value


def moons(n=40):
    return nn.data.moons(n, noise=0.1, seed=0)


# -- evaluation is evaluation ------------------------------------------------------------------

def test_evaluate_with_a_loss_function_turns_dropout_off_and_restores_the_mode():
    X, y = moons()
    model = nn.MLP(2, [16, 1], activation="tanh", output="sigmoid", seed=0, dropout=0.5)
    mine = lambda outputs, targets: nn.mse(outputs, targets)  # noqa: E731 - a loss of one's own: the scalar path
    first = nn.evaluate(model, X, y, loss=mine)[0]
    assert all(nn.evaluate(model, X, y, loss=mine)[0] == first for _ in range(3))  # no dropout: the same number
    assert model.training  # the mode is as it was
    model.eval()
    assert first == nn.evaluate(model, X, y, loss="mse")[0] and not model.training
    model.train()
    assert nn.predict(model, X) == nn.predict(model, X) and model.training


def test_validation_loss_is_measured_without_dropout():
    X, y = moons()
    model = nn.MLP(2, [16, 1], activation="tanh", output="sigmoid", seed=0, dropout=0.5)
    opt = nn.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, X, y, loss=lambda o, t: nn.mse(o, t), optimizer=opt, epochs=2, validation=(X, y))
    assert history.val_loss[-1] == pytest.approx(nn.evaluate(model.eval(), X, y, loss="mse")[0], rel=1e-12)


# -- a probability loss on outputs that are not probabilities -----------------------------------

def test_bce_refuses_outputs_outside_zero_one():
    with pytest.raises(ValueError, match=r"not a probability.*sigmoid.*with_logits"):
        nn.binary_cross_entropy([Value(1.5)], [1])
    with pytest.raises(ValueError, match="not a probability"):
        nn.binary_cross_entropy([Value(-0.2)], [0])
    assert nn.binary_cross_entropy([Value(0.25)], [1]).data == pytest.approx(-math.log(0.25))


def test_fit_refuses_bce_on_a_linear_output_before_training():
    X, y = moons()
    model = nn.MLP(2, [8, 1], output="linear", seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"bce.*probabilities.*'linear'.*output='sigmoid'.*bce_logits"):
        nn.fit(model, X, y, loss="bce", epochs=5)
    assert model.state_dict() == before
    # the logits form reads the linear outputs as scores, and trains
    history = nn.fit(model, X, y, loss="bce_logits", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=50)
    assert history.loss[-1] < history.loss[0] and min(history.loss) > 0 and history.accuracy[-1] > 0.8


def test_nll_refuses_a_linear_output():
    X, y = nn.data.spirals(20, classes=3, seed=0)
    with pytest.raises(ValueError, match=r"nll.*probabilities.*cross_entropy"):
        nn.fit(nn.MLP(2, [8, 3], seed=0), X, y, loss="nll", epochs=1)


# -- the library's own loss functions mean what their names mean ---------------------------------

def test_a_library_loss_function_and_its_name_agree():
    X, y = nn.data.spirals(20, classes=3, seed=0)
    model = nn.MLP(2, [8, 3], activation="tanh", output="softmax", seed=0)
    by_name = nn.evaluate(model, X, y, loss="cross_entropy")
    by_function = nn.evaluate(model, X, y, loss=nn.cross_entropy)
    assert by_function == pytest.approx(by_name, rel=1e-12)  # not softmax applied twice (0.855 vs 1.094)
    # the loss by hand: mean of log Σ e^z − z_y over the logits
    logits = np.array([[z.data for z in model.logits(x)] for x in X])
    by_hand = np.mean(np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(len(y)), y])
    assert by_name[0] == pytest.approx(by_hand, rel=1e-12)

    Xb, yb = moons()
    sig = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", seed=0)
    assert nn.evaluate(sig, Xb, yb, loss=nn.binary_cross_entropy_with_logits) == \
        pytest.approx(nn.evaluate(sig, Xb, yb, loss="bce"), rel=1e-12)
    assert nn.evaluate(sig, Xb, yb, loss=nn.binary_cross_entropy) == pytest.approx(nn.evaluate(sig, Xb, yb, "bce"),
                                                                                   rel=1e-12)


# -- the optimizer and the scheduler fit is given -------------------------------------------------

def test_fit_refuses_an_optimizer_on_another_models_parameters():
    X, y = moons()
    model, other = nn.MLP(2, [4, 1], seed=0), nn.MLP(2, [4, 1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match="none of this model's parameters"):
        nn.fit(model, X, y, optimizer=nn.SGD(other.parameters()), epochs=1)
    with pytest.raises(ValueError, match=r"misses 5 of the model's 17 parameters \(layers.1.neurons.0.w.0"):
        nn.fit(model, X, y, optimizer=nn.SGD(model.parameters()[:12]), epochs=1)
    with pytest.raises(TypeError, match="the class SGD"):
        nn.fit(model, X, y, optimizer=nn.SGD, epochs=1)
    assert model.state_dict() == before
    # every parameter, in another order: fine (gathered one by one)
    nn.fit(model, X, y, optimizer=nn.SGD(list(reversed(model.parameters()))), epochs=1)
    assert model.state_dict() != before


def test_fit_uses_the_schedulers_optimizer_or_refuses_another():
    X, y = moons()
    model = nn.MLP(2, [4, 1], seed=0)
    opt = nn.SGD(model.parameters(), lr=0.5)
    history = nn.fit(model, X, y, scheduler=nn.StepLR(opt, 1, 0.5), epochs=3)
    assert history.lr == [0.5, 0.25, 0.125] and opt.steps == 3  # not the default SGD at lr 0.1
    with pytest.raises(ValueError, match="another optimizer"):
        nn.fit(model, X, y, optimizer=nn.SGD(model.parameters(), lr=0.1),
               scheduler=nn.StepLR(nn.SGD(model.parameters(), lr=0.5), 1, 0.5), epochs=1)


@pytest.mark.parametrize("options, words", [
    ({"scheduler": nn.StepLR}, "the class StepLR"),
    ({"scheduler": 0.5}, "scheduler must be a scheduler"),
    ({"stop_below": "0.01"}, "stop_below"),
    ({"early_stopping": 0, "validation": None}, "early_stopping"),
    ({"shuffle": "yes"}, "shuffle"),
    ({"clip_norm": -1.0}, "clip_norm"),
    ({"clip_value": "big"}, "clip_value"),
    ({"progress": "on"}, "progress"),
    ({"epochs": 0}, "epochs"),
    ({"batch_size": 2.5}, "batch_size"),
    ({"seed": "x"}, "seed"),
])
def test_bad_options_are_refused_before_any_training(options, words):
    X, y = moons()
    model = nn.MLP(2, [4, 1], seed=0)
    before = model.state_dict()
    options = dict(options)  # the parameter's own dict stays whole for a second run in the same process
    with pytest.raises((TypeError, ValueError), match=words):
        nn.fit(model, X, y, epochs=options.pop("epochs", 2), **options)
    assert model.state_dict() == before


def test_targets_that_are_an_iterator_get_a_clear_message():
    X, y = moons()
    with pytest.raises(TypeError, match=r"y must be a list.*got a map: make it a list first"):
        nn.fit(nn.MLP(2, [4, 1], seed=0), X, map(float, y), epochs=1)


def test_the_output_count_is_read_from_any_module():
    X, labels = nn.data.spirals(20, classes=3, seed=0)
    layer = nn.Layer(2, 3, activation="softmax", seed=0)
    history = nn.fit(layer, X, labels, loss="cross_entropy", optimizer=nn.SGD(layer.parameters(), lr=0.5), epochs=3)
    assert history.loss[-1] < history.loss[0]
    with pytest.raises(ValueError, match="k = 3 outputs"):
        nn.fit(layer, X, [3] * len(X), loss="cross_entropy", epochs=1)
    one_hot = np.eye(2)[np.array(labels) % 2].tolist()
    nn.fit(nn.Layer(2, 2, activation="linear", seed=0), X, one_hot, loss="mse", epochs=1)
    with pytest.raises(ValueError, match="the model has 2 outputs but each target has 1"):
        nn.fit(nn.Layer(2, 2, activation="linear", seed=0), X, [0.5] * len(X), loss="mse", epochs=1)


# -- copies -------------------------------------------------------------------------------------

@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m))], ids=["deepcopy", "pickle"])
def test_a_copied_model_is_independent_and_trains_as_the_original(duplicate):
    X, y = moons()
    model = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", seed=0, dropout=0.2)
    twin = duplicate(model)
    assert twin.state_dict() == model.state_dict()
    assert twin.layers[0].W is not model.layers[0].W and twin._store is not model._store
    twin.layers[0].neurons[0].w[0].data = 9.0  # the copy's scalar view writes the copy's matrix only
    assert twin.layers[0].W[0, 0] == 9.0 and model.layers[0].W[0, 0] != 9.0
    twin.load_state_dict(model.state_dict())
    h1 = nn.fit(model, X, y, "bce", nn.SGD(model.parameters(), lr=0.5), epochs=10, seed=3)
    h2 = nn.fit(twin, X, y, "bce", nn.SGD(twin.parameters(), lr=0.5), epochs=10, seed=3)
    assert h1.loss == h2.loss and twin.state_dict() == model.state_dict()


def test_keeping_the_best_model_with_deepcopy():
    X, y = moons()
    model = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", seed=0)
    opt = nn.Adam(model.parameters(), lr=0.05)
    best, best_loss = None, math.inf
    for _ in range(5):
        nn.fit(model, X, y, "bce", opt, epochs=5)
        loss = nn.evaluate(model, X, y, "bce")[0]
        if loss < best_loss:
            best, best_loss = copy.deepcopy(model), loss
    nn.fit(model, X, y, "bce", opt, epochs=5)  # the original trains on; the copy does not move
    assert nn.evaluate(best, X, y, "bce")[0] == pytest.approx(best_loss, rel=1e-12)


# -- dead ReLUs (the micrograd lecture's network, trained its way) ----------------------------------

def test_fit_warns_when_every_relu_of_a_hidden_layer_is_dead():
    X = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]  # the lecture's four samples
    y = [1.0, -1.0, -1.0, 1.0]
    model = nn.MLP(3, [4, 4, 1], seed=0)
    for layer in model.layers[:-1]:
        layer.b[:] = -10.0  # every hidden unit below zero for every sample
    with pytest.warns(RuntimeWarning, match=r"hidden layer 0 outputs 0 for every sample \(dead ReLUs\).*leaky_relu"):
        history = nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=0.05), epochs=5)
    assert history.dead_layers == [0, 1] and "dead ReLUs" in history.summary()
    assert history.loss[-1] == history.loss[0]  # stuck: no gradient reaches the weights
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a healthy network: no warning
        healthy = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)
        assert nn.fit(healthy, X, y, loss="mse", optimizer=nn.SGD(healthy.parameters(), lr=0.05), epochs=5).dead_layers == []


def test_the_array_paths_elu_is_exact_near_zero_as_the_engines():
    Z = np.array([[-1e-12, -3e-10, -1e-8, 0.5, -2.0]])
    A, derivative = nn.arrays.ACTIVATIONS["elu"](Z)
    assert A.tolist()[0] == [math.expm1(z) if z <= 0 else z for z in Z[0]]
    assert A.tolist()[0] == [Value(float(z)).elu().data for z in Z[0]]  # bit for bit the scalar engine's
    assert derivative.tolist()[0] == [math.exp(z) if z <= 0 else 1.0 for z in Z[0]]


def test_a_model_with_linear_units_pickles_too():
    """A linear unit's activation was a lambda, which pickle cannot name: MLP(2, [3, 1]) would not pickle."""
    model = nn.MLP(2, [3, 1], seed=0)
    twin = pickle.loads(pickle.dumps(model))
    assert twin.state_dict() == model.state_dict() and nn.predict(twin, [[1.0, 2.0]]) == nn.predict(model, [[1.0, 2.0]])


def test_a_layers_matrix_is_written_into_never_rebound():
    """layer.W = … would cut the matrix off from the parameters (the graphs, the array path and the optimizer
    would disagree); it is refused with what to write instead, and writing into it moves the parameters."""
    model = nn.MLP(2, [3, 1], seed=0)
    layer = model.layers[0]
    for name in ("W", "b", "W_grad", "b_grad"):
        with pytest.raises(AttributeError, match=rf"write into it \(layer.{name}\[:\] = …\)"):
            setattr(layer, name, np.zeros_like(getattr(layer, name)))
    layer.W[:] = 0.25
    assert layer.neurons[0].w[1].data == 0.25 and model([1.0, 1.0]).data == nn.predict(model, [[1.0, 1.0]])[0]
