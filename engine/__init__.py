"""chainrule's engine: scalar reverse-mode automatic differentiation.

    >>> from chainrule.engine import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad          # dy/dx = 2x + 3
    7.0

value.py is the table of operations (each forward value beside its local derivatives);
backward.py is the chain rule over a graph, at once or step by step; higher.py gives gradients
as functions (`grad`), second derivatives (`hessian`, `backward(create_graph=True)`) and forward
mode (`jvp`), from the same derivatives written as Values (derivatives.py).
"""
from .backward import backward_steps, topological_order
from .explain import Explanation, explain
from .formatting import fmt
from .forward import ForwardStep, forward_steps
from .functional import (dot, elu, exp, gelu, leaky_relu, log, logsumexp, mean, relu, sigmoid, softmax, softplus,
                         sum, tanh)
from .gradcheck import GradcheckResult, gradcheck
from .graph import edges, grad_number, names
from .higher import JVP, grad, hessian, jvp
from .recording import is_recording, no_grad
from .steps import BackwardStep, EdgeUpdate
from .value import Value

__all__ = [
    "Value", "explain", "Explanation", "gradcheck", "GradcheckResult", "no_grad", "is_recording",
    "backward_steps", "BackwardStep", "EdgeUpdate", "forward_steps", "ForwardStep", "topological_order", "edges", "names", "grad_number", "fmt",
    "sum", "mean", "dot", "logsumexp", "softmax", "exp", "log", "tanh", "sigmoid", "softplus", "relu", "leaky_relu",
    "elu", "gelu", "grad", "hessian", "jvp", "JVP",
]
