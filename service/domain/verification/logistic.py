"""A logistic regression as the service ships it: standardized features, weights and a bias in a
JSON file beside the module that uses it, fitted by a script in bench/ (scikit-learn stays a
development dependency)."""

from dataclasses import dataclass
from importlib.resources import files
import json
import math
from typing import Any


@dataclass(frozen=True)
class Logistic:
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(
            w * (values[name] - m) / s
            for name, m, s, w in zip(
                self.features, self.means, self.scales, self.weights, strict=True
            )
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def read_model(package: str, name: str) -> dict[str, Any]:
    """The JSON file `name` of `package`, from a wheel as from a checkout."""
    data: dict[str, Any] = json.loads(files(package).joinpath(name).read_text())
    return data


def logistic_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The Logistic part of a model file, as keyword arguments."""
    return {
        "features": tuple(data["features"]),
        "means": tuple(data["means"]),
        "scales": tuple(data["scales"]),
        "weights": tuple(data["weights"]),
        "bias": data["bias"],
    }
