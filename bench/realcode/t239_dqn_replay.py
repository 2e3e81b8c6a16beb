# DQN: replay buffer with deque + random.sample, namedtuple Transition, epsilon greedy, target net, gather, SmoothL1, soft update
import math
import random
from collections import deque, namedtuple
import torch
import torch.nn as nn
import torch.optim as optim
random.seed(42)
torch.manual_seed(42)
Transition = namedtuple('Transition', ('state', 'action', 'next_state', 'reward'))
class ReplayMemory:
    def __init__(self, capacity):
        self.memory = deque([], maxlen=capacity)
    def push(self, *args):
        self.memory.append(Transition(*args))
    def sample(self, batch_size):
        return random.sample(self.memory, batch_size)
    def __len__(self):
        return len(self.memory)
class DQN(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.layer1 = nn.Linear(n_obs, 16)
        self.layer2 = nn.Linear(16, n_act)
    def forward(self, x):
        return self.layer2(torch.relu(self.layer1(x)))
policy_net = DQN(3, 2).double(); target_net = DQN(3, 2).double()
target_net.load_state_dict(policy_net.state_dict())
optimizer = optim.AdamW(policy_net.parameters(), lr=1e-3, amsgrad=True)
memory = ReplayMemory(50)
steps_done = 0
def select_action(state):
    global steps_done
    sample = random.random()
    eps = 0.05 + (0.9 - 0.05) * math.exp(-1. * steps_done / 10)
    steps_done += 1
    if sample > eps:
        with torch.no_grad():
            return policy_net(state).max(1).indices.view(1, 1)
    return torch.tensor([[random.randrange(2)]], dtype=torch.long)
state = torch.randn(1, 3, dtype=torch.float64)
for t in range(20):
    action = select_action(state)
    nxt = None if t % 7 == 6 else torch.randn(1, 3, dtype=torch.float64)
    memory.push(state, action, nxt, torch.tensor([float(action.item() == 1)], dtype=torch.float64))
    state = nxt if nxt is not None else torch.randn(1, 3, dtype=torch.float64)
    if len(memory) < 8:
        continue
    transitions = memory.sample(8)
    batch = Transition(*zip(*transitions))
    non_final_mask = torch.tensor(tuple(map(lambda s: s is not None, batch.next_state)), dtype=torch.bool)
    non_final_next_states = torch.cat([s for s in batch.next_state if s is not None])
    state_batch = torch.cat(batch.state); action_batch = torch.cat(batch.action); reward_batch = torch.cat(batch.reward)
    state_action_values = policy_net(state_batch).gather(1, action_batch)
    next_state_values = torch.zeros(8, dtype=torch.float64)
    with torch.no_grad():
        next_state_values[non_final_mask] = target_net(non_final_next_states).max(1).values
    expected = (next_state_values * 0.99) + reward_batch
    loss = nn.SmoothL1Loss()(state_action_values, expected.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    tsd = target_net.state_dict(); psd = policy_net.state_dict()
    for key in psd:
        tsd[key] = psd[key] * 0.005 + tsd[key] * (1 - 0.005)
    target_net.load_state_dict(tsd)
    print(t, f"{loss.item():.8f}", action.item(), non_final_mask.sum().item())
