"""Teaching demos: each example of the course notes as something to run, step through and look at.

Run one with `chainrule demo NAME` or `python -m chainrule.demos NAME`; list them with `--list`.
Each demo module has a `main(argv)` and functions that build its objects for a REPL.
"""
from __future__ import annotations

# name -> (module, one line on what it teaches)
DEMOS: dict[str, tuple[str, str]] = {
    "two-neuron": ("chainrule.demos.two_neuron", "the notes' two-neuron backpropagation example, number for number"),
    "gradient-descent": ("chainrule.demos.gradient_descent", "gradient descent on z = 2x; learning rates too large and too small"),
    "activations": ("chainrule.demos.activations", "sigmoid, tanh, ReLU, leaky ReLU, softmax and their derivatives"),
    "vanishing-gradient": ("chainrule.demos.vanishing_gradient", "sigmoid vs tanh vs ReLU in a deep network; dying ReLU"),
    "xor": ("chainrule.demos.xor", "a 2-layer network learns XOR; logistic regression cannot"),
    "optimizers": ("chainrule.demos.optimizers", "SGD, momentum, RMSProp, Adam; when Adam wins; plateaus and clipping"),
    "initialization": ("chainrule.demos.initialization", "N(0, 0.01) vs Xavier vs He in a deep network; symmetric weights"),
    "classification": ("chainrule.demos.classification", "logistic regression vs an MLP; L2 regularisation against overfitting"),
    "digits": ("chainrule.demos.digits", "handwritten digits 0-9 with softmax and cross-entropy"),
    "micrograd-moons": ("chainrule.demos.micrograd_moons", "micrograd's moons demo: MLP 2-16-16-1 to 100% accuracy"),
    "topological-order": ("chainrule.demos.topological_order", "why backward sorts the graph: a naive recursion's wrong gradients"),
    "gradient-accumulation": ("chainrule.demos.gradient_accumulation", ".grad adds up over backward() calls; zero_grad forgotten"),
    "second-derivatives": ("chainrule.demos.second_derivatives", "Hessians, the learning-rate limit η < 2/λ, Newton vs gradient descent"),
    "forward-mode": ("chainrule.demos.forward_mode", "forward mode (jvp) vs reverse mode (backprop): counting sweeps"),
    "playground": ("chainrule.demos.playground", "a network learns two moons in front of you: one page, live"),
}
