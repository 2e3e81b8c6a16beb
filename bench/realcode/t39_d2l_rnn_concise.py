import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
vocab_size, num_hiddens = 12, 16
rnn_layer = nn.RNN(vocab_size, num_hiddens)
state = torch.zeros((1, 4, num_hiddens))
print(state.shape)
X = torch.rand(size=(5, 4, vocab_size))
Y, state_new = rnn_layer(X, state)
print(Y.shape, state_new.shape)


class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super(RNNModel, self).__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        if not self.rnn.bidirectional:
            self.num_directions = 1
            self.linear = nn.Linear(self.num_hiddens, self.vocab_size)
        else:
            self.num_directions = 2
            self.linear = nn.Linear(self.num_hiddens * 2, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size)
        X = X.to(torch.float32)
        Y, state = self.rnn(X, state)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, device, batch_size=1):
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros((self.num_directions * self.rnn.num_layers,
                                batch_size, self.num_hiddens), device=device)
        else:
            return (torch.zeros((self.num_directions * self.rnn.num_layers,
                                 batch_size, self.num_hiddens), device=device),
                    torch.zeros((self.num_directions * self.rnn.num_layers,
                                 batch_size, self.num_hiddens), device=device))


corpus = torch.randint(0, vocab_size, (200,))
for layer in [nn.RNN(vocab_size, num_hiddens), nn.GRU(vocab_size, num_hiddens),
              nn.LSTM(vocab_size, num_hiddens, num_layers=2),
              nn.GRU(vocab_size, num_hiddens, bidirectional=True)]:
    net = RNNModel(layer, vocab_size=vocab_size)
    print(net)
    opt = torch.optim.SGD(net.parameters(), lr=1)
    loss = nn.CrossEntropyLoss()
    for epoch in range(3):
        Xb = corpus[:160].reshape(4, 40)
        Yb = corpus[1:161].reshape(4, 40)
        state = net.begin_state('cpu', batch_size=4)
        y_hat, state = net(Xb, state)
        l = loss(y_hat, Yb.T.reshape(-1))
        opt.zero_grad()
        l.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1)
        opt.step()
    print(type(layer).__name__, l.item())
    print(sum(p.numel() for p in net.parameters()))
