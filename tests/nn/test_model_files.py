"""Model files: only finite numbers are saved; any file loads or fails with a ValueError naming it, before
anything is built; every file save() writes loads again, whatever initialiser made the model."""
import json
import re

import pytest

from chainrule import nn

HEADER = {"format": "chainrule.state_dict", "version": 1, "model": "MLP"}


def write(path, document=None, text=None):
    path.write_text(text if text is not None else json.dumps({**HEADER, **document}))
    return path


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_model_with_a_non_finite_parameter_refuses_to_save_and_keeps_the_old_file(tmp_path, bad):
    model = nn.MLP(2, [3, 1], seed=1)
    path = model.save(tmp_path / "model.json")
    before = path.read_bytes()
    with pytest.raises(ValueError, match="not finite"):
        model.layers[1].neurons[0].b.data = bad  # a parameter refuses it ...
    model.layers[1].b[0] = bad  # ... but the layer's bias vector (a numpy view) is plain memory
    with pytest.raises(ValueError, match=rf"save: parameter 'layers\.1\.neurons\.0\.b' is {bad}.*"
                                         "model.json was not written"):
        model.save(path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["model.json"]
    with pytest.raises(ValueError, match="was not written"):
        model.save(tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()


@pytest.mark.parametrize("number,what", [
    ("1" * 400, "'layers.0.neurons.0.b' must be a finite number"),  # too large for a float: OverflowError
    ("1e400", "'layers.0.neurons.0.b' must be a finite number"),  # JSON reads it as inf
    ("NaN", "NaN is not a number"),  # what the old save wrote for a NaN parameter
    ("-Infinity", "-Infinity is not a number"),
])
def test_numbers_a_float_cannot_hold_are_refused_naming_the_file(tmp_path, number, what):
    model = nn.MLP(1, [1], seed=1)
    path = model.save(tmp_path / "model.json")
    text = path.read_text()
    bias = json.dumps(model.state_dict()["layers.0.neurons.0.b"])
    write(path, text=text.replace(f'"layers.0.neurons.0.b": {bias}', f'"layers.0.neurons.0.b": {number}'))
    before = model.state_dict()
    for load in (model.load, nn.MLP.from_file):
        with pytest.raises(ValueError, match=rf"load: {re.escape(str(path))}.*{what}"):
            load(path)
    assert model.state_dict() == before


def test_deeply_nested_json_is_a_value_error_naming_the_file(tmp_path):
    path = write(tmp_path / "deep.json", text="[" * 100_000 + "]" * 100_000)
    model = nn.MLP(2, [1])
    before = model.state_dict()
    for load in (model.load, nn.MLP.from_file):
        with pytest.raises(ValueError, match=rf"load: {re.escape(str(path))} nests its JSON too deeply"):
            load(path)
    assert model.state_dict() == before


def test_the_declared_shape_is_checked_against_the_weights_before_anything_is_built(tmp_path, monkeypatch):
    path = write(tmp_path / "small.json", {"config": {"nin": 100_000, "sizes": [3, 1]}, "parameters": {}})
    assert path.stat().st_size < 200

    def build(*args, **kwargs):
        raise AssertionError("built a model before checking the file")
    monkeypatch.setattr(nn.MLP, "__init__", build)
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))} declares MLP\(100000, \[3, 1\]\) "
                                         "with 300007 parameters, but it holds 0"):
        nn.MLP.from_file(path)


def test_parameter_names_must_be_those_of_the_declared_shape(tmp_path):
    state = nn.MLP(2, [1]).state_dict()
    state["layers.0.neurons.0.w.7"] = state.pop("layers.0.neurons.0.w.1")
    path = write(tmp_path / "renamed.json", {"config": {"nin": 2, "sizes": [1]}, "parameters": state})
    with pytest.raises(ValueError, match=r"lacks 1 of the parameters of the MLP\(2, \[1\]\) it declares: "
                                         r"\['layers\.0\.neurons\.0\.w\.1'\]"):
        nn.MLP.from_file(path)


@pytest.mark.parametrize("config,match", [
    ({"nin": 0, "sizes": [1]}, r"nin \(a positive int\) and sizes .* got nin=0, sizes=\[1\]"),
    ({"nin": 2, "sizes": "1"}, r"got nin=2, sizes='1'"),
    ({"nin": 2, "sizes": [True]}, r"got nin=2, sizes=\[True\]"),
    ({"sizes": [1]}, r"got nin=None"),
    ({"nin": 2, "sizes": [1], "activation": "swish"}, "activation: unknown activation 'swish'"),
    ({"nin": 2, "sizes": [1], "output": ["linear"]}, r"output: unknown activation \['linear'\]"),
    ({"nin": 2, "sizes": [1], "seed": [1]}, r"seed must be an int or null, got \[1\]"),
    ({"nin": 2, "sizes": [1], "seed": 1.5}, r"seed must be an int or null, got 1.5"),
    ({"nin": 2, "sizes": [1], "dropout": 1.5}, r"dropout must be a number in \[0, 1\), got 1.5"),
    ({"nin": 2, "sizes": [1], "width": 3}, r"unknown config entries \['width'\]"),
])
def test_a_bad_config_is_a_value_error_naming_the_file(tmp_path, config, match):
    path = write(tmp_path / "bad.json", {"config": config, "parameters": nn.MLP(2, [1]).state_dict()})
    with pytest.raises(ValueError, match=rf"MLP.from_file: {re.escape(str(path))}.*{match}"):
        nn.MLP.from_file(path)


@pytest.mark.parametrize("init", [nn.init.normal(0.1), nn.init.constant(0.5), lambda rng, fan_in, fan_out: 0.25,
                                  "xavier", "he_uniform"])
def test_a_saved_model_always_reloads_whatever_its_initialiser(tmp_path, init):
    model = nn.MLP(3, [4, 2], activation="tanh", output="softmax", init=init, seed=5)
    path = model.save(tmp_path / "model.json")
    rebuilt = nn.MLP.from_file(path)
    assert rebuilt.state_dict() == model.state_dict() and rebuilt.config() == model.config()
    assert [v.data for v in rebuilt([0.1, 0.2, 0.3])] == [v.data for v in model([0.1, 0.2, 0.3])]
    rebuilt.save(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == path.read_text()
