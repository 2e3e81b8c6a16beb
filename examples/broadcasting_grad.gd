# Broadcasting in the forward pass is summed back in the gradient.
#
# When a (3, 1) column and a (4,) row are added, each element of the column
# is used 4 times and each element of the row 3 times.  The gradient of a
# tensor is always of that tensor's own shape: the backward pass sums the
# incoming gradient over every broadcast dimension.
import torch

col = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)   # (3, 1)
row = torch.tensor([10.0, 20.0, 30.0, 40.0], requires_grad=True)  # (4,)

table = col + row          # (3, 4)
print(table)
table.sum().backward()
print(col.grad)            # each used 4 times
print(row.grad)            # each used 3 times

# With a product, each use contributes the partner element: d/dcol sums the
# row, d/drow sums the column.
col.grad = None
row.grad = None
(col * row).sum().backward()
print(col.grad)
print(row.grad)

# A weighted gradient shows the sum explicitly: with upstream weights w,
# d/dcol = sum over the columns of w * row.
col.grad = None
row.grad = None
w = torch.arange(12.0).reshape(3, 4)
(col * row).backward(w)
print(col.grad)
print(row.grad)

# A scalar tensor broadcast against a matrix collects the sum of everything.
s = torch.tensor(2.0, requires_grad=True)
m = torch.ones(2, 3)
(s * m).mean().backward()
print(s.grad)

# A bias added to every row of a batch: its gradient sums over the batch.
bias = torch.zeros(3, requires_grad=True)
batch = torch.arange(6.0).reshape(2, 3)
out = torch.relu(batch - 2 + bias)
out.sum().backward()
print(out)
print(bias.grad)
