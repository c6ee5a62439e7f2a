"""chainrule's engine: scalar reverse-mode automatic differentiation.

    >>> from engine import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad          # dy/dx = 2x + 3
    7.0
"""
from ._state import is_recording, no_grad, scope
from .explain import Explanation, explain
from .formatting import fmt
from .functional import dot, dots, each, exp, leaky_relu, log, logsumexp, mean, relu, sigmoid, softmax, softplus, sum, tanh
from .gradcheck import GradcheckResult, gradcheck
from .graph import edges, names, topological_order
from .stepping import BackwardStep, EdgeUpdate, backward_steps
from .value import Value

__all__ = [
    "Value", "explain", "Explanation", "gradcheck", "GradcheckResult", "no_grad", "is_recording", "scope",
    "backward_steps", "BackwardStep", "EdgeUpdate", "topological_order", "edges", "names", "fmt",
    "sum", "mean", "dot", "dots", "each", "logsumexp", "softmax", "exp", "log", "tanh", "sigmoid", "softplus", "relu", "leaky_relu",
]
