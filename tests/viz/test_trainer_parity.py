"""The playground's trainer (viz/pages/trainer.js) against nn.fit: after 50 epochs every training loss
History.loss records and every parameter equal fit's to 1e-9 (relative, or 1e-12 absolute), for every
optimizer × hidden activation × loss that fits the output, full batch and mini-batches — under Node
here, and in Chromium in test_playground.py, through the page's own trainer."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from . import parity_cases as P

RUNNER = Path(__file__).parents[1] / "js" / "run_trainer.js"


@pytest.fixture(scope="module")
def grid():
    """Each case: (name, the page's spec, fit's losses, fit's parameters), computed once."""
    return [(case, *P.case(*case)) for case in P.CASES]


def run_in_node(specs):
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: the trainer's parity under Node needs Node 20 or later")
    done = subprocess.run([node, str(RUNNER)], input=json.dumps([{"spec": s, "epochs": P.EPOCHS} for s in specs]),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_node_trains_as_fit_for_every_optimizer_activation_and_loss(grid):
    results = run_in_node([spec for _, spec, _, _ in grid])
    worst = []
    for (case, spec, losses, params), got in zip(grid, results):
        assert "error" not in got, (case, got.get("error"))
        assert len(got["losses"]) == P.EPOCHS
        worst.append((max(P.worst_difference(got["losses"], losses), P.worst_difference(got["parameters"], params)), case))
    assert max(worst)[0] <= 1, sorted(worst, reverse=True)[:5]
    assert len(grid) == 3 * 5 * 4 * 2 + len(P.EXTRA)


def test_a_chaotic_run_differs_as_much_as_fit_differs_from_itself():
    """RMSProp at η = 0.01 on a tanh network, full batch: nn.fit itself, started from weights one ulp
    apart, ends 1e-7 apart; the page ends within the same distance of fit (no closer than the run's own
    sensitivity allows: numpy's matrix products round a multiply-add once, its exp and tanh differ from
    the browser's in the last bit for some numbers)."""
    case = ("tanh", "mse", "rmsprop", None)
    spec, losses, params = P.case(*case, lr=0.01)
    _, _, nudged = P.case(*case, nudge=True, lr=0.01)
    itself = P.worst_difference(nudged, params)
    assert itself > 10  # fit, one ulp away, is over 10× the tolerance away after 50 epochs: chaotic
    (got,) = run_in_node([spec])
    assert P.worst_difference(got["parameters"], params) <= 100 * itself
