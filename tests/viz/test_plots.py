"""Each plot is drawn from real data, and what it shows comes from the engine.

The tests read the data a figure draws (lines, points, colours, limits, legend place), not its pixels.
"""
import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from chainrule import nn
from chainrule.viz import plots

PNG = b"\x89PNG\r\n\x1a\n"


def legend_is_off_the_axes(fig):
    """Every figure legend lies outside every axes with data (so it cannot cover any)."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_window_extent(renderer) for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert fig.legends, "the figure has no legend"
    return all(not legend.get_window_extent(renderer).overlaps(box) for legend in fig.legends for box in boxes)


def rgb(colour):
    return tuple(round(c, 3) for c in to_rgb(colour))


def test_activation_derivatives_come_from_backward_and_match_the_formulas():
    for z in [-3.0, -0.5, 0.0, 0.7, 4.0]:
        s, ds = plots.activation_derivative("sigmoid", z)
        assert ds == pytest.approx(s * (1 - s))
        t, dt = plots.activation_derivative("tanh", z)
        assert dt == pytest.approx(1 - t * t)
        assert plots.activation_derivative("relu", z)[1] == (1.0 if z > 0 else 0.0)
        assert plots.activation_derivative("leaky_relu", z, 0.1)[1] == (1.0 if z > 0 else 0.1)
    assert plots.activation_derivative("sigmoid", 0.0)[1] == 0.25  # the maximum the notes quote


def test_plots_return_figures_and_write_only_when_given_a_path(tmp_path):
    fig = plots.curves({"a": [3, 2, 1]})
    assert isinstance(fig, Figure) and not any(tmp_path.iterdir())
    assert fig._repr_png_()[:8] == PNG  # a notebook shows it inline, without pyplot
    written = plots.save(fig, tmp_path / "curves.png")
    assert written.read_bytes()[:8] == PNG and [p.name for p in tmp_path.iterdir()] == ["curves.png"]
    plots.curves({"a": [3, 2, 1]}, tmp_path / "direct.svg")
    svg = (tmp_path / "direct.svg").read_text()
    ET.fromstring(svg[svg.index("<svg"):])


def test_every_plot_draws_from_real_data(tmp_path):
    X, y = nn.data.moons(40, seed=0)
    model = nn.MLP(2, [8, 1], output="sigmoid", seed=0)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=5,
                     validation=(X[:10], y[:10]))
    figures = [
        plots.history(history),
        plots.curves({"a": [3, 2, 1], "b": [3, 1, 0.5]}, log=True),
        plots.decision_boundary(lambda grid: nn.predict(model, grid), X, y, resolution=20),
        plots.activations(["sigmoid", "relu"]),
        plots.layer_gradients({"sigmoid": [1e-6, 1e-3], "relu": [0.1, 0.2]}),
        plots.gradient_descent([0, 1, 1.5], lambda w: (w - 2) ** 2, [1, 2], [2, 4]),
        plots.plateau([1.0, 0.8, 0.9, 0.85, 0.7], [0.3, 0.3, 0.3, 0.15, 0.15], [3]),
        plots.clipping({"a": [1.0, 0.5]}, {"a": [5.0, 0.5]}, 1.0),
    ]
    assert legend_is_off_the_axes(figures[0]) and legend_is_off_the_axes(figures[5])  # beside and below the panels
    train, validation = figures[0].axes[0].get_lines()
    assert list(train.get_ydata()) == history.loss and list(validation.get_ydata()) == history.val_loss
    assert plots.images([[i / 64 for i in range(64)]], ["a gradient"]).axes[0].get_images()
    assert plots.confusion([[5, 1], [0, 4]]).axes[0].texts[1].get_text() == "1"


def test_decision_boundary_predicts_once_and_colours_points_and_regions_alike():
    X = [[-1.0, 0.3], [-0.5, -0.2], [0.4, 0.1], [1.0, -0.6]]
    y = [-1.0, -1.0, 1.0, 1.0]  # the class is the sign of x₁
    calls = []

    def score(grid):
        calls.append(len(grid))
        return [p[0] for p in grid]

    fig = plots.decision_boundary(score, X, y, threshold=0.0, resolution=30)
    assert calls == [900]  # the whole grid in one call
    ax = fig.axes[0]
    shade = ax.collections[0]
    cmap, norm = shade.get_cmap(), shade.norm
    points = {c.get_label(): c for c in ax.collections if c.get_label().startswith("class")}
    assert set(points) == {"class −1", "class +1"}
    for label, v in (("class −1", -1.0), ("class +1", 1.0)):
        point_colour = rgb(points[label].get_facecolor()[0])
        assert point_colour == rgb(plots.PALETTE[0] if v < 0 else plots.PALETTE[1])
        for x in (p for p, t in zip(X, y) if t == v):  # the region under each point shades towards its class
            region = np.array(cmap(norm(score([x])[0]))[:3])
            others = np.array(to_rgb(plots.PALETTE[1] if v < 0 else plots.PALETTE[0]))
            assert np.linalg.norm(region - np.array(point_colour)) < np.linalg.norm(region - others)
    assert min(cmap(norm(0.0))[:3]) > 0.99  # the threshold itself is white: undecided
    boundary = [c for c in ax.collections[1:] if not c.get_label().startswith("class")][0]
    assert list(boundary.levels) == [0.0]
    assert legend_is_off_the_axes(fig)
    assert ax.get_xlim()[0] < -1.0 and ax.get_xlim()[1] > 1.0  # every point inside the frame


def test_decision_boundary_draws_extra_lines_where_they_are_zero():
    fig = plots.decision_boundary(lambda grid: [p[0] for p in grid], [[0, 0], [1, 1]], [0, 1], resolution=20,
                                  lines=[(1.0, 0.0, -0.25)], lines_label="a hidden unit's line")
    ax = fig.axes[0]
    contours = [c for c in ax.collections if hasattr(c, "levels") and list(c.levels) in ([0.5], [0.0])]
    assert [list(c.levels) for c in contours] == [[0.5], [0.0]]  # the boundary, then the extra line
    xs = np.concatenate([path.vertices[:, 0] for path in contours[1].get_paths()])
    assert np.allclose(xs, 0.25)  # x₁ − 0.25 = 0
    assert "a hidden unit's line" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_a_model_that_never_decides_shows_no_boundary_and_says_so():
    fig = plots.decision_boundary(lambda grid: [0.5] * len(grid), [[0, 0], [1, 1]], [0, 1], resolution=10)
    assert "no boundary" in fig.axes[0].get_title() and "0.5 everywhere" in fig.axes[0].get_title()


def test_decision_boundary_of_several_outputs_colours_each_class_as_its_points():
    X, y = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [0, 1, 2]
    fig = plots.decision_boundary(lambda grid: [[-p[0] - p[1], p[0], p[1]] for p in grid], X, y, resolution=20)
    ax = fig.axes[0]
    regions = ax.collections[0].get_cmap()
    for i, name in enumerate(["class 0", "class 1", "class 2"]):
        dots = [c for c in ax.collections if c.get_label() == name][0]
        assert rgb(dots.get_facecolor()[0]) == rgb(regions(i)) == rgb(plots.PALETTE[i])


def test_decision_boundaries_side_by_side_share_one_colour_bar_when_they_share_a_scale():
    X, y = [[0.0, 0.0], [1.0, 1.0]], [0, 1]
    probability = (lambda grid: [0.2 + 0.6 * p[0] for p in grid], X, y, "a")
    also = (lambda grid: [0.8 - 0.6 * p[1] for p in grid], X, y, "b")
    fig = plots.decision_boundaries([probability, also], resolution=10, title="two models")
    panels = [ax for ax in fig.axes if ax.get_title() in ("a", "b")]
    assert len(panels) == 2 and len(fig.axes) == 3  # two panels and one colour bar for both
    assert fig.get_suptitle() == "two models" and len(fig.legends) == 1
    score = (lambda grid: [5.0 * p[0] - 2.5 for p in grid], X, y, "c")  # not a probability: a scale of its own
    fig = plots.decision_boundaries([probability, score], resolution=10, threshold=0.5)
    assert len(fig.axes) == 4  # a bar beside each panel
    for bad in ([], (probability,), [probability[:3]]):
        with pytest.raises(ValueError, match="decision_boundaries"):
            plots.decision_boundaries(bad)


def test_curves_side_by_side_share_the_y_scale_and_one_legend():
    fig = plots.curves_side_by_side({"easy": {"sgd": [1.0, 0.5], "adam": [1.0, 0.1]},
                                     "hard": {"sgd": [9.0, 8.0], "adam": [9.0, 0.2]}}, log=True, title="t")
    left, right = fig.axes
    assert [left.get_title(), right.get_title()] == ["easy", "hard"] and fig.get_suptitle() == "t"
    assert left.get_ylim() == right.get_ylim() and left.get_yscale() == "log"  # one scale: honest comparison
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["sgd", "adam"]
    assert [line.get_color() for line in left.lines] == [line.get_color() for line in right.lines]
    with pytest.raises(ValueError, match="curves_side_by_side"):
        plots.curves_side_by_side({})


def test_activations_draw_the_slope_they_name():
    fig = plots.activations(["leaky_relu"], negative_slope=0.01)
    ax = fig.axes[0]
    assert "0.01" in ax.get_title()
    g, slope = ax.get_lines()[2:4]  # after the two axis lines: g(z), then g′(z)
    z = np.asarray(slope.get_xdata())
    assert set(np.asarray(slope.get_ydata())[z < 0]) == {0.01}
    assert np.asarray(g.get_ydata())[0] == pytest.approx(0.01 * z[0])


def test_iterate_labels_share_a_place_and_never_crowd():
    ws = [0.0, 4.0, 0.0, 4.0, 0.0, 4.0]  # the notes' η = 0.4: w jumps between 0 and 4
    labels = plots.iterate_labels(ws, [10.0] * 6, (-0.5, 4.5), (0, 17))
    assert [t for t, _, _ in labels] == ["w0, w2, w4", "w1, w3, w5"]
    ws = [0.0, 1.0, 1.5, 1.75, 1.875, 1.9375]
    labels = plots.iterate_labels(ws, [(w - 2) ** 2 * 2.5 for w in ws], (-0.5, 4.5), (-1, 17))
    places = [((x + 0.5) / 5, (j + 1) / 18) for _, x, j in labels]
    assert labels[0][0] == "w0" and all(math.dist(a, b) >= 0.07 for i, a in enumerate(places) for b in places[:i])
    fig = plots.gradient_descent(ws, lambda w: 2.5 * (w - 2) ** 2, [1, 2], [2, 4])
    ax = fig.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for text in ax.texts:
        x, j = text.xy
        assert x0 <= x <= x1 and y0 <= j <= y1
        assert text.get_horizontalalignment() == ("right" if x > (x0 + x1) / 2 else "left")  # leans inwards


def test_plateau_marks_each_cut_between_epochs_and_the_stretch_that_caused_it():
    watched, lr = [1.0, 0.8, 0.9, 0.85, 0.82, 0.7], [0.3, 0.3, 0.3, 0.3, 0.15, 0.15]
    fig = plots.plateau(watched, lr, [4])
    top, bottom = fig.axes
    assert list(top.get_lines()[0].get_ydata()) == watched and list(bottom.get_lines()[0].get_ydata()) == lr
    cut = [line for line in top.get_lines() if line.get_label() == "η cut"][0]
    assert list(cut.get_xdata()) == [4.5, 4.5]  # after epoch 4, before epoch 5
    stretch = top.patches[0]
    assert (stretch.get_x(), stretch.get_x() + stretch.get_width()) == (2, 4.5)  # from the best (epoch 2) to the cut


def test_clipping_draws_the_norms_and_the_threshold():
    fig = plots.clipping({"no clipping": [1.0, 5.0], "clip": [1.0, 0.5]}, {"no clipping": [9.0, 40.0], "clip": [8.0, 2.0]},
                         1.0)
    loss, norm = fig.axes
    assert [list(line.get_ydata()) for line in norm.get_lines()[:2]] == [[9.0, 40.0], [8.0, 2.0]]
    assert list(norm.get_lines()[2].get_ydata()) == [1.0, 1.0] and norm.get_yscale() == "log"
    assert norm.get_ylim()[1] >= 40.0


def test_plot_errors(tmp_path):
    with pytest.raises(ValueError, match="use .png or .svg"):
        plots.curves({"a": [1]}, tmp_path / "x.jpg")
    with pytest.raises(ValueError, match="2-D inputs"):
        plots.decision_boundary(lambda grid: grid, [[1.0, 2.0, 3.0]], [0], tmp_path / "b.png")
    with pytest.raises(ValueError, match="returned 3 outputs for 4 points"):
        plots.decision_boundary(lambda grid: [0.0] * 3, [[0, 0], [1, 1]], [0, 1], resolution=2)
    with pytest.raises(ValueError, match="one output separates two classes"):
        plots.decision_boundary(lambda grid: [0.0] * len(grid), [[0, 0], [1, 1], [2, 2]], [0, 1, 2], resolution=2)
    with pytest.raises(TypeError, match="lambda grid: nn.predict"):
        plots.decision_boundary(nn.MLP(2, [1]), [[0, 0], [1, 1]], [0, 1])
    assert not any(tmp_path.iterdir())
    assert math.isfinite(plots.activation_derivative("softplus", 30.0)[0])


def test_importing_chainrule_and_the_demos_does_not_import_matplotlib_or_sklearn():
    code = ("import sys, chainrule, chainrule.demos, chainrule.viz.plots\n"
            "from chainrule.demos import DEMOS\n"
            "import importlib\n"
            "for module, _ in DEMOS.values(): importlib.import_module(module)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'sklearn'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_gradient_descent_draws_each_distinct_line_once_in_colours_told_apart():
    ws = [0.0, 4.0] * 5  # the notes' η = 0.4: w jumps 0 ↔ 4
    fig = plots.gradient_descent(ws, lambda w: 5 * (w - 2) ** 2 - 10, [1.0, 2.0], [2.0, 4.0], title="η = 0.4")
    right = fig.axes[1]
    lines = [ln for ln in right.get_lines() if ln.get_label() != "data"]
    assert [ln.get_label() for ln in lines] == ["w0, w2, w4, … = 0", "w1, w3, w5, … = 4"]
    colours = [ln.get_color() for ln in lines]
    assert colours[0] != colours[1]
    many = plots.gradient_descent([2 - 2 * 0.5 ** k for k in range(12)], lambda w: (w - 2) ** 2, [1.0], [2.0])
    labels = [ln.get_label() for ln in many.axes[1].get_lines()]
    assert labels[:2] == ["w0 = 0", "w1 = 1"] and labels[-1] == "(5 lines in between not drawn)"
