# d2l.ai's LSTM from scratch: gates by hand over one-hot inputs, cross-entropy over
# the concatenated outputs, the chapter's gradient clipping.
import torch
from torch import nn
torch.manual_seed(0)
def init_lstm_state(batch_size, num_hiddens):
    return (torch.zeros((batch_size, num_hiddens)), torch.zeros((batch_size, num_hiddens)))
def get_params(vocab_size, num_hiddens):
    num_inputs = num_outputs = vocab_size
    def normal(shape):
        return torch.randn(size=shape) * 0.01
    def three():
        return (normal((num_inputs, num_hiddens)), normal((num_hiddens, num_hiddens)), torch.zeros(num_hiddens))
    W_xi, W_hi, b_i = three()
    W_xf, W_hf, b_f = three()
    W_xo, W_ho, b_o = three()
    W_xc, W_hc, b_c = three()
    W_hq = normal((num_hiddens, num_outputs))
    b_q = torch.zeros(num_outputs)
    params = [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params
def lstm(inputs, state, params):
    [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
    (H, C) = state
    outputs = []
    for X in inputs:
        I = torch.sigmoid((X @ W_xi) + (H @ W_hi) + b_i)
        F = torch.sigmoid((X @ W_xf) + (H @ W_hf) + b_f)
        O = torch.sigmoid((X @ W_xo) + (H @ W_ho) + b_o)
        C_tilda = torch.tanh((X @ W_xc) + (H @ W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * torch.tanh(C)
        Y = (H @ W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H, C)
vocab, hidden = 6, 5
params = get_params(vocab, hidden)
X = nn.functional.one_hot(torch.randint(0, vocab, (4, 2)).T, vocab).float()
Y, (H, C) = lstm(X.transpose(0, 1), init_lstm_state(2, hidden), params)
loss = nn.functional.cross_entropy(Y, torch.randint(0, vocab, (8,)))
loss.backward()
def grad_clipping(params, theta):
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm
    return norm
print(loss, grad_clipping(params, 0.001), H)
print([round(p.grad.abs().sum().item(), 8) for p in params[:3]])
