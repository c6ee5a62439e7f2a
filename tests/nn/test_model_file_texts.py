"""Model files as a reader sees them: the JSON written one entry a line, every refusal of a save or a load
word for word (each naming the file), and long values cut to a readable length at exactly 60 characters."""
import json

import pytest

from chainrule import nn
from chainrule.nn.model_files import _short


@pytest.fixture
def saved(tmp_path):
    model = nn.MLP(1, [1], seed=0)
    path = model.save(tmp_path / "m.json")
    return model, path, json.loads(path.read_text(encoding="utf-8"))


def variant(tmp_path, document, change):
    changed = json.loads(json.dumps(document))
    change(changed)
    path = tmp_path / "v.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    return path


def test_the_file_is_json_written_one_entry_a_line(saved):
    model, path, document = saved
    assert path.read_text(encoding="utf-8") == json.dumps(
        {"format": "chainrule.state_dict", "version": 1, "model": "MLP", "config": model.config(),
         "parameters": model.state_dict()}, indent=1)


CHANGES = [
    (lambda d: d["config"].update(zz=1, aa=2),
     "{p} has unknown config entries ['aa', 'zz']; an MLP's are nin, sizes, activation, output, init, seed, dropout"),
    (lambda d: d["config"].update(sizes=[]),
     "{p}: its config needs nin (a positive int) and sizes (a non-empty list of positive ints), got nin=1, sizes=[]"),
    (lambda d: d["config"].update(sizes=3),
     "{p}: its config needs nin (a positive int) and sizes (a non-empty list of positive ints), got nin=1, sizes=3"),
    (lambda d: d["config"].update(activation="softmax"),
     "{p}: activation: unknown activation 'softmax'; choose one of linear, sigmoid, tanh, relu, leaky_relu, elu, gelu"),
    (lambda d: d["config"].update(output="bad"),
     "{p}: output: unknown activation 'bad'; choose one of linear, sigmoid, tanh, relu, leaky_relu, elu, gelu, softmax"),
    (lambda d: d["config"].update(dropout=1), "{p}: dropout must be a number in [0, 1), got 1"),
    (lambda d: d["config"].update(dropout=True), "{p}: dropout must be a number in [0, 1), got True"),
    (lambda d: d["config"].update(seed=1.5), "{p}: seed must be an int or null, got 1.5"),
    (lambda d: d.update(parameters={"x0": 0.0, "x1": 0.0}),
     "{p} lacks 2 of the parameters of the MLP(1, [1]) it declares: ['layers.0.neurons.0.b', 'layers.0.neurons.0.w.0']"),
    (lambda d: d.update(model="Other"), "{p} holds a model of class Other, not MLP"),
]


@pytest.mark.parametrize("change,message", CHANGES, ids=[m[:30] for _, m in CHANGES])
def test_each_refused_config_word_for_word(saved, tmp_path, change, message):
    _, _, document = saved
    path = variant(tmp_path, document, change)
    with pytest.raises(ValueError) as info:
        nn.MLP.from_file(path)
    assert str(info.value) == "MLP.from_file: " + message.format(p=path)


MISSING = [  # (sizes, parameters in the file, the end of the message): three names are shown whole, more elided
    ([2], {f"x{i}": 0.0 for i in range(4)},
     "lacks 4 of the parameters of the MLP(1, [2]) it declares: "
     "['layers.0.neurons.0.b', 'layers.0.neurons.0.w.0', 'layers.0.neurons.1.b'] …"),
    ([1, 1], {**{f"x{i}": 0.0 for i in range(3)}, "layers.0.neurons.0.w.0": 0.0},
     "lacks 3 of the parameters of the MLP(1, [1, 1]) it declares: "
     "['layers.0.neurons.0.b', 'layers.1.neurons.0.b', 'layers.1.neurons.0.w.0']"),
]


@pytest.mark.parametrize("sizes,parameters,message", MISSING, ids=["four elided", "three shown"])
def test_missing_names_three_shown_more_elided(saved, tmp_path, sizes, parameters, message):
    _, _, document = saved

    def missing(d):
        d["config"]["sizes"] = sizes
        d["parameters"] = parameters
    path = variant(tmp_path, document, missing)
    with pytest.raises(ValueError) as info:
        nn.MLP.from_file(path)
    assert str(info.value) == f"MLP.from_file: {path} {message}"


def test_a_saved_initialiser_that_is_not_a_name_reads_as_custom(saved, tmp_path):
    model, _, document = saved
    back = nn.MLP.from_file(variant(tmp_path, document, lambda d: d["config"].update(init=None)))
    assert back.config()["init"] == "custom" and back.state_dict() == model.state_dict()
    assert nn.MLP.from_file(variant(tmp_path, document, lambda d: d["config"].update(init="he"))).config()["init"] == "he"


def test_load_and_save_refusals_word_for_word(tmp_path):
    path = tmp_path / "u.json"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError) as info:
        nn.MLP.from_file(path)
    assert str(info.value) == f"load: {path} is not a text (UTF-8) file, so not a chainrule model file"
    model = nn.MLP(1, [1], seed=0)
    document = json.loads(model.save(tmp_path / "m.json").read_text(encoding="utf-8"))
    document["parameters"]["layers.0.neurons.0.b"] = "x" * 70
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        nn.MLP.from_file(bad)
    assert str(info.value) == (f"load: {bad}: parameter 'layers.0.neurons.0.b' must be a finite number, got "
                               f"'{'x' * 56}…")
    model.layers[0].W[:] = float("nan")
    with pytest.raises(ValueError) as info:
        model.save(tmp_path / "n.json")
    assert str(info.value) == (f"save: parameter 'layers.0.neurons.0.w.0' is nan, and a model file holds finite numbers "
                               f"only; {tmp_path / 'n.json'} was not written. Reload a good file, or train again with a "
                               "smaller learning rate")


def test_long_values_are_cut_at_sixty_characters():
    assert _short("x" * 58) == repr("x" * 58)  # 60 characters with its quotes: kept whole
    assert _short("x" * 59) == repr("x" * 59)[:57] + "…"  # 61: cut to 57 and an ellipsis
    assert len(_short(10 ** 400)) == 58


def test_a_dropout_that_is_text_is_refused_by_name(saved, tmp_path):
    _, _, document = saved
    path = variant(tmp_path, document, lambda d: d["config"].update(dropout="0.5"))
    with pytest.raises(ValueError) as info:
        nn.MLP.from_file(path)
    assert str(info.value) == f"MLP.from_file: {path}: dropout must be a number in [0, 1), got '0.5'"
