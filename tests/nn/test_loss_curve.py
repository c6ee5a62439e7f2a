"""History's small loss curve (its notebook display), read as a reader reads a chart: the axes, each
tick where its label says, each epoch's point at its loss between the ticks, the caption under the
plot; on a log scale when every loss is positive, else on a linear one. And the summary's lines."""
import math
import re
import xml.etree.ElementTree as ET


from chainrule import nn

SVG = "{http://www.w3.org/2000/svg}"


def read_chart(history):
    html = history._repr_html_()
    summary, svg = html.split("</pre>", 1)
    assert summary == "<pre>" + history.summary()
    root = ET.fromstring(svg)
    assert all(not (element.tail or "").strip() for element in root)  # nothing written between the elements
    path = root.find(f"{SVG}path")
    left, top, bottom, right = map(float, re.fullmatch(r"M(\d+),(\d+) V(\d+) H(\d+)", path.get("d")).groups())
    assert path.get("stroke-opacity") == "0.6" and path.get("fill") == "none"
    lines, texts = root.findall(f"{SVG}line"), root.findall(f"{SVG}text")
    marks = [(float(l.get("x1")), float(l.get("x2")), float(l.get("y1")), float(l.get("y2"))) for l in lines]
    labels = [(float(t.get("x")), float(t.get("y")), t.get("text-anchor"), t.text) for t in texts]
    points = [tuple(map(float, p.split(","))) for p in root.find(f"{SVG}polyline").get("points").split()]
    size = (root.get("width"), root.get("height"))
    return dict(box=(left, top, right, bottom), marks=marks, labels=labels, points=points, size=size)


def check_layout(chart, ticks, epochs):
    """Value ticks: a 4-px mark left of the axis, its label 2 px further, 4 px below the mark's line;
    epoch ticks: a 4-px mark below the axis under the first and last point, the label 16 px below it;
    the caption centred under the plot, 4 px above the bottom edge."""
    left, top, right, bottom = chart["box"]
    assert chart["size"] == ("360", "170") and (left, top, right, bottom) == (52, 10, 348, 132)
    value_marks, epoch_marks = chart["marks"][:len(ticks)], chart["marks"][len(ticks):]
    for (x1, x2, y1, y2), (tx, ty, anchor, text), (label, y) in zip(value_marks, chart["labels"], ticks):
        assert (x1, x2, y1, y2) == (left - 4, left, y, y) and (tx, ty, anchor, text) == (left - 6, y + 4, "end", label)
    first_x, last_x = chart["points"][0][0], chart["points"][-1][0]
    assert epoch_marks == [(first_x, first_x, bottom, bottom + 4), (last_x, last_x, bottom, bottom + 4)][:len(epochs)]
    epoch_labels = chart["labels"][len(ticks):len(ticks) + len(epochs)]
    assert epoch_labels == [(x, bottom + 16, "middle", str(e)) for x, e in zip((first_x, last_x), epochs)]
    caption = chart["labels"][-1]
    assert caption[:3] == ((left + 360 - 12) / 2, 170 - 4, "middle")
    return caption[3]


def test_a_loss_falling_by_decades_is_drawn_on_a_log_scale():
    chart = read_chart(nn.History(loss=[1.0, 0.1, 0.01]))
    # three decades: 0.01 at the bottom of the plot, 1 at its top, 0.1 half-way
    caption = check_layout(chart, [("0.01", 132.0), ("0.1", 71.0), ("1", 10.0)], [1, 3])
    assert chart["points"] == [(52.0, 10.0), (200.0, 71.0), (348.0, 132.0)]  # each point on its loss's tick
    assert caption == "epoch · training loss (log scale): 1 → 0.01"


def test_points_between_ticks_sit_at_their_logarithm():
    losses = [0.5, 0.3, 0.2, 0.05]
    chart = read_chart(nn.History(loss=losses))
    # log10 from −1.30 to −0.30: whole decades 0.01 … 1 around them
    check_layout(chart, [("0.01", 132.0), ("0.1", 71.0), ("1", 10.0)], [1, 4])
    xs = [52 + 296 * i / 3 for i in range(4)]
    ys = [10 + 122 * (0 - math.log10(v)) / 2 for v in losses]
    assert chart["points"] == [(round(x, 1), round(y, 1)) for x, y in zip(xs, ys)]


def test_a_constant_positive_loss_gets_one_decade_above_it():
    chart = read_chart(nn.History(loss=[1.0, 1.0]))
    check_layout(chart, [("1", 132.0), ("10", 10.0)], [1, 2])
    assert chart["points"] == [(52.0, 132.0), (348.0, 132.0)]


def test_a_loss_that_reaches_zero_or_below_is_drawn_on_a_linear_scale():
    chart = read_chart(nn.History(loss=[-2.0, 0.0, 1.0]))  # an L2-free custom loss can be negative
    caption = check_layout(chart, [("-2", 132.0), ("-0.5", 71.0), ("1", 10.0)], [1, 3])
    assert chart["points"] == [(52.0, 132.0), (200.0, round(10 + 122 * 1 / 3, 1)), (348.0, 10.0)]
    assert caption == "epoch · training loss: -2 → 1"
    zero = read_chart(nn.History(loss=[0.5, 0.0]))
    check_layout(zero, [("0", 132.0), ("0.25", 71.0), ("0.5", 10.0)], [1, 2])
    flat = read_chart(nn.History(loss=[0.0, 0.0]))  # nothing to span: every tick and point at the top
    check_layout(flat, [("0", 10.0), ("0", 10.0), ("0", 10.0)], [1, 2])
    assert flat["points"] == [(52.0, 10.0), (348.0, 10.0)]


def test_no_curve_for_fewer_than_two_epochs_or_a_non_finite_loss():
    for loss in ([1.0], [1.0, math.inf], [math.nan, 1.0]):
        history = nn.History(loss=loss)
        assert history._repr_html_() == f"<pre>{history.summary()}</pre>"


def test_the_summary_gives_first_and_last_and_every_dead_layer():
    history = nn.History(loss=[1.0, 0.5, 0.25], accuracy=[0.25, 1.0, 0.5], dead_layers=[0, 2])
    assert history.summary() == ("History: 3 epochs; loss 1 → 0.25\n  accuracy 25.0% → 50.0%\n"
                                 "  dead ReLUs: every unit of hidden layer 0, 2 gives 0 for every sample")

    class Printer:
        def __init__(self):
            self.written = []

        def text(self, s):
            self.written.append(s)
    history._repr_pretty_(printer := Printer(), False)
    assert printer.written == [history.summary()]
