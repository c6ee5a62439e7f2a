"""What a notebook shows of a model and an optimizer: tables read back cell by cell against the objects'
own numbers (each parameter's value, gradient and optimizer state after a step worked out by hand)."""
import re
from html import unescape

import pytest

from chainrule import nn
from chainrule.engine import fmt
from chainrule.engine.formatting import short_scope


class Printer:
    def __init__(self):
        self.written = []

    def text(self, s):
        self.written.append(s)


def cells(html):
    """The table's caption and its rows of cells, as text."""
    caption = unescape(re.sub("<[^>]+>", "", re.search("<caption[^>]*>(.*?)</caption>", html).group(1)))
    rows = [[unescape(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", html)]
    return caption, rows


def test_a_model_shows_its_parts_and_their_parameter_counts():
    model = nn.MLP(2, [3, 1], seed=0)
    caption, rows = cells(model._repr_html_())
    assert caption == "MLP: 13 parameters"  # (2 + 1)·3 + (3 + 1)·1
    assert rows == [["part", "what", "parameters"], ["layers.0", "Layer(2, 3, activation='relu')", "9"],
                    ["layers.1", "Layer(3, 1, activation='linear')", "4"]]
    assert "text-align:right'>9</td>" in model._repr_html_()
    model.eval()
    assert cells(model._repr_html_())[0] == "MLP: 13 parameters (evaluation mode)"
    model._repr_pretty_(printer := Printer(), False)
    assert printer.written == ["MLP(2, [3, 1], activation='relu', output='linear') with 13 parameters\n"
                               "  layers.0: Layer(2, 3, activation='relu') (9 parameters)\n"
                               "  layers.1: Layer(3, 1, activation='linear') (4 parameters)"]
    big = nn.MLP(40, [30, 1], seed=0)
    assert cells(big._repr_html_())[0] == "MLP: 1,261 parameters" and big.summary_rows()[0][2] == 1230


def test_a_model_with_dropout_lists_its_dropout_modules_too():
    model = nn.MLP(2, [3, 3, 1], dropout=0.5, seed=0)
    assert [name for name, _, _ in model.summary_rows()] == ["layers.0", "layers.1", "layers.2", "dropout.0",
                                                             "dropout.1"]
    assert model.summary_rows()[3] == ("dropout.0", "Dropout(p=0.5)", 0)
    layer = nn.Layer(2, 2, activation="tanh", seed=0)
    assert [name for name, _, _ in layer.summary_rows()] == ["neurons.0", "neurons.1"]


def test_an_optimizer_shows_its_settings_and_each_parameters_numbers_after_a_step():
    model = nn.MLP(1, [2, 1], activation="tanh", seed=0)
    opt = nn.Adam(model.parameters(), lr=0.01)
    for p, g in zip(model.parameters(), (0.5, -1.0, 0.25, 2.0, -0.5, 1.0, 0.125)):
        p.grad = g
    theta = [p.data for p in model.parameters()]
    opt.step()
    caption, rows = cells(opt._repr_html_(rows=3))
    assert caption == "Adam: lr = 0.01, weight_decay = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-08; 1 step taken"
    assert rows[0] == ["parameter", "value", "grad", "m", "v"]
    grads = (0.5, -1.0, 0.25)
    names = ["L1.N0.w0", "L1.N0.b", "L1.N1.w0"]
    for row, name, g, p, t in zip(rows[1:4], names, grads, model.parameters(), theta):
        m, v = 0.1 * g, 0.001 * g * g  # one step of Adam's moments from 0
        step = 0.01 * (m / 0.1) / ((v / 0.001) ** 0.5 + 1e-8)  # bias-corrected: ≈ lr·sign(g)
        assert p.data == pytest.approx(t - step, rel=1e-12)
        assert row == [name, fmt(p.data), fmt(g), fmt(m), fmt(v)]
    assert rows[4] == ["… and 4 more"] and "colspan='5'" in opt._repr_html_(rows=3)
    assert len(cells(opt._repr_html_())[1]) == 1 + 7  # 12 rows by default: all seven, nothing more
    opt._repr_pretty_(printer := Printer(), False)
    assert printer.written == [repr(opt)] == [
        "Adam(7 parameters, lr=0.01, weight_decay=0, beta1=0.9, beta2=0.999, eps=1e-08; 1 step taken)"]


def test_parameters_outside_a_model_are_shown_by_label_or_position():
    from chainrule.engine import Value

    a, b = Value(0.5, label="a"), Value(-2.0)
    opt = nn.SGD([a, b], lr=0.1, momentum=0.9)
    caption, rows = cells(opt._repr_html_())
    assert caption == "SGD: lr = 0.1, weight_decay = 0, momentum = 0.9; 0 steps taken"
    assert rows == [["parameter", "value", "grad", "velocity"], ["a", "0.5", "0", "0"], ["θ1", "-2", "0", "0"]]


def test_an_optimizer_shows_twelve_parameters_by_default_and_says_how_many_more():
    model = nn.MLP(2, [3, 1], seed=0)  # 13 parameters
    opt = nn.SGD(model.parameters(), lr=0.1)
    caption, rows = cells(opt._repr_html_())
    assert len(rows) == 1 + 12 + 1 and rows[-1] == ["… and 1 more"]
    theta = [p.data for p in model.parameters()]
    names = [short_scope(p.scope) + "." + p.label for p in model.parameters()]  # L1.N0.w0: the names pictures use
    assert rows[1:13] == [[n, fmt(t), "0", "0"] for n, t in zip(names[:12], theta)]
    html = opt._repr_html_(rows=13)
    assert "more" not in html and html.count("<tr>") == 14
    assert html.startswith("<table><caption style='text-align:left'><b>SGD</b>: lr = 0.1, weight_decay = 0, momentum = 0; "
                           "0 steps taken</caption><tr><th>parameter</th><th>value</th><th>grad</th><th>velocity</th></tr>"
                           f"<tr><td>L1.N0.w0</td><td>{fmt(theta[0])}</td><td>0</td><td>0</td></tr>")
    model.parameters()[0].label = ""  # a scoped parameter without a label: by its position
    assert cells(opt._repr_html_())[1][1][0] == "L1.N0.θ0"


def test_an_update_step_shows_in_ipython_as_printed():
    w = nn.parameters.Parameter(nn.parameters.ParameterStore(1), 0)
    assert w.label == "" and w.setting is None and repr(w) == "Value(data=0.0, grad=0.0, op='param')"
    w.grad = 1.0
    (step,) = nn.SGD([w], lr=0.5).plan()
    step._repr_pretty_(printer := Printer(), False)
    assert printer.written == [str(step)] == ["step 1/1: θ0 ← θ0 − η·g = 0 − 0.5 × 1 = -0.5"]


def test_a_small_optimizers_table_in_full():
    from chainrule.engine import Value

    a, b = Value.parameter(0.5, "a"), Value.parameter(-2.0, "b")
    assert nn.SGD([a, b], lr=0.1)._repr_html_() == (
        "<table><caption style='text-align:left'><b>SGD</b>: lr = 0.1, weight_decay = 0, momentum = 0; 0 steps taken"
        "</caption><tr><th>parameter</th><th>value</th><th>grad</th><th>velocity</th></tr><tr><td>a</td><td>0.5</td>"
        "<td>0</td><td>0</td></tr><tr><td>b</td><td>-2</td><td>0</td><td>0</td></tr></table>")
