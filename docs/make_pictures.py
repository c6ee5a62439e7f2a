"""Regenerate the README's pictures: python docs/make_pictures.py (inside .venv)."""
import shutil
import tempfile
from pathlib import Path


from chainrule import viz  # noqa: E402
from chainrule.demos import micrograd_moons, playground, vanishing_gradient  # noqa: E402
from chainrule.demos.common import Narrator  # noqa: E402
from chainrule.demos.two_neuron import build  # noqa: E402

here = Path(__file__).resolve().parent / "pictures"
here.mkdir(exist_ok=True)
net = build()
net.E.backward()
viz.render(net.E, here / "two_neuron_graph.png", contributions=True, legend=False)
with tempfile.TemporaryDirectory() as tmp:
    quiet = Narrator(quiet=True)
    vanishing_gradient.run(Path(tmp), say=quiet)
    shutil.copy(Path(tmp) / "layer_gradients.png", here / "layer_gradients.png")
    micrograd_moons.run(Path(tmp), say=quiet)
    shutil.copy(Path(tmp) / "boundary.png", here / "moons_boundary.png")
    # the playground after 150 steps, at a laptop's size, in Debian's chromium (as the page tests run it)
    from playwright.sync_api import sync_playwright

    page_path = playground.moons_playground().save(Path(tmp) / "playground.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(page_path.as_uri())
        page.evaluate("() => window.playground.step(150)")
        page.wait_for_timeout(500)
        page.screenshot(path=str(here / "playground.png"))
        browser.close()
print("\n".join(str(p) for p in sorted(here.iterdir())))
