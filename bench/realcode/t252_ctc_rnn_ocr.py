# CRNN-style: conv features -> permute to (T,N,C) -> bidirectional LSTM -> log_softmax -> CTC loss, greedy decode
import torch
import torch.nn as nn
torch.manual_seed(59)
class CRNN(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d((2, 1)))
        self.rnn = nn.LSTM(4 * 3, 6, bidirectional=True)
        self.fc = nn.Linear(12, n_classes)
    def forward(self, x):
        f = self.cnn(x)
        b, c, h, w = f.size()
        f = f.view(b, c * h, w).permute(2, 0, 1)
        r, _ = self.rnn(f)
        return self.fc(r).log_softmax(2)
m = CRNN().double()
x = torch.randn(2, 1, 6, 8, dtype=torch.float64)
lp = m(x)
print(lp.shape)
targets = torch.tensor([1, 2, 3, 2, 4])
input_lengths = torch.full((2,), 8, dtype=torch.long)
target_lengths = torch.tensor([3, 2])
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
loss = ctc(lp, targets, input_lengths, target_lengths)
print(loss)
loss.backward()
print(m.fc.bias.grad)
best = lp.argmax(2).permute(1, 0)
for seq in best.tolist():
    dec, prev = [], None
    for s in seq:
        if s != prev and s != 0:
            dec.append(s)
        prev = s
    print(seq, dec)
