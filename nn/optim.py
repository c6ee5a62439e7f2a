"""Optimizers: each `step()` moves every parameter using its `.grad`; `zero_grad()` clears them.

Update rules (g = ∂L/∂θ, plus weight_decay·θ when weight decay is on; t counts steps from 1):

  SGD            θ ← θ − η g
  momentum       v ← μ v + g;          θ ← θ − η v       (PyTorch's form; the notes'
                 v_t = γ v_{t−1} + η ∇L, θ ← θ − v_t is the same with v_notes = η v)
  Nesterov       v ← μ v + g;          θ ← θ − η (g + μ v)
  RMSProp        s ← ρ s + (1 − ρ) g²; θ ← θ − η g / (√s + ε)
  Adam           m ← β₁ m + (1 − β₁) g;  s ← β₂ s + (1 − β₂) g²;
                 m̂ = m / (1 − β₁ᵗ);  ŝ = s / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√ŝ + ε)

Each optimizer writes its rule once, in `rule(θ, g, state, t)`, in the notes' symbols. The
arithmetic is the same for one number and for an array of them, so the one rule updates every
parameter at once on arrays (θ, g and the state in the order of `params`), and a test applies it
to each parameter's numbers alone and finds the same result. Where the arrays come from is
`numbers_of(params)` (nn/parameters.py): a model's own buffers for `model.parameters()`, or
numbers gathered from any list of Values. A step that would make any parameter infinite or NaN
raises and changes nothing: parameters and state stay as they were.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy as np

from chainrule.engine import Value, fmt
from chainrule.engine.checks import as_number, describe, positive
from chainrule.engine.formatting import short_scope, signed

from .parameters import Numbers, numbers_of


class Optimizer:
    """Holds the parameters and the learning rate `lr` (schedules change `lr`)."""

    STATE: tuple[str, ...] = ()  # names of the per-parameter state arrays

    def __init__(self, parameters: Iterable[Value], lr: float, weight_decay: float = 0.0) -> None:
        name = type(self).__name__
        if isinstance(parameters, Value) or not isinstance(parameters, Iterable):
            raise TypeError(f"{name}: expected a list of parameters (model.parameters()), got {describe(parameters)}")
        self.params = list(parameters)
        if not self.params:
            raise ValueError(f"{name}: got no parameters to optimise. A module's parameters are the Values made "
                             "with Value.parameter(x) and those of nn's layers; a Value(x) of one's own is an input, "
                             "not trained")
        bad = [p for p in self.params if not isinstance(p, Value)]
        if bad:
            raise TypeError(f"{name}: parameters must be Values, got {describe(bad[0])}")
        self.lr = positive(lr, f"{name}: lr")
        self.weight_decay = _at_least_zero(weight_decay, f"{name}: weight_decay")
        self.steps = 0
        self.numbers: Numbers = numbers_of(self.params)  # θ and g as arrays, in the order of params
        for key in self.STATE:
            setattr(self, key, np.zeros(len(self.params)))

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients add up over backward calls)."""
        self.numbers.set_grads(np.zeros(len(self.params)))

    def values_and_grads(self) -> tuple[np.ndarray, np.ndarray]:
        """θ and g as arrays in the order of `params` (the model's own buffers when they can be)."""
        return self.numbers.values(), self.numbers.grads()

    def step(self) -> None:
        """Apply the update rule to every parameter once; on a non-finite result nothing changes."""
        theta, g, new_theta, new_state = self._next("step")
        self._commit(new_state)
        self.numbers.set_values(new_theta)

    def step_steps(self) -> Iterator[UpdateStep]:
        """The same update, one parameter at a time, for stepping through in a REPL: each
        `UpdateStep` shows the old value, the gradient, the optimizer's state and the new value
        (`print(step)`), and is applied when it is yielded. Abandoned half-way, the parameters
        already moved are put back and the optimizer's state is left as it was."""
        theta, g, new_theta, new_state = self._next("step_steps")
        steps = self._update_steps(theta, g, new_theta, new_state)  # numbers copied out before any write
        finished = False
        try:
            for step in steps:
                step.parameter.data = step.after
                yield step
            self._commit(new_state)
            finished = True
        finally:
            if not finished:  # abandoned half-way: every parameter as it was (one not yet moved already is)
                for step in steps:
                    step.parameter.data = step.before

    def plan(self) -> list[UpdateStep]:
        """The next step, parameter by parameter, worked out and not applied (for a page that shows it)."""
        return self._update_steps(*self._next("plan"))

    def _update_steps(self, theta: np.ndarray, g: np.ndarray, new_theta: np.ndarray,
                      new_state: dict[str, np.ndarray]) -> list[UpdateStep]:
        old, new, grads, t = theta.tolist(), new_theta.tolist(), g.tolist(), self.steps + 1
        return [UpdateStep(i + 1, len(self.params), p, old[i], grads[i], new[i],
                           self.explain_update(i, old[i], grads[i], new_state, new[i], t))
                for i, p in enumerate(self.params)]

    def _next(self, where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """θ, g (with weight decay), and the new θ and state the rule gives; checked, nothing written.

        θ may be the model's own buffer (a view): copy it before writing the new values over it.
        """
        theta, grads = self.values_and_grads()
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is caught just below, by name
            g = grads + self.weight_decay * theta if self.weight_decay else grads
            state = {key: getattr(self, key) for key in self.STATE}
            new_theta, new_state = self.rule(theta, g, state, self.steps + 1)
        if not np.isfinite(new_theta).all():  # a non-finite gradient makes a non-finite update too
            where = f"{type(self).__name__}.{where}"
            _require_finite(grads, self.params, f"{where}: the gradient of {{}} is non-finite",
                            "call backward() on a finite loss first")
            _require_finite(new_theta, self.params, f"{where}: the update would make {{}} non-finite",
                            f"lower the learning rate (lr={self.lr:g}) or clip the gradients; nothing was changed")
        return theta, g, new_theta, new_state

    def _commit(self, new_state: dict[str, np.ndarray]) -> None:
        self.steps += 1
        for key, value in new_state.items():
            setattr(self, key, value)

    def explain_update(self, i: int, old: float, g: float, state: dict[str, np.ndarray], new: float, t: int) -> str:
        """The update of parameter i written out with its numbers (each optimizer writes its rule)."""
        return f"θ ← {fmt(new)}"

    def rule(self, theta: Any, g: Any, state: dict[str, Any], t: int) -> tuple[Any, dict[str, Any]]:
        """The update rule: (new θ, new state) from θ, g, the state and the step number t, for one
        parameter's numbers or for arrays of them alike; changes nothing itself."""
        raise NotImplementedError  # every optimizer defines its rule

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self, rows: int = 12) -> str:
        """Jupyter: the settings, then each parameter's value, gradient and state (the first `rows`)."""
        from html import escape

        settings = ", ".join(f"{k} = {v:g}" for k, v in self.settings().items())
        theta, g = self.values_and_grads()
        head = "".join(f"<th>{escape(h)}</th>" for h in ("parameter", "value", "grad", *self.STATE))
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in (
                _full_name(p, i), fmt(float(theta[i])), fmt(float(g[i])),
                *(fmt(float(getattr(self, key)[i])) for key in self.STATE))) + "</tr>"
            for i, p in enumerate(self.params[:rows]))
        more = (f"<tr><td colspan='{3 + len(self.STATE)}'>… and {len(self.params) - rows} more</td></tr>"
                if len(self.params) > rows else "")
        return (f"<table><caption style='text-align:left'><b>{escape(type(self).__name__)}</b>: {escape(settings)}; "
                f"{self._taken()}</caption><tr>{head}</tr>{body}{more}</table>")

    def _taken(self) -> str:
        return f"{self.steps} step taken" if self.steps == 1 else f"{self.steps} steps taken"

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v:g}" for k, v in self.settings().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings}; {self._taken()})"

    def settings(self) -> dict[str, float]:
        return {"lr": self.lr, "weight_decay": self.weight_decay}


@dataclass(frozen=True)
class UpdateStep:
    """One parameter's update: `print(step)` writes the rule with the numbers."""

    index: int  # 1-based
    total: int
    parameter: Value
    before: float
    grad: float
    after: float
    text: str

    def __str__(self) -> str:
        return f"step {self.index}/{self.total}: {self.text}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _name(p: Value, i: int) -> str:
    return p.label or f"θ{i}"


def _full_name(p: Value, i: int) -> str:
    """The label with the module that holds it, as the pictures write it: L1.N3.w1 (three w1's are three names)."""
    return f"{short_scope(p.scope)}.{_name(p, i)}" if p.scope else _name(p, i)


def _require_finite(numbers: np.ndarray, params: list[Value], what: str, advice: str) -> None:
    """Refuse the first non-finite number, naming its parameter in `what` ("… {} is non-finite")."""
    if not np.isfinite(numbers).all():
        i = int(np.flatnonzero(~np.isfinite(numbers))[0])
        raise OverflowError(f"{what.format(describe(params[i]))} ({numbers[i]}); {advice}")


def _at_least_zero(x: float, where: str) -> float:
    x = as_number(x, where)
    if x < 0:
        raise ValueError(f"{where} must be ≥ 0, got {x}")
    return x


def _fraction(x: float, where: str) -> float:
    x = as_number(x, where)
    if not 0 <= x < 1:
        raise ValueError(f"{where} must be in [0, 1), got {x}")
    return x


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum μ (and Nesterov's look-ahead)."""

    STATE = ("velocity",)

    def __init__(self, parameters: Iterable[Value], lr: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__(parameters, lr, weight_decay)
        self.momentum = _fraction(momentum, "SGD: momentum")
        if nesterov and not self.momentum:
            raise ValueError("SGD: nesterov=True needs a momentum > 0")
        self.nesterov = bool(nesterov)

    def rule(self, theta, g, state, t):
        """θ ← θ − η g;  with momentum μ: v ← μ v + g, θ ← θ − η v (Nesterov: θ ← θ − η (g + μ v))."""
        if not self.momentum:
            return theta - self.lr * g, {}
        v = self.momentum * state["velocity"] + g
        step = g + self.momentum * v if self.nesterov else v
        return theta - self.lr * step, {"velocity": v}

    def settings(self) -> dict[str, float]:
        return {**super().settings(), "momentum": self.momentum}

    def explain_update(self, i, old, g, state, new, t):
        w, lr = _full_name(self.params[i], i), fmt(self.lr)
        if not self.momentum:
            return f"{w} ← {w} − η·g = {fmt(old)} − {lr} × {signed(g)} = {fmt(new)}"
        v = float(state["velocity"][i])
        head = (f"v ← μ·v + g = {fmt(self.momentum)} × {signed(float(self.velocity[i]))} + {signed(g)} = {fmt(v)};  ")
        if self.nesterov:
            return head + f"{w} ← {w} − η·(g + μ·v) = {fmt(old)} − {lr} × ({signed(g)} + {fmt(self.momentum)} × {signed(v)}) = {fmt(new)}"
        return head + f"{w} ← {w} − η·v = {fmt(old)} − {lr} × {signed(v)} = {fmt(new)}"


class RMSProp(Optimizer):
    """Divide each step by a running root-mean-square of that parameter's gradients."""

    STATE = ("square_avg",)

    def __init__(self, parameters: Iterable[Value], lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(parameters, lr, weight_decay)
        self.rho = _fraction(rho, "RMSProp: rho")
        self.eps = positive(eps, "RMSProp: eps")

    def rule(self, theta, g, state, t):
        """s ← ρ s + (1 − ρ) g²;  θ ← θ − η g / (√s + ε)."""
        s = self.rho * state["square_avg"] + (1 - self.rho) * g * g
        return theta - self.lr * g / (np.sqrt(s) + self.eps), {"square_avg": s}

    def settings(self) -> dict[str, float]:
        return {**super().settings(), "rho": self.rho, "eps": self.eps}

    def explain_update(self, i, old, g, state, new, t):
        w, s = _full_name(self.params[i], i), float(state["square_avg"][i])
        return (f"s ← ρ·s + (1 − ρ)·g² = {fmt(self.rho)} × {fmt(float(self.square_avg[i]))} + {fmt(1 - self.rho)} × {signed(g)}² "
                f"= {fmt(s)};  {w} ← {w} − η·g/(√s + ε) = {fmt(old)} − {fmt(self.lr)} × {signed(g)} / {fmt(math.sqrt(s) + self.eps)} "
                f"= {fmt(new)}")


class Adam(Optimizer):
    """Momentum plus RMSProp-style scaling, with bias correction.

    Default lr = 3e-4, as the notes recommend ("a good default"); PyTorch's default is 1e-3.
    """

    STATE = ("m", "v")

    def __init__(self, parameters: Iterable[Value], lr: float = 3e-4, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(parameters, lr, weight_decay)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (β₁, β₂), got {betas!r}")
        self.beta1 = _fraction(betas[0], "Adam: betas[0]")
        self.beta2 = _fraction(betas[1], "Adam: betas[1]")
        self.eps = positive(eps, "Adam: eps")

    def rule(self, theta, g, state, t):
        """m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  θ ← θ − η m̂ / (√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)."""
        b1, b2 = self.beta1, self.beta2
        m = b1 * state["m"] + (1 - b1) * g
        v = b2 * state["v"] + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        return theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps), {"m": m, "v": v}

    def settings(self) -> dict[str, float]:
        return {**super().settings(), "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def explain_update(self, i, old, g, state, new, t):
        w = _full_name(self.params[i], i)
        m, v = float(state["m"][i]), float(state["v"][i])
        m_hat, v_hat = m / (1 - self.beta1**t), v / (1 - self.beta2**t)
        return (f"m ← β₁·m + (1 − β₁)·g = {fmt(m)};  v ← β₂·v + (1 − β₂)·g² = {fmt(v)};  "
                f"m̂ = m/(1 − β₁^{t}) = {fmt(m_hat)};  v̂ = v/(1 − β₂^{t}) = {fmt(v_hat)};  "
                f"{w} ← {w} − η·m̂/(√v̂ + ε) = {fmt(old)} − {fmt(self.lr)} × {signed(m_hat)} / {fmt(math.sqrt(v_hat) + self.eps)} "
                f"= {fmt(new)}")


def clip_grad_norm(parameters: Iterable[Value], max_norm: float) -> float:
    """Scale all gradients down together so that their joint L2 norm ‖g‖ is at most max_norm:
    g ← g · max_norm/‖g‖ when ‖g‖ > max_norm.

    Returns the norm before clipping (what to plot to see explosions).
    """
    params = list(parameters)
    max_norm = positive(max_norm, "clip_grad_norm: max_norm")
    return clip_norm_of(numbers_of(params), max_norm)  # 0 for no parameters


def clip_norm_of(numbers: Numbers, max_norm: float) -> float:
    """`clip_grad_norm` on the arrays behind some parameters (an optimizer's `numbers`)."""
    g = numbers.grads()
    norm = math.sqrt(float(g @ g))
    if norm > max_norm:
        numbers.set_grads(g * (max_norm / norm))
    return norm


def clip_grad_value(parameters: Iterable[Value], clip_value: float) -> None:
    """Clamp every gradient into [−clip_value, clip_value]."""
    params = list(parameters)
    clip_value_of(numbers_of(params), positive(clip_value, "clip_grad_value: clip_value"))


def clip_value_of(numbers: Numbers, clip_value: float) -> None:
    """`clip_grad_value` on the arrays behind some parameters (an optimizer's `numbers`)."""
    numbers.set_grads(np.clip(numbers.grads(), -clip_value, clip_value))
