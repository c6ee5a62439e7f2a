"""fit's shuffling generator (nn/shuffle.py) against the page's (viz/pages/random.js) under Node: the
same numbers and the same shuffles; fit visits the samples in exactly that order; seeds checked."""
import importlib.util
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from chainrule import nn
from chainrule.nn import train as T
from chainrule.nn.shuffle import Mulberry32, shuffler

# found through the installed package (not beside this file: mutation testing runs a copy of tests/nn alone)
RANDOM_JS = Path(importlib.util.find_spec("chainrule.viz").submodule_search_locations[0]) / "pages" / "random.js"
SEEDS = [0, 1, 42, 123456789, 2**31 - 1, 2**31, 2**32 - 1]


def node_run(script: str) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: the comparison with the page's generator needs Node 20 or later")
    program = f"const {{ Mulberry32 }} = require({json.dumps(str(RANDOM_JS))});\n{script}"
    done = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_the_numbers_and_shuffles_equal_the_pages():
    theirs = node_run(f"""
      const out = {{numbers: [], shuffles: []}};
      for (const seed of {json.dumps(SEEDS)}) {{
        const g = new Mulberry32(seed), numbers = [];
        for (let k = 0; k < 2000; k++) numbers.push(g.nextUint32());
        out.numbers.push(numbers);
        const h = new Mulberry32(seed), items = Array.from({{length: 37}}, (_, i) => i), orders = [];
        for (let e = 0; e < 5; e++) orders.push(h.shuffle(items).slice());  // the same list, shuffled again
        for (const n of [1, 2, 3, 200, 5000]) orders.push(h.shuffle(Array.from({{length: n}}, (_, i) => i)));
        out.shuffles.push(orders);
      }}
      process.stdout.write(JSON.stringify(out));""")
    for seed, numbers, shuffles in zip(SEEDS, theirs["numbers"], theirs["shuffles"]):
        g = Mulberry32(seed)
        assert [g.next_uint32() for _ in range(2000)] == numbers, seed
        h, items, orders = Mulberry32(seed), list(range(37)), []
        for _ in range(5):
            h.shuffle(items)
            orders.append(list(items))
        for n in (1, 2, 3, 200, 5000):
            fresh = list(range(n))
            h.shuffle(fresh)
            orders.append(fresh)
        assert orders == shuffles, seed


def test_below_and_random_are_out_times_n_over_2_to_the_32():
    a, b, c = Mulberry32(3), Mulberry32(3), Mulberry32(3)
    for n in (1, 2, 7, 100, 2**21):
        out = a.next_uint32()
        assert b.below(n) == out * n // 2**32 and 0 <= out < 2**32
        assert c.random() == out / 2**32
        a.next_uint32(), b.next_uint32(), c.next_uint32()


UNPATCHED_STEP = T.TrainingStep.__call__


def visited_rows(monkeypatch, **fit_options):
    """The rows of each batch fit trains on, in order."""
    seen = []
    original = UNPATCHED_STEP

    def recording(self, rows=None):
        seen.append(None if rows is None else [int(r) for r in rows])
        return original(self, rows)

    monkeypatch.setattr(T.TrainingStep, "__call__", recording)
    X, y = nn.data.moons(23, seed=1)
    model = nn.MLP(2, [3, 1], output="sigmoid", seed=0)
    nn.fit(model, X, y, loss="bce", epochs=4, **fit_options)
    return seen


def test_fit_visits_the_samples_in_the_generators_order(monkeypatch):
    seen = visited_rows(monkeypatch, batch_size=5, seed=2024)
    g, order, expected = Mulberry32(2024), list(range(23)), []
    for _ in range(4):  # the same list shuffled again each epoch, cut into batches of 5
        g.shuffle(order)
        expected += [order[i:i + 5] for i in range(0, 23, 5)]
    assert seen == expected
    assert visited_rows(monkeypatch, batch_size=5, seed=2024, shuffle=False)[:5] == \
        [list(range(i, min(i + 5, 23))) for i in range(0, 23, 5)]


def test_without_a_seed_fit_draws_one_from_the_library_wide_generator(monkeypatch):
    nn.manual_seed(11)
    first = visited_rows(monkeypatch, batch_size=4)
    nn.manual_seed(11)
    assert visited_rows(monkeypatch, batch_size=4) == first  # manual_seed makes it reproducible
    nn.manual_seed(11)
    state = random.getrandbits(32)  # the seed fit draws first
    assert visited_rows(monkeypatch, batch_size=4, seed=state) == first
    nn.manual_seed(11)
    expected = random.random()
    nn.manual_seed(11)
    visited_rows(monkeypatch)  # full batch: nothing shuffled, nothing drawn
    assert random.random() == expected


@pytest.mark.parametrize("seed, error, message", [
    (-1, ValueError, "fit: seed must be an int from 0 to 4294967295 \\(32 bits"),
    (2**32, ValueError, "fit: seed must be an int from 0 to 4294967295"),
    (1.5, TypeError, "fit: seed must be an int from 0 to 4294967295 \\(or None\\), got 1.5"),
    (True, TypeError, "got True"),
])
def test_seeds_outside_32_bits_are_refused_before_training(seed, error, message):
    X, y = nn.data.xor()
    model = nn.MLP(2, [2, 1], output="sigmoid", seed=0)
    before = model.state_dict()
    with pytest.raises(error, match=message):
        nn.fit(model, X, y, loss="bce", epochs=1, seed=seed)
    assert model.state_dict() == before
    with pytest.raises(error):
        shuffler(seed)
