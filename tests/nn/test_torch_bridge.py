"""Graduating to PyTorch (optional): same outputs and gradients both ways."""
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
