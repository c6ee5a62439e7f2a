"""Graduating to PyTorch: the same network as a `torch.nn.Sequential`, and back.

PyTorch is optional (never a dependency): these functions import it when called.
"""
from __future__ import annotations

from typing import Any

from .layers import MLP

_TORCH_ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "leaky_relu": "LeakyReLU"}


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("PyTorch is not installed: pip install torch (it is optional for chainrule)") from None
    return torch


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
        if layer.activation == "softmax":
            modules.append(torch.nn.Softmax(dim=-1))
        elif layer.activation == "leaky_relu":
            modules.append(torch.nn.LeakyReLU(0.01))
        elif layer.activation != "linear":
            modules.append(getattr(torch.nn, _TORCH_ACTIVATIONS[layer.activation])())
    return torch.nn.Sequential(*modules)


def from_torch(sequential: Any, activation: str = "relu", output: str = "linear") -> MLP:
    """An MLP with the weights of a Sequential of Linear layers (and activations, which are checked)."""
    torch = _torch()
    linears = [m for m in sequential if isinstance(m, torch.nn.Linear)]
    if not linears:
        raise ValueError("from_torch: the Sequential has no Linear layers")
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
