"""The README's code runs as printed: every `>>>` example, with the output it shows."""
import doctest
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
