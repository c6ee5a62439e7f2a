"""Each plot is produced from real data, and what it shows comes from the engine."""
import math
import xml.etree.ElementTree as ET

import pytest

from chainrule import nn
from chainrule.viz import plots

PNG = b"\x89PNG\r\n\x1a\n"


def test_activation_derivatives_come_from_backward_and_match_the_formulas():
    for z in [-3.0, -0.5, 0.0, 0.7, 4.0]:
        s, ds = plots.activation_derivative("sigmoid", z)
        assert ds == pytest.approx(s * (1 - s))
        t, dt = plots.activation_derivative("tanh", z)
        assert dt == pytest.approx(1 - t * t)
        assert plots.activation_derivative("relu", z)[1] == (1.0 if z > 0 else 0.0)
        assert plots.activation_derivative("leaky_relu", z, 0.1)[1] == (1.0 if z > 0 else 0.1)
    assert plots.activation_derivative("sigmoid", 0.0)[1] == 0.25  # the maximum the notes quote


def test_every_plot_writes_a_picture(tmp_path):
    X, y = nn.data.moons(40, seed=0)
    model = nn.MLP(2, [8, 1], output="sigmoid", seed=0)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=5,
                     validation=(X[:10], y[:10]))
    written = [
        plots.history(history, tmp_path / "history.png"),
        plots.curves({"a": [3, 2, 1], "b": [3, 1, 0.5]}, tmp_path / "curves.png", log=True),
        plots.decision_boundary(model, X, y, tmp_path / "boundary.png", resolution=20),
        plots.activations(["sigmoid", "relu"], tmp_path / "act.png"),
        plots.layer_gradients({"sigmoid": [1e-6, 1e-3], "relu": [0.1, 0.2]}, tmp_path / "layers.png"),
        plots.gradient_descent([0, 1, 1.5], lambda w: (w - 2) ** 2, [1, 2], [2, 4], tmp_path / "gd.png"),
        plots.images([[i / 64 for i in range(64)]], ["a gradient"], tmp_path / "img.png"),
        plots.confusion([[5, 1], [0, 4]], tmp_path / "cm.png"),
    ]
    for path in written:
        assert path.read_bytes()[:8] == PNG and path.stat().st_size > 1000
    svg = plots.activations(["tanh"], tmp_path / "act.svg").read_text()
    ET.fromstring(svg[svg.index("<svg"):])


def test_plot_errors(tmp_path):
    with pytest.raises(ValueError, match="use .png or .svg"):
        plots.curves({"a": [1]}, tmp_path / "x.jpg")
    with pytest.raises(ValueError, match="2-D inputs"):
        plots.decision_boundary(lambda x: x, [[1.0, 2.0, 3.0]], [0], tmp_path / "b.png")
    assert not any(tmp_path.iterdir())
    assert math.isfinite(plots.activation_derivative("softplus", 30.0)[0])
