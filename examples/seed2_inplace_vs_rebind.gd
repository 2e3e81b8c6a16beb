# Seed tutorial 2, note 3: `a = a + 1` makes a NEW tensor and rebinds the name,
# while `a += 1` modifies the existing tensor in place.
#
# The tutorial shows the difference with id(a): the id changes after a = a + ...
# and stays the same after a += ....  gd has no id(), so those prints are left
# out; instead we show the observable consequence: another name bound to the
# old tensor (`alias`) sees the in-place change but not the rebinding.
import torch

a = torch.ones((1, ))
alias = a
print(a)

a = a + torch.ones((1, ))    # new tensor; alias still holds the old one
print(a, alias)

alias = a
a += torch.ones((1, ))       # in place: alias sees the change
print(a, alias)
