# Seed tutorial 4: a one-layer logistic model and its gradients.
#
# z = x w + b are logits, the loss is binary cross-entropy with logits against
# all-zero targets.  loss.backward() fills w.grad and b.grad.
import torch

torch.manual_seed(7)

# The tutorial seeds the generator with 7 in cell In [2] but shows the output
# of cell In [13]: the cell below had been run 11 times (In [3] ... In [13]),
# each run drawing 5*3 + 3 numbers.  Replaying the first 10 runs' draws puts
# the generator where the tutorial's was, so this program prints exactly the
# tutorial's gradients, tensor([[0.0227, 0.0738, 0.0327], ...
for run in range(10):
    torch.randn(5, 3)
    torch.randn(3)

x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
loss.backward()
# d loss / d z_j = (sigmoid(z_j) - y_j) / 3, and since x is all ones every row
# of w gets the same gradient as b.
print(w.grad)
print(b.grad)
print(z.requires_grad)

# Under no_grad nothing is recorded: the same computation gives a tensor that
# does not require grad (e.g. for inference with a trained model).
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)

# detach() is the other way to get a result outside the graph.
z = torch.matmul(x, w) + b
print(z.requires_grad)
z_det = z.detach()
print(z_det.requires_grad)
