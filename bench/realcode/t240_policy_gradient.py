# REINFORCE with Categorical policy, discounted returns normalized with eps, log_prob sum
import torch
import torch.nn as nn
from torch.distributions import Categorical
import numpy as np
torch.manual_seed(43)
np.random.seed(43)
eps = np.finfo(np.float32).eps.item()
class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.affine1 = nn.Linear(4, 8)
        self.dropout = nn.Dropout(p=0.6)
        self.affine2 = nn.Linear(8, 2)
        self.saved_log_probs = []
        self.rewards = []
    def forward(self, x):
        x = torch.relu(self.dropout(self.affine1(x)))
        return torch.softmax(self.affine2(x), dim=1)
policy = Policy()
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()
for ep in range(3):
    state = np.random.randn(4)
    for t in range(5):
        a = select_action(state)
        state = state + (0.1 if a else -0.1)
        policy.rewards.append(float(state.sum() > 0))
    R = 0
    returns = []
    for r in policy.rewards[::-1]:
        R = r + 0.99 * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    policy_loss = []
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    print(ep, f"{policy_loss.item():.6f}", returns)
    del policy.rewards[:]
    del policy.saved_log_probs[:]
print(eps)
