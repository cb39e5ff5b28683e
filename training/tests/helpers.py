"""Shared by the model tests: where models live, and reading a shipped manifest + golden file."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
TRAINING = ROOT / "training"


def manifest(model_id: str) -> dict:
    return json.loads((MODELS / model_id / "model.json").read_text())


def golden(model_id: str) -> dict:
    return json.loads((MODELS / model_id / "golden.json").read_text())
