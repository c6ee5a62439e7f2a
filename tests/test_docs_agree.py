"""The README, the notebooks' README and the package index's page agree with the repository: eleven
lessons, fifteen demos; the page for the index runs as printed."""
import doctest
import re
from pathlib import Path

from chainrule.demos import DEMOS

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = {10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen"}


def test_every_page_counts_the_lessons_and_the_demos_right():
    lessons, demos = NUMBERS[len(list((ROOT / "notebooks").glob("*.ipynb")))], NUMBERS[len(DEMOS)]
    assert (lessons, demos) == ("eleven", "fifteen")
    readme, index_page, notebooks = (" ".join((ROOT / page).read_text(encoding="utf-8").split())  # one line each
                                     for page in ("README.md", "docs/pypi.md", "notebooks/README.md"))
    assert f"{demos} demos and {lessons} notebooks" in readme and f"the course as {lessons} lessons" in readme
    assert f"{demos} demos and {lessons} lessons" in index_page and f"copies the {lessons} lessons" in index_page
    assert notebooks.startswith(f"# The course as notebooks {lessons.capitalize()} lessons:")
    for page in (readme, index_page, notebooks):  # no other count of lessons anywhere
        counts = re.findall(r"\b(ten|eleven|twelve) (?:lessons|notebooks)\b", page, flags=re.IGNORECASE)
        assert {c.lower() for c in counts} <= {lessons}, counts


def test_the_index_page_runs_as_printed():
    text = "\n".join("" if line.startswith("```") else line
                     for line in (ROOT / "docs" / "pypi.md").read_text(encoding="utf-8").splitlines())
    test = doctest.DocTestParser().get_doctest(text, {}, "docs/pypi.md", str(ROOT / "docs" / "pypi.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 6 and result.failed == 0
