"""Every rich display a learner meets in Jupyter reads in a dark theme as in a light one, and the
History and optimizer displays say what they should: the loss on a log scale with axes, and each
parameter's optimizer state."""
import math
import re

import pytest

from chainrule import engine, gradcheck, nn, viz  # noqa: F401 (viz: Values draw their graphs)
from chainrule.engine import Value, explain

DARK = "#1e1e1e"


def trained():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)
    optimizer = nn.Adam(model.parameters(), lr=0.1)
    return model, optimizer, nn.fit(model, X, y, loss="bce", optimizer=optimizer, epochs=300)


def displays():
    model, optimizer, history = trained()
    x = Value(0.5, label="x")
    y = (x * 2.0).tanh().named("y")
    y.backward()
    return {"Value": x._repr_html_(), "Value with its graph": y._repr_html_(), "MLP": model._repr_html_(),
            "History": history._repr_html_(), "Adam": optimizer._repr_html_(),
            "explain": explain(y, x)._repr_html_(), "gradcheck": gradcheck(lambda a: a * a, [0.5])._repr_html_()}


def test_the_history_curve_has_a_log_scale_axes_and_the_themes_colour():
    _, _, history = trained()
    svg = history._repr_html_()
    assert "log scale" in svg and 'fill="currentColor"' in svg and "stroke=\"currentColor\"" in svg
    ticks = re.findall(r'text-anchor="end">([^<]+)<', svg)
    assert ticks == ["0.0001", "0.001", "0.01", "0.1", "1"]  # decades from the last loss (6.8e-4) to the first (0.67)
    assert re.findall(r'text-anchor="middle">(\d+)<', svg) == ["1", "300"]
    # the curve: one point per epoch, its height the log of the loss
    points = [tuple(map(float, p.split(","))) for p in re.search(r'points="([^"]+)"', svg).group(1).split()]
    assert len(points) == 300
    (_, y0), (_, y1) = points[0], points[-1]
    top, bottom = 10, 170 - 38
    assert y0 == pytest.approx(top + (bottom - top) * (0 - math.log10(history.loss[0])) / 4, abs=0.05)
    assert y1 == pytest.approx(top + (bottom - top) * (0 - math.log10(history.loss[-1])) / 4, abs=0.05)


def test_an_optimizer_shows_its_settings_and_each_parameters_state():
    model, optimizer, _ = trained()
    page = optimizer._repr_html_()
    assert "lr = 0.1" in page and "beta1 = 0.9" in page and "300 steps taken" in page
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)
    assert len(rows) == 12 and "and 5 more" in page  # 17 parameters, 12 shown
    names = [r[0] for r in rows]
    assert names[:3] == ["L1.N0.w0", "L1.N0.w1", "L1.N0.b"]
    assert len(set(names)) == len(names)  # every name says which parameter it is
    for i, (_, value, grad, m, v) in enumerate(rows):
        assert value == engine.fmt(model.parameters()[i].data) and m == engine.fmt(optimizer.m[i])
        assert v == engine.fmt(optimizer.v[i]) and grad == engine.fmt(model.parameters()[i].grad)


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_rich_display_reads_in_a_dark_theme(browser):
    page = browser.new_page()
    try:
        for name, html in displays().items():
            page.set_content(f"<body style='background:{DARK}; color:#dddddd'>{html}</body>")
            # each piece of text, its colour, and the colour actually behind it (the nearest painted
            # background: a Graphviz picture paints its own white page)
            texts = page.evaluate("""() => {
                const rgb = (s) => (s.match(/\\d+(\\.\\d+)?/g) || []).slice(0, 3).map(Number);
                const painted = (el) => {
                  for (let e = el; e; e = e.parentElement) {
                    const bg = getComputedStyle(e).backgroundColor;
                    if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return rgb(bg);
                    if (e.tagName === 'svg' && e.querySelector('polygon[fill="white"]')) return [255, 255, 255];
                  }
                  return [30, 30, 30];
                };
                const out = [];
                for (const el of document.body.querySelectorAll('*')) {
                  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                  if (!own) continue;
                  const style = getComputedStyle(el);
                  const colour = el instanceof SVGElement ? style.fill : style.color;
                  out.push([el.textContent.trim().slice(0, 30), rgb(colour), painted(el)]);
                }
                return out;
            }""")
            assert texts, name
            for text, colour, behind in texts:
                assert contrast(colour, behind) >= 4.5, f"{name}: {text!r} is {colour} on {behind}"
    finally:
        page.close()
