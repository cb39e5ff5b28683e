"""Small emoji category classifier. Its penultimate features (b, 128) are the embedding our FID-style
metric uses (Inception is not available offline, and is far from emoji anyway)."""
import torch
from torch import nn


class EmojiClassifier(nn.Module):
    def __init__(self, n_classes: int, width: int = 32):
        super().__init__()

        def block(cin: int, cout: int) -> list[nn.Module]:
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True), nn.MaxPool2d(2)]

        self.features = nn.Sequential(
            *block(3, width),              # (b, w, 32, 32)
            *block(width, width * 2),      # (b, 2w, 16, 16)
            *block(width * 2, width * 4),  # (b, 4w, 8, 8)
            *block(width * 4, width * 4),  # (b, 4w, 4, 4)
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),  # (b, 4w)
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(width * 4, n_classes))

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, 3, 64, 64) in [-1, 1] → (b, 4w) features."""
        return self.features(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(x))


def load_classifier(path) -> EmojiClassifier:
    """The classifier train_classifier.py saved (classifier.pt), eval mode."""
    ck = torch.load(path, map_location="cpu")
    net = EmojiClassifier(len(ck["classes"]))
    net.load_state_dict(ck["model"])
    return net.eval()


@torch.no_grad()
def embed_all(net: EmojiClassifier, x: torch.Tensor, batch: int = 256):
    """x: (n, 3, 64, 64) in [-1, 1] → (n, d) float64 numpy features, in batches."""
    return torch.cat([net.embed(x[i:i + batch]) for i in range(0, len(x), batch)]).numpy().astype("float64")


def classifier_facts(path) -> dict:
    """What a card says about the feature classifier behind the image metrics (from classifier.pt)."""
    return {"classes": len(torch.load(path, map_location="cpu")["classes"])}
