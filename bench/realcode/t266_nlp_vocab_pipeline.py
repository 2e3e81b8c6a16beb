# NLP preprocessing for an LSTM sentiment classifier: re tokenization, Counter vocab, word2idx, padding/truncation, string methods
import re
import string
from collections import Counter
import torch
import torch.nn as nn
torch.manual_seed(76)
texts = ["I loved this movie! Great acting.", "Terrible plot, awful acting...", "Great fun; loved it", "Not great, not terrible.", "awful AWFUL awful"]
labels = [1, 0, 1, 0, 0]
def preprocess_string(s):
    s = re.sub(r"[^\w\s]", '', s)
    s = re.sub(r"\s+", ' ', s)
    s = re.sub(r"\d", '', s)
    return s.lower().strip()
tokens = [preprocess_string(t).split() for t in texts]
print(tokens[0])
word_list = [w for sent in tokens for w in sent]
corpus = Counter(word_list)
corpus_ = sorted(corpus, key=corpus.get, reverse=True)[:8]
onehot_dict = {w: i + 1 for i, w in enumerate(corpus_)}
print(corpus.most_common(3))
print(onehot_dict)
encoded = [[onehot_dict[w] for w in sent if w in onehot_dict] for sent in tokens]
print(encoded)
def padding_(sentences, seq_len):
    features = torch.zeros((len(sentences), seq_len), dtype=torch.long)
    for ii, review in enumerate(sentences):
        if len(review) != 0:
            features[ii, -len(review):] = torch.tensor(review)[:seq_len]
    return features
X = padding_(encoded, 4)
print(X)
print(string.punctuation, "Hello World".translate(str.maketrans('', '', string.punctuation)).casefold())
class SentimentRNN(nn.Module):
    def __init__(self, vocab, emb, hid):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hid, batch_first=True)
        self.fc = nn.Linear(hid, 1)
        self.sig = nn.Sigmoid()
    def forward(self, x):
        out, (h, c) = self.lstm(self.embedding(x))
        return self.sig(self.fc(out[:, -1, :])).squeeze(1)
m = SentimentRNN(len(onehot_dict) + 1, 4, 3).double()
crit = nn.BCELoss()
opt = torch.optim.Adam(m.parameters(), lr=0.01)
y = torch.tensor(labels, dtype=torch.float64)
for e in range(3):
    opt.zero_grad()
    p = m(X)
    loss = crit(p, y)
    loss.backward()
    nn.utils.clip_grad_norm_(m.parameters(), 5)
    opt.step()
    acc = torch.sum(torch.round(p) == y).item() / len(y)
    print(f"Epoch {e+1}: loss={loss.item():.6f} acc={acc*100:.2f}")
