"""chainrule's speed and memory, side by side with other implementations, as ratios from one run.

How it measures (so that a rerun on another machine shows the same ratios):
- every implementation first runs one step from the same weights, and its loss, every gradient
  and every updated parameter must equal the reference's (hand-written numpy, or floats) to
  1e-9 relative; only then is anything timed;
- implementations are interleaved round-robin in one process (A B C A B C …), so that a slow
  moment of the machine hits all of them alike;
- time is CPU time (`time.process_time`) of one step, after warm-up; each row reports the median
  and the spread (the 10th–90th percentile range) and every ratio is a ratio of medians;
- PyTorch runs on one thread and keeps its gradients as tensors inside the timed step; numpy's
  BLAS is held to one thread as well (threadpoolctl), so no row gets a second core;
- the cycle collector runs (untimed) between implementations, so no implementation pays for the
  garbage another left behind; each still pays for the collections its own step triggers.

Workloads (benchmarks/workloads.py): one training step of micrograd's moons demo (MLP
2-16-16-1, 100 samples, hinge + L2, SGD) in every implementation; the array path against
PyTorch and numpy at widths 64 and 256 and batch sizes 10 to 10,000; memory per node and at
the peak of backward; a 1,000,000-node chain; the demos' wall time, each in its own process and all in one;
the playground page in headless Chromium at 1280×800 (training steps and frames per second while it
plays, after checking its numbers against nn.fit).

    python benchmarks/run.py [--quick] [--json results.json] [--markdown speed.md] [--only playground]

This script installs nothing; `make bench` runs it in .venv-bench with micrograd and PyTorch and writes
chainrule-out/bench/; `make bench-docs` writes the tracked benchmarks/results.json and docs/speed.md.
"""
from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workloads as W  # noqa: E402
from chainrule.engine import Value  # noqa: E402

SMALL = ["chainrule nn.fit step", "chainrule fit(epochs=1) calls", "chainrule nn scalar graphs",
         "chainrule Value op by op", "lean slots engine op by op", "micrograd 0.1.0", "lean engine, Value's 7 slots",
         "torch batched (1 thread)",
         "hand-written floats", "numpy by hand"]
ARRAYS = ["chainrule nn.fit step", "torch batched (1 thread)", "numpy by hand"]


def check(impls: dict, weights, X, Y, reference: str) -> None:
    """Raise unless every implementation's loss, gradients and updated parameters equal the reference's."""
    results = {}
    for name, make in impls.items():
        runner = make(weights, X, Y)
        runner.step(X, Y)
        results[name] = runner.result()
    ref = results[reference]
    for name, (loss, grads, params) in results.items():
        compared = (("loss", [loss], [ref[0]]),) if loss is not None else ()  # None: its loss is another one
        for what, mine, theirs in (*compared, ("gradients", grads, ref[1]), ("parameters", params, ref[2])):
            if len(mine) != len(theirs):
                raise SystemExit(f"{name}: {len(mine)} {what}, the reference has {len(theirs)}")
            worst = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(mine, theirs))
            if worst > 1e-9:
                raise SystemExit(f"{name} disagrees with {reference}: {what} differ by {worst:.3g}")


def interleaved(impls: dict, weights, X, Y, rounds: int, per_round: dict[str, int]) -> dict[str, list[float]]:
    """CPU seconds per step for each implementation, measured round-robin.

    Each round runs `per_round[name]` steps of each implementation in turn (a runner keeps training,
    which is what a training loop does); the first round is warm-up and is not kept.
    """
    runners = {name: make(weights, X, Y) for name, make in impls.items()}
    times: dict[str, list[float]] = {name: [] for name in impls}
    for r in range(rounds + 1):
        for name, runner in runners.items():
            gc.collect()
            for _ in range(per_round[name]):
                start = time.process_time()
                runner.step(X, Y)
                elapsed = time.process_time() - start
                if r:
                    times[name].append(elapsed)
    return times


def summary(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=10) if len(times) >= 10 else [min(times)] * 8 + [max(times)]
    return {"median_ms": statistics.median(times) * 1e3, "p10_ms": q[0] * 1e3, "p90_ms": q[-1] * 1e3, "n": len(times)}


def table(rows: dict[str, dict], baseline: str | None, title: str) -> None:
    print(title)
    print(f"  {'implementation':<28} {'median ms':>10} {'p10–p90 ms':>19} {'× ' + baseline if baseline else '':>22}")
    base = rows[baseline]["median_ms"] if baseline in rows else None
    for name, s in rows.items():
        ratio = f"{s['median_ms'] / base:>21.3g}×" if base else ""
        print(f"  {name:<28} {s['median_ms']:>10.4g} {s['p10_ms']:>9.4g}–{s['p90_ms']:<9.4g} {ratio}")
    print()


def moons_step(quick: bool) -> dict:
    X, Y = W.moons()
    weights = W.initial_weights([2, 16, 16, 1])
    impls = W.available(SMALL)
    check(impls, weights, X, Y, "numpy by hand")
    slow = {"micrograd 0.1.0": 1, "chainrule Value op by op": 1, "lean slots engine op by op": 1,
            "lean engine, Value's 7 slots": 1,
            "chainrule nn scalar graphs": 1, "hand-written floats": 1}
    per_round = {name: slow.get(name, 20) for name in impls}
    times = interleaved(impls, weights, X, Y, rounds=3 if quick else 9, per_round=per_round)
    rows = {name: summary(t) for name, t in times.items()}
    nodes = W.graph_nodes(weights, X, Y)
    table(rows, "torch batched (1 thread)" if "torch batched (1 thread)" in rows else "numpy by hand",
          f"One moons training step (MLP 2-16-16-1, 100 samples, hinge + L2, SGD); the scalar graph has {nodes:,} "
          "nodes; every implementation agreed with numpy to 1e-9 (loss, gradients, updated parameters).")
    return {"rows": rows, "graph_nodes": nodes}


def array_path_grid(quick: bool) -> dict:
    results = {}
    widths = [64, 256]
    batches = [10, 100, 1000] if quick else [10, 100, 1000, 10000]
    impls = W.available(ARRAYS)
    for width in widths:
        weights = W.initial_weights([2, width, width, 1])
        for n in batches:
            X, Y = W.moons(n)
            check(impls, weights, X, Y, "numpy by hand")
            steps = max(1, min(50, 2000 // n))
            times = interleaved(impls, weights, X, Y, rounds=3 if quick else 7, per_round={k: steps for k in impls})
            results[f"2-{width}-{width}-1, batch {n}"] = {name: summary(t) for name, t in times.items()}
    print("The array path (nn.fit step) against PyTorch and numpy, median CPU ms per step (ratio to PyTorch):")
    print(f"  {'network, batch':<26} {'chainrule':>10} {'torch':>10} {'numpy':>10} {'chainrule/torch':>16} {'chainrule/numpy':>16}")
    for key, rows in results.items():
        c, n = rows["chainrule nn.fit step"]["median_ms"], rows["numpy by hand"]["median_ms"]
        t = rows.get("torch batched (1 thread)", {}).get("median_ms")
        print(f"  {key:<26} {c:>10.4g} {t if t else float('nan'):>10.4g} {n:>10.4g} "
              f"{(c / t if t else float('nan')):>16.2f} {c / n:>16.2f}")
    print()
    return results


def fit_calls(quick: bool) -> dict:
    """fit called again and again with few epochs, as a notebook does: what a call costs beyond its epochs.

    Per network: one epoch by `fit(epochs=1)` calls against PyTorch's and numpy's step (interleaved, as
    above), and 100 calls of `fit(epochs=1)` against one `fit(epochs=100)`, interleaved round-robin.
    """
    results = {}
    impls = W.available(["chainrule fit(epochs=1) calls", "torch batched (1 thread)", "numpy by hand"])
    for width, n in ([(16, 100), (256, 100)] if quick else [(16, 100), (256, 100), (256, 1000)]):
        weights = W.initial_weights([2, width, width, 1])
        X, Y = W.moons(n)
        check(impls, weights, X, Y, "numpy by hand")
        steps = max(1, min(50, 2000 // n))
        times = interleaved(impls, weights, X, Y, rounds=3 if quick else 7, per_round={k: steps for k in impls})
        row = {name: summary(t) for name, t in times.items()}
        one, hundred = W.ChainruleFitCalls(weights, X, Y), W.ChainruleFitCalls(weights, X, Y)
        calls, whole = [], []
        for r in range(4 if quick else 8):
            gc.collect()
            start = time.process_time()
            for _ in range(100):
                one.step(X, Y)
            elapsed = time.process_time() - start
            gc.collect()
            start = time.process_time()
            W.nn.fit(hundred.model, hundred.X, hundred.Y, loss="hinge", optimizer=hundred.optimizer, epochs=100,
                     l2=W.ALPHA, progress=False)
            if r:  # the first round warms up
                calls.append(elapsed)
                whole.append(time.process_time() - start)
        ratios = sorted(a / b for a, b in zip(calls, whole))
        row["100 calls ÷ one call of 100 epochs"] = {"median": statistics.median(ratios), "min": ratios[0],
                                                     "max": ratios[-1]}
        results[f"2-{width}-{width}-1, {n} samples"] = row
    print("fit(epochs=1) called again and again: one epoch with fit's bookkeeping, median CPU ms (ratios), and 100 "
          "calls of one epoch ÷ one call of 100:")
    for key, row in results.items():
        c, n = row["chainrule fit(epochs=1) calls"]["median_ms"], row["numpy by hand"]["median_ms"]
        t = row.get("torch batched (1 thread)", {}).get("median_ms")
        r = row["100 calls ÷ one call of 100 epochs"]
        print(f"  {key:<26} chainrule {c:.4g} ms, ÷ torch {(c / t if t else float('nan')):.2f}, ÷ numpy {c / n:.2f}; "
              f"100 × fit(1) ÷ fit(100) {r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f})")
    print()
    return results


def memory() -> dict:
    """Bytes per node (tracemalloc) of chains of operations, and the peak of backward over the graph's size.

    "The graph" is every node with its number and its gradient, as it stands after a backward pass;
    the peak is the most memory traced during the next backward pass over it.
    """
    result = {}
    for name, step in [("y = tanh(y)", lambda y, x: y.tanh()), ("y = -y", lambda y, x: -y),
                       ("y = y * x", lambda y, x: y * x), ("y = y + x", lambda y, x: y + x)]:
        n = 100_000
        gc.collect()
        x = Value(0.5)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        y = x
        for _ in range(n):
            y = step(y, x)
        per_node = (tracemalloc.get_traced_memory()[0] - before) / n
        y.backward()  # every node now holds its gradient too
        graph = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.reset_peak()
        y.backward()
        peak = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
        result[name] = {"bytes_per_node": per_node, "backward_peak_over_graph": peak / graph}
        del y
    X, Y = W.moons()
    weights = W.initial_weights([2, 16, 16, 1])
    runner = W.ChainruleNNScalar(weights, X, Y)
    from chainrule import nn

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = nn.loss_graph(runner.model, X, Y, "hinge", l2=W.ALPHA)
    per_node = (tracemalloc.get_traced_memory()[0] - before) / W.graph_nodes(weights, X, Y)
    loss.backward()
    graph = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.reset_peak()
    loss.backward()
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    result["moons scalar graph"] = {"bytes_per_node": per_node, "backward_peak_over_graph": peak / graph}
    print("Memory (tracemalloc): bytes per node as built, and the peak during a backward pass ÷ the graph's own size "
          "(its nodes with their numbers and gradients)")
    for name, r in result.items():
        print(f"  {name:<22} {r['bytes_per_node']:>6.0f} B/node   peak during backward {r['backward_peak_over_graph']:.2f}× the graph")
    print()
    return result


def chain(n: int = 1_000_000) -> dict:
    x = Value(1.0)
    start = time.process_time()
    y = x
    for _ in range(n):
        y = -y
    built = time.process_time() - start
    start = time.process_time()
    y.backward()
    back = time.process_time() - start
    print(f"A {n:,}-node chain: built in {built:.2f} s, backpropagated in {back:.2f} s of CPU ({built + back:.2f} s together)\n")
    return {"build_s": built, "backward_s": back}


def cycle_collector() -> dict:
    """Objects the cycle collector frees after a dropped training graph (0: reference counting freed it all)."""
    X, Y = W.moons()
    weights = W.initial_weights([2, 16, 16, 1])
    found = {}
    for name, runner in [("scalar graphs", W.ChainruleNNScalar), ("array path", W.ChainruleFit)]:
        r = runner(weights, X, Y)
        gc.collect()
        gc.disable()
        try:
            r.step(X, Y)
            found[name] = gc.collect()
        finally:
            gc.enable()
    print("Objects left for the cycle collector after one dropped training step: "
          + ", ".join(f"{k} {v}" for k, v in found.items()) + "\n")
    return found


def demos(rounds: int = 3) -> dict:
    """Wall time of every demo as a user runs it, start-up included: each in its own process
    (`python -m chainrule.demos NAME --quiet`), and all of them in one (`python -m chainrule.demos all --quiet`).
    `rounds` times round-robin (the machine's load varies from second to second); the median counts.

    Returns {"each": {name: median s}, "one_process": median s, "spread": {name: [min, max]}}.
    """
    import tempfile

    from chainrule.demos import DEMOS

    runs: dict[str, list[float]] = {name: [] for name in [*DEMOS, "all"]}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for name in runs:
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "chainrule.demos", name, "--quiet", "--out", f"{tmp}/{name}"],
                               check=True, capture_output=True)
                runs[name].append(time.perf_counter() - start)
    median = {name: statistics.median(times) for name, times in runs.items()}
    spread = {name: [min(times), max(times)] for name, times in runs.items()}
    each = {name: median[name] for name in DEMOS}
    print(f"Demos, median wall seconds of {rounds} runs each in its own process (start-up included): "
          + ", ".join(f"{k} {v:.1f} ({spread[k][0]:.1f}–{spread[k][1]:.1f})" for k, v in each.items())
          + f"; all in one process {median['all']:.1f} s ({spread['all'][0]:.1f}–{spread['all'][1]:.1f}; the separate "
          f"processes add up to {sum(each.values()):.1f} s)\n")
    return {"each": each, "one_process": median["all"], "spread": spread}


def playground(seconds: float = 6.0) -> dict:
    """The playground page (viz.playground) in headless Chromium at 1280×800: MLP 2-16-16-1 on 200 moons, full
    batch, bce, Adam. First its trainer must give nn.fit's losses and parameters after 5 epochs (to 1e-9);
    then it plays for `seconds` of wall time, half as fast as it goes (training steps per second while
    drawing) and half at 60 steps per second (frames per second: each redraws the 100×100 boundary).
    Returns {} (and says why) when Playwright or Chromium is missing."""
    import shutil
    import tempfile

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playground: skipped (no playwright: pip install playwright)\n")
        return {}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("Playground: skipped (no chromium on PATH)\n")
        return {}
    from chainrule import nn, viz

    def problem():
        X, y = nn.data.moons(200, noise=0.15, seed=0)
        model = nn.MLP(2, [16, 16, 1], activation="relu", output="sigmoid", seed=0)
        return model, X, y, nn.Adam(model.parameters(), lr=0.01)

    model, X, y, optimizer = problem()
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = viz.save_playground(model, X, y, Path(tmp) / "playground.html", loss="bce", optimizer=optimizer)
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(path.as_uri())
            page.evaluate("window.playground.step(5)")
            history = nn.fit(model, X, y, loss="bce", optimizer=optimizer, epochs=5)
            for what, mine, theirs in (("losses", page.evaluate("window.playground.losses()"), history.loss),
                                       ("parameters", page.evaluate("window.playground.parameters()"),
                                        [q.data for q in model.parameters()])):
                worst = max(abs(a - b) / max(1e-3, abs(b)) for a, b in zip(mine, theirs))
                if len(mine) != len(theirs) or worst > 1e-9:
                    raise SystemExit(f"playground: the page's {what} differ from nn.fit's by {worst:.3g}")
            rates = {}
            for speed in ("1000", "60"):  # as fast as it goes (half of each frame trains); then 60 steps/s
                page.select_option("#speed", speed)
                before = page.evaluate("window.playground.play(), window.playground.status()")
                start = time.perf_counter()
                page.wait_for_timeout(seconds * 1000 / 2)
                after = page.evaluate("window.playground.status()")
                elapsed = time.perf_counter() - start
                page.evaluate("window.playground.pause()")
                rates[speed] = ((after["steps"] - before["steps"]) / elapsed, (after["frames"] - before["frames"]) / elapsed)
        finally:
            browser.close()
    steps, fast_frames = rates["1000"]
    paced_steps, frames = rates["60"]
    print(f"Playground in headless Chromium at 1280×800 (MLP 2-16-16-1, 200 moons, full batch; its numbers equal "
          f"nn.fit's first): as fast as it goes, {steps:.0f} training steps/s while drawing ({fast_frames:.1f} frames/s); "
          f"at 60 steps/s ({paced_steps:.0f} done), {frames:.1f} frames/s. Each frame redraws the 100×100 boundary and "
          f"the curves; the network and the sample's graph ten times a second\n")
    return {"steps_per_second": steps, "frames_per_second": frames, "frames_per_second_at_full_speed": fast_frames,
            "steps_per_second_at_60": paced_steps}


def targets(results: dict) -> list[str]:
    """The issue's targets, each with the measured ratio and whether it is met."""
    lines = []

    def line(text: str, value: float, limit: float, at_most: bool = True) -> None:
        ok = value <= limit if at_most else value >= limit
        lines.append(f"  [{'met' if ok else 'NOT met'}] {text}: {value:.3g} ({'≤' if at_most else '≥'} {limit:g})")

    if results.get("playground"):
        line("playground: training steps per second while drawing (2-16-16-1, 200 points)",
             results["playground"]["steps_per_second"], 60, False)
        line("playground: frames per second at 60 steps/s (the 100×100 boundary redrawn each)",
             results["playground"]["frames_per_second"], 20, False)
    if "moons" not in results:
        return lines
    rows = results["moons"]["rows"]
    med = {k: v["median_ms"] for k, v in rows.items()}

    fit = med["chainrule nn.fit step"]
    if "torch batched (1 thread)" in med:
        line("nn.fit step ÷ PyTorch batched (moons)", fit / med["torch batched (1 thread)"], 0.5)
    line("nn.fit step ÷ numpy by hand (moons)", fit / med["numpy by hand"], 1.5)
    if "lean slots engine op by op" in med:  # at least as fast as the floor for a Python object per operation
        line("chainrule Value op by op ÷ lean slots engine op by op", med["chainrule Value op by op"]
             / med["lean slots engine op by op"], 1.0)
    seven = med.get("lean engine, Value's 7 slots")
    if seven:  # the same engine with nodes of Value's size: how much of the ratio above is the size alone
        lines.append(f"  [info] lean engine with Value's 7 slots ÷ lean slots engine op by op: "
                     f"{seven / med['lean slots engine op by op']:.3g}; chainrule Value op by op ÷ it: "
                     f"{med['chainrule Value op by op'] / seven:.3g}")
    if "micrograd 0.1.0" in med:
        lines.append(f"  [info] micrograd ÷ chainrule Value op by op: "
                     f"{med['micrograd 0.1.0'] / med['chainrule Value op by op']:.3g} (the 8× target is retired)")
        line("micrograd ÷ chainrule nn scalar graphs", med["micrograd 0.1.0"] / med["chainrule nn scalar graphs"], 20, False)
    for key, row in results.get("fit_calls", {}).items():
        calls = row["chainrule fit(epochs=1) calls"]["median_ms"]
        if key.startswith("2-16-16-1"):
            line(f"{key}: fit(epochs=1) calls ÷ numpy by hand", calls / row["numpy by hand"]["median_ms"], 1.5)
        else:
            line(f"{key}: 100 × fit(epochs=1) ÷ fit(epochs=100)", row["100 calls ÷ one call of 100 epochs"]["median"], 1.3)
            if "torch batched (1 thread)" in row:
                line(f"{key}: fit(epochs=1) calls ÷ PyTorch", calls / row["torch batched (1 thread)"]["median_ms"], 1.2)
    for key, grid in results.get("grid", {}).items():
        if "torch batched (1 thread)" in grid:
            n = int(key.rsplit(" ", 1)[1])
            ratio = grid["chainrule nn.fit step"]["median_ms"] / grid["torch batched (1 thread)"]["median_ms"]
            line(f"{key}: nn.fit step ÷ PyTorch", ratio, 1.0 if n <= 1000 else 1.2)
    for name, r in results.get("memory", {}).items():
        if name.startswith("y ="):
            line(f"bytes per node, {name}", r["bytes_per_node"], 200)
        line(f"peak of backward ÷ graph, {name}", r["backward_peak_over_graph"], 1.5)
    if "chain" in results:
        line("1,000,000-node chain, build + backward (s)", results["chain"]["build_s"] + results["chain"]["backward_s"], 5)
    if "demos" in results:
        each = results["demos"]["each"]
        for name, seconds in each.items():
            line(f"demo {name} (wall s, its own process)", seconds, 3)
        line("all demos (one process: chainrule demo all, wall s)", results["demos"]["one_process"], 15)
        # not a target: fourteen processes pay fourteen start-ups, which alone take most of 15 s
        lines.append(f"  [info] all demos, each in its own process, added up (wall s): {sum(each.values()):.3g}")
    return lines


def markdown(results: dict) -> str:
    """The run as the page docs/speed.md: the machine, every table, the targets."""
    lines = ["# Speed and memory", "",
             "Generated by `make bench` (benchmarks/run.py) from one run; the method is in that file's docstring:",
             "every implementation is checked against the reference (loss, every gradient, every updated",
             "parameter, to 1e-9) before it is timed; implementations are interleaved round-robin in one process;",
             "times are CPU time (`time.process_time`), medians with the 10th–90th percentile spread; PyTorch and",
             "numpy's BLAS run on one thread. Ratios, not milliseconds, are what carry over to another machine.",
             "", f"Machine: {results['machine']}.", ""]
    moons = results["moons"]
    lines += [f"## One moons training step (MLP 2-16-16-1, 100 samples, hinge + L2, SGD; the scalar graph has "
              f"{moons['graph_nodes']:,} nodes)", "",
              "| implementation | median ms | p10–p90 ms | × faster than micrograd | ÷ PyTorch batched |",
              "|---|---|---|---|---|"]
    rows = moons["rows"]
    micro = rows.get("micrograd 0.1.0", {}).get("median_ms")
    torch = rows.get("torch batched (1 thread)", {}).get("median_ms")
    for name, r in rows.items():
        m = r["median_ms"]
        lines.append(f"| {name} | {m:.4g} | {r['p10_ms']:.4g}–{r['p90_ms']:.4g} | "
                     f"{f'{micro / m:.3g}' if micro else '—'} | {f'{m / torch:.3g}' if torch else '—'} |")
    lines += ["", "## The array path against PyTorch and numpy (median ms; ratios to PyTorch and to numpy)", "",
              "| network, batch | chainrule | PyTorch | numpy | ÷ PyTorch | ÷ numpy |", "|---|---|---|---|---|---|"]
    for key, rows in results.get("grid", {}).items():
        c, n = rows["chainrule nn.fit step"]["median_ms"], rows["numpy by hand"]["median_ms"]
        t = rows.get("torch batched (1 thread)", {}).get("median_ms")
        lines.append(f"| {key} | {c:.4g} | {t if t else float('nan'):.4g} | {n:.4g} | "
                     f"{(c / t if t else float('nan')):.2f} | {c / n:.2f} |")
    if "fit_calls" in results:
        lines += ["", "## fit called again and again (one epoch a call, with fit's bookkeeping)", "",
                  "| network, samples | fit(epochs=1) ms | ÷ PyTorch step | ÷ numpy step | 100 × fit(1) ÷ fit(100) |",
                  "|---|---|---|---|---|"]
        for key, row in results["fit_calls"].items():
            c, n = row["chainrule fit(epochs=1) calls"]["median_ms"], row["numpy by hand"]["median_ms"]
            t = row.get("torch batched (1 thread)", {}).get("median_ms")
            r = row["100 calls ÷ one call of 100 epochs"]
            lines.append(f"| {key} | {c:.4g} | {(c / t if t else float('nan')):.2f} | {c / n:.2f} | "
                         f"{r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f}) |")
    if "memory" in results:
        lines += ["", "## Memory (tracemalloc)", "", "| graph | bytes per node | peak of backward ÷ the graph |",
                  "|---|---|---|"]
        lines += [f"| {k} | {r['bytes_per_node']:.0f} | {r['backward_peak_over_graph']:.2f} |"
                  for k, r in results["memory"].items()]
    if "chain" in results:
        c = results["chain"]
        lines += ["", f"A 1,000,000-node chain: built in {c['build_s']:.2f} s and backpropagated in "
                      f"{c['backward_s']:.2f} s of CPU."]
    if "cycle_collector" in results:
        lines += ["", "Objects left for the cycle collector after a dropped training step: "
                  + ", ".join(f"{k} {v}" for k, v in results["cycle_collector"].items()) + "."]
    if "demos" in results:
        each, spread = results["demos"]["each"], results["demos"].get("spread", {})

        def span(name: str) -> str:
            return f"{spread[name][0]:.1f}–{spread[name][1]:.1f}" if name in spread else ""

        lines += ["", "## Demos (wall seconds, start-up included; median and range of the runs)", "",
                  "| demo | median s | range |", "|---|---|---|"]
        lines += [f"| {k} (its own process) | {v:.1f} | {span(k)} |" for k, v in each.items()]
        lines += [f"| **all, in one process** (`chainrule demo all`) | {results['demos']['one_process']:.1f} | {span('all')} |",
                  f"| all, each in its own process, added up | {sum(each.values()):.1f} | |"]
    if results.get("playground"):
        pg = results["playground"]
        lines += ["", "## The playground page (headless Chromium, 1280×800)", "",
                  f"MLP 2-16-16-1 on 200 moons, full batch, after its numbers were checked against nn.fit: as fast as "
                  f"it goes, {pg['steps_per_second']:.0f} training steps per second while drawing "
                  f"({pg['frames_per_second_at_full_speed']:.1f} frames per second); at 60 steps per second, "
                  f"{pg['frames_per_second']:.1f} frames per second. Each frame redraws the 100×100 boundary and the "
                  "curves, the network and one sample's graph ten times a second."]
    lines += ["", "## Against the targets", "", "```", *[line.strip() for line in results["targets"]], "```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="chainrule benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer rounds; skip the 10,000-sample batches, memory, chain and demos")
    # the tracked benchmarks/results.json and docs/speed.md are written only when named (make bench-docs)
    parser.add_argument("--json", type=Path, default=Path("chainrule-out/bench/results.json"),
                        help="where to write the results (default chainrule-out/bench/results.json)")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="also write the results as a page (make bench-docs: docs/speed.md)")
    parser.add_argument("--only", choices=["playground"], help="run only this row (its numbers are printed, nothing written)")
    args = parser.parse_args(argv)
    if args.only == "playground":
        found = {"playground": playground()}
        print("\n".join(targets(found)))
        return 0
    import numpy
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # numpy's BLAS on one thread, as PyTorch is
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, numpy {numpy.__version__}"
    try:
        import torch

        machine += f", torch {torch.__version__}"
    except ImportError:
        pass
    print(f"Machine: {machine}\n")
    results: dict = {"machine": machine, "moons": moons_step(args.quick), "grid": array_path_grid(args.quick),
                     "fit_calls": fit_calls(args.quick)}
    if not args.quick:
        results["memory"] = memory()
        results["chain"] = chain()
        results["cycle_collector"] = cycle_collector()
        results["demos"] = demos()
    results["playground"] = playground(3.0 if args.quick else 6.0)
    results["targets"] = targets(results)
    print("Targets:")
    print("\n".join(results["targets"]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))
    print(f"\nwrote {args.json}")
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(results), encoding="utf-8")
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
