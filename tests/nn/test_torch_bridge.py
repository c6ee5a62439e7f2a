"""Graduating to PyTorch (optional): same outputs and gradients both ways, for every activation."""
import pytest

from chainrule import nn
torch = pytest.importorskip("torch")


def test_to_torch_and_back_compute_the_same_outputs_and_gradients():
    model = nn.MLP(3, [5, 4, 1], activation="tanh", output="sigmoid", seed=0)
    x = [0.2, -0.5, 0.9]
    out = model(x)
    out.backward()
    seq = to = nn.to_torch(model)
    xt = torch.tensor(x, dtype=torch.float64)
    yt = to(xt)
    yt.sum().backward()
    assert yt.item() == pytest.approx(out.data, abs=1e-12)
    first = seq[0]
    assert first.weight.grad[2, 1].item() == pytest.approx(model.layers[0].neurons[2].w[1].grad, abs=1e-12)
    back = nn.from_torch(seq, activation="tanh", output="sigmoid")
    assert back.state_dict() == pytest.approx(model.state_dict())


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear"])
@pytest.mark.parametrize("output", ["linear", "softmax", "elu"])
def test_every_activation_computes_the_same_numbers_in_pytorch(activation, output):
    """Each activation becomes the PyTorch module with the same formula and setting (LeakyReLU(0.01),
    ELU(1.0), the exact GELU): outputs and every weight's gradient agree, and the model comes back."""
    model = nn.MLP(3, [4, 3], activation=activation, output=output, seed=1)
    x = [0.7, -1.3, 0.4]  # negative and positive sums: both sides of every kink
    outputs = model(x)
    weights = [0.3, -1.1, 0.8]  # ∂(Σ cᵢ·outᵢ)/∂w: every output's gradient matters
    (outputs[0] * weights[0] + outputs[1] * weights[1] + outputs[2] * weights[2]).backward()
    seq = nn.to_torch(model)
    yt = seq(torch.tensor(x, dtype=torch.float64))
    (yt * torch.tensor(weights, dtype=torch.float64)).sum().backward()
    assert yt.tolist() == pytest.approx([o.data for o in outputs], abs=1e-12)
    for k, layer in enumerate(model.layers):
        linear = seq[[i for i, m in enumerate(seq) if isinstance(m, torch.nn.Linear)][k]]
        assert linear.weight.grad.flatten().tolist() == pytest.approx(layer.W_grad.ravel().tolist(), abs=1e-12)
        assert linear.bias.grad.tolist() == pytest.approx(layer.b_grad.tolist(), abs=1e-12)
    back = nn.from_torch(seq, activation=activation, output=output)
    assert back.state_dict() == model.state_dict()
    assert [v.data for v in back(x)] == [o.data for o in outputs]


def test_from_torch_refuses_a_sequential_whose_activations_differ_from_the_mlp():
    """An MLP built with the wrong activation would compute other numbers, silently: refused, saying
    what to pass."""
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    with pytest.raises(ValueError, match=r"Linear layer 0 is followed by Tanh, but the MLP would use "
                                         r"activation='relu' there; pass activation='tanh'"):
        nn.from_torch(seq)
    assert nn.from_torch(seq, activation="tanh").layers[0].activation == "tanh"
    with pytest.raises(ValueError, match=r"Linear layer 1 is followed by no activation, but the MLP would use "
                                         r"output='sigmoid' there; pass output='linear'"):
        nn.from_torch(seq, activation="tanh", output="sigmoid")
    slope = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.LeakyReLU(0.2), torch.nn.Linear(3, 1))
    with pytest.raises(ValueError, match=r"followed by LeakyReLU.*one activation after each Linear layer, or none: "
                                         r"Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, Softmax"):
        nn.from_torch(slope, activation="leaky_relu")
    for module in (torch.nn.ELU(alpha=0.5), torch.nn.GELU(approximate="tanh"), torch.nn.Softmax(dim=0)):
        other = torch.nn.Sequential(torch.nn.Linear(2, 3), module, torch.nn.Linear(3, 2))
        name = {"ELU": "elu", "GELU": "gelu", "Softmax": "softmax"}[type(module).__name__]
        with pytest.raises(ValueError, match="one activation after each Linear layer"):
            nn.from_torch(other, activation=name if name != "softmax" else "relu")
    two = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(3, 1))
    with pytest.raises(ValueError, match=r"followed by ReLU, Dropout"):
        nn.from_torch(two)


def test_from_torch_refuses_what_is_no_mlp():
    with pytest.raises(ValueError, match="the Sequential starts with ReLU, not a Linear layer"):
        nn.from_torch(torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(2, 1)))
    with pytest.raises(ValueError, match="the Sequential has no Linear layers"):
        nn.from_torch(torch.nn.Sequential())
    with pytest.raises(ValueError, match=r"layer sizes do not chain \(4 inputs after 3\)"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(4, 1)))
    with pytest.raises(ValueError, match="from_torch: output: unknown activation 'soft'"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 1)), output="soft")
    with pytest.raises(ValueError, match="from_torch: activation: unknown activation 'softmax'"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 1)), activation="softmax")


def test_from_torch_reads_a_layer_without_bias_as_bias_zero():
    linear = torch.nn.Linear(2, 2, bias=False, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float64))
    model = nn.from_torch(torch.nn.Sequential(linear))
    assert model.layers[0].W.tolist() == [[0.5, -1.0], [2.0, 0.25]]
    assert model.layers[0].b.tolist() == [0.0, 0.0]
    assert [v.data for v in model([1.0, 2.0])] == [0.5 * 1 - 1.0 * 2, 2.0 * 1 + 0.25 * 2]


def test_biases_cross_exactly_both_ways():
    """0.1 is no float32: a bias copied through single precision would come back as 0.10000000149."""
    model = nn.MLP(2, [2, 1], seed=0)
    model.layers[0].b[:] = [0.1, -0.3]
    seq = nn.to_torch(model)
    assert seq[0].bias.tolist() == [0.1, -0.3]
    with torch.no_grad():
        seq[2].bias.copy_(torch.tensor([0.7], dtype=torch.float64))
    back = nn.from_torch(seq)
    assert back.layers[0].b.tolist() == [0.1, -0.3] and back.layers[1].b.tolist() == [0.7]


def test_a_softmax_over_dimension_one_is_a_softmax_over_each_samples_outputs():
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Softmax(dim=1))
    assert nn.from_torch(seq, output="softmax").output == "softmax"


def test_the_refusals_word_for_word():
    with pytest.raises(ValueError) as info:
        nn.from_torch(torch.nn.Sequential())
    assert str(info.value) == "from_torch: the Sequential has no Linear layers"
    slope = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.LeakyReLU(0.2), torch.nn.Linear(3, 1))
    with pytest.raises(ValueError) as info:
        nn.from_torch(slope, activation="leaky_relu")
    assert str(info.value) == (
        "from_torch: Linear layer 0 is followed by LeakyReLU, but the MLP would use activation='leaky_relu' there; an "
        "MLP has one activation after each Linear layer, or none: Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, Softmax "
        "(LeakyReLU(0.01), ELU(1.0), exact GELU)")


def test_without_pytorch_the_bridge_says_how_to_get_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # as if it were not installed
    with pytest.raises(ImportError) as info:
        nn.to_torch(nn.MLP(1, [1], seed=0))
    assert str(info.value) == "PyTorch is not installed: pip install torch (it is optional for chainrule)"
