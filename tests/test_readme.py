"""The README's code runs as printed: every `>>>` example, with the output it shows; and the picture it
draws adds up."""
import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_examples_run_as_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write graph.svg, backprop.html and xor.json
    # a code fence ends an example's expected output, as a blank line does for doctest
    text = "\n".join("" if line.startswith("```") else line for line in README.read_text(encoding="utf-8").splitlines())
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 20
    assert result.failed == 0, f"{result.failed} README examples print something else (see the report above)"
    assert_the_picture_adds_up(tmp_path / "graph.svg")


def assert_the_picture_adds_up(svg: Path) -> None:
    """Each weighted sum in the two-neuron graph the README draws equals w·x + b of the numbers shown beside it
    (drawn after an update but before a new forward pass, it showed w1 0.1496 beside z1 0.415)."""
    texts = re.findall(r">([^<>]+)</text>", svg.read_text(encoding="utf-8"))
    shown = {label: float(texts[i + 1].removeprefix("data ")) for i, label in enumerate(texts[:-1])
             if label in ("x1", "w1", "b1", "z1", "a1", "w2", "b2", "z2") and texts[i + 1].startswith("data ")}
    assert len(shown) == 8, shown
    assert abs(shown["w1"] * shown["x1"] + shown["b1"] - shown["z1"]) < 1e-3, shown
    assert abs(shown["w2"] * shown["a1"] + shown["b2"] - shown["z2"]) < 1e-3, shown
