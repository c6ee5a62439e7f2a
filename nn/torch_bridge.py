"""Graduating to PyTorch: the same network as a `torch.nn.Sequential`, and back.

PyTorch is optional (never a dependency): these functions import it when called. Every
activation an MLP has maps to a PyTorch module with the same formula and settings:

    sigmoid  Sigmoid()     tanh  Tanh()      relu  ReLU()          leaky_relu  LeakyReLU(0.01)
    elu      ELU(1.0)      gelu  GELU()      softmax  Softmax(dim=-1)    linear  (no module)

GELU is the exact x·Φ(x) in both (PyTorch's default, approximate='none').
"""
from __future__ import annotations

from typing import Any

from . import activations
from .layers import MLP

_TORCH_NAMES = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "leaky_relu": "LeakyReLU", "elu": "ELU",
                "gelu": "GELU", "softmax": "Softmax"}
_CHAINRULE_NAMES = {torch_name: name for name, torch_name in _TORCH_NAMES.items()}


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("PyTorch is not installed: pip install torch (it is optional for chainrule)") from None
    return torch


def _torch_activation(torch: Any, name: str) -> Any:
    """The PyTorch module for chainrule's activation `name`: PyTorch's defaults are chainrule's settings
    (LeakyReLU's slope 0.01, ELU's α = 1, the exact GELU); a softmax acts on each sample's outputs."""
    if name == "softmax":
        return torch.nn.Softmax(dim=-1)
    return getattr(torch.nn, _TORCH_NAMES[name])()


def to_torch(model: MLP) -> Any:
    """An equivalent `torch.nn.Sequential` (float64) with the same weights.

    Linear layers carry the weights; activations follow. A softmax output becomes
    `Softmax(dim=-1)`; for training in PyTorch, drop it and use CrossEntropyLoss on logits.
    """
    torch = _torch()
    modules = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "linear":
            modules.append(_torch_activation(torch, layer.activation))
    return torch.nn.Sequential(*modules)


def _activation_of(after: list[Any]) -> str | None:
    """chainrule's name for the modules that follow a Linear layer ("linear" for none), or None when
    they are not one activation with chainrule's settings."""
    if not after:
        return "linear"
    if len(after) > 1:
        return None
    module = after[0]
    name = _CHAINRULE_NAMES.get(type(module).__name__)
    settings_differ = (
        (name == "leaky_relu" and module.negative_slope != 0.01) or (name == "elu" and module.alpha != 1.0)
        or (name == "gelu" and module.approximate != "none") or (name == "softmax" and module.dim not in (-1, 1)))
    return None if settings_differ else name


def from_torch(sequential: Any, activation: str = "relu", output: str = "linear") -> MLP:
    """An MLP with the weights of a Sequential of Linear layers, each followed by the activation
    the MLP has there (`activation` for hidden layers, `output` for the last): checked, so that
    the MLP computes what the Sequential computes."""
    torch = _torch()
    activations.check(activation, "from_torch: activation", activations.HIDDEN)
    activations.check(output, "from_torch: output")
    layers: list[tuple[Any, list[Any]]] = []  # each Linear with the modules after it
    for module in sequential:
        if isinstance(module, torch.nn.Linear):
            layers.append((module, []))
        elif not layers:
            raise ValueError(f"from_torch: the Sequential starts with {type(module).__name__}, not a Linear layer")
        else:
            layers[-1][1].append(module)
    if not layers:
        raise ValueError("from_torch: the Sequential has no Linear layers")
    for i, (lin, after) in enumerate(layers):
        last = i == len(layers) - 1
        expected = output if last else activation
        found = _activation_of(after)
        if found != expected:
            shown = ", ".join(type(m).__name__ for m in after) or "no activation"
            advice = (f"pass {'output' if last else 'activation'}={found!r}" if found is not None else
                      "an MLP has one activation after each Linear layer, or none: "
                      + ", ".join(_TORCH_NAMES.values()) + " (LeakyReLU(0.01), ELU(1.0), exact GELU)")
            raise ValueError(f"from_torch: Linear layer {i} is followed by {shown}, but the MLP would use "
                             f"{'output' if last else 'activation'}={expected!r} there; {advice}")
    linears = [lin for lin, _ in layers]
    sizes = [lin.out_features for lin in linears]
    model = MLP(linears[0].in_features, sizes, activation=activation, output=output)
    for layer, lin in zip(model.layers, linears):
        if lin.in_features != layer.nin:
            raise ValueError(f"from_torch: layer sizes do not chain ({lin.in_features} inputs after {layer.nin})")
        W = lin.weight.detach().double().tolist()
        b = lin.bias.detach().double().tolist() if lin.bias is not None else [0.0] * lin.out_features
        for neuron, row, bias in zip(layer.neurons, W, b):
            for w, value in zip(neuron.w, row):
                w.data = value
            neuron.b.data = bias
    return model
