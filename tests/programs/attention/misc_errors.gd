import torch
import torch.nn as nn
import torch.nn.functional as F
def tr(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
x = torch.randn(3, 4)
tr(lambda: F.rms_norm(x, (3,)))
tr(lambda: F.rms_norm(x, (4,), torch.ones(3)))
tr(lambda: F.pdist(torch.randn(2, 3, 4)))
tr(lambda: F.pdist(x, p=-1))
tr(lambda: F.channel_shuffle(x, 2))
tr(lambda: F.channel_shuffle(torch.randn(1, 3, 2), 2))
tr(lambda: F.channel_shuffle(torch.randn(1, 4, 2), 0))
tr(lambda: nn.Softmax2d()(torch.randn(2, 3)))
tr(lambda: F.cosine_embedding_loss(x, x, torch.ones(3, 1)))
tr(lambda: F.cosine_embedding_loss(x, x, torch.ones(())))
tr(lambda: F.multi_margin_loss(x, torch.tensor([0, 1, 2]), p=3))
tr(lambda: F.multi_margin_loss(x, torch.tensor([0, 1, 5])))
tr(lambda: F.multi_margin_loss(x, torch.tensor([0, 1])))
tr(lambda: F.multi_margin_loss(x, torch.tensor([0, 1, 2]), weight=torch.ones(3)))
tr(lambda: F.multilabel_margin_loss(x, torch.tensor([0, 1, 2])))
tr(lambda: F.multilabel_margin_loss(x, torch.tensor([[0, 1, 2, 9]] * 3)))
tr(lambda: F.triplet_margin_with_distance_loss(x, x, x, margin=0))
tr(lambda: F.triplet_margin_with_distance_loss(x, x, x[0]))
tr(lambda: nn.TripletMarginWithDistanceLoss(margin=-1.0))
tr(lambda: F.multilabel_soft_margin_loss(x, torch.ones(3, 4), reduction="bad"))
tr(lambda: F.soft_margin_loss(x, torch.ones(3, 4), reduction="bad"))
tr(lambda: nn.ChannelShuffle())
