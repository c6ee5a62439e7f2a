"""Regenerate the README's pictures: python docs/make_pictures.py (inside .venv)."""
import shutil
import sys
import tempfile
from pathlib import Path


from chainrule import viz  # noqa: E402
from chainrule.demos import micrograd_moons, vanishing_gradient  # noqa: E402
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
print("\n".join(str(p) for p in sorted(here.iterdir())))
