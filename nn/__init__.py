"""chainrule's neural-network library: PyTorch-shaped, built on `engine.Value`.

    >>> from chainrule import nn
    >>> model = nn.MLP(2, [8, 1], output="sigmoid", seed=0)
    >>> X, y = nn.data.xor()
    >>> history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=300)
"""
from . import arrays, data, init, losses
from .dropout import Dropout
from .init import manual_seed
from .layers import MLP, Layer, Neuron
from .parameters import Parameter
from .losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, hinge, l2_penalty,
                     mse, nll)
from .module import Module
from .optim import SGD, Adam, Optimizer, RMSProp, clip_grad_norm, clip_grad_value
from .schedules import LinearLR, ReduceLROnPlateau, StepLR
from .history import History
from .train import TrainingStep, evaluate, fit, loss_graph, predict
from .torch_bridge import from_torch, to_torch

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "Dropout", "Parameter", "data", "init", "losses", "arrays", "manual_seed", "loss_graph", "TrainingStep",
    "mse", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll", "hinge", "l2_penalty",
    "Optimizer", "SGD", "RMSProp", "Adam", "clip_grad_norm", "clip_grad_value",
    "ReduceLROnPlateau", "StepLR", "LinearLR", "History", "fit", "evaluate", "predict", "to_torch", "from_torch",
]
