"""The model manifest (`models/<id>/model.json`, schema: src/common/manifest.ts) written from the ONNX files.

The `graphs` section — each role's file, input/output names, dtypes and shapes, symbolic dimensions by
name ("batch", "chunk") — is read from the exported graph itself, so it can never disagree with what the
engine loads. Everything else (family fields, params, licence, data, metrics) is the export script's:

    write_manifest(out, {"schema": 1, "id": ..., "family": ..., "title": ..., "version": ..., "latentSize": ...,
                         "params": [...], "license": ..., "data": {...}, "metrics": {...}, "card": "CARD.md"},
                   graphs={"generator": "generator.onnx"})
"""
from __future__ import annotations

import json
from pathlib import Path

import onnx
from onnx import TensorProto

# ONNX element types → the manifest's dtype names (the tensor types onnxruntime-node accepts)
DTYPES = {TensorProto.FLOAT: "float32", TensorProto.DOUBLE: "float64", TensorProto.FLOAT16: "float16",
          TensorProto.INT64: "int64", TensorProto.INT32: "int32", TensorProto.INT8: "int8",
          TensorProto.UINT8: "uint8", TensorProto.BOOL: "bool", TensorProto.STRING: "string"}


def _tensor(value: onnx.ValueInfoProto) -> dict:
    t = value.type.tensor_type
    if t.elem_type not in DTYPES:
        raise ValueError(f"{value.name}: ONNX element type {t.elem_type} has no manifest dtype")
    dims = []
    for i, d in enumerate(t.shape.dim):
        if d.HasField("dim_value"):
            dims.append(d.dim_value)
        elif d.dim_param:
            dims.append(d.dim_param)
        else:  # an anonymous dynamic axis: the manifest (and the engine's check) needs a name
            raise ValueError(f"{value.name}: dimension {i} has neither a size nor a name")
    return {"name": value.name, "dtype": DTYPES[t.elem_type], "shape": dims}


def graph_signature(path: Path) -> dict:
    """One graph's manifest entry: {"file", "inputs": [{name, dtype, shape}], "outputs": [...]}, from the file.
    Initializers listed as graph inputs (old exporters do that) are not inputs the caller feeds."""
    g = onnx.load(str(path), load_external_data=False).graph
    weights = {i.name for i in g.initializer}
    return {"file": path.name, "inputs": [_tensor(v) for v in g.input if v.name not in weights],
            "outputs": [_tensor(v) for v in g.output]}


def graphs_section(model_dir: Path, files: dict[str, str]) -> dict:
    """role → file name (in model_dir) → the manifest's `graphs` object, roles in the order given."""
    return {role: graph_signature(model_dir / file) for role, file in files.items()}


def with_graphs(manifest: dict, graphs: dict) -> dict:
    """The manifest with `graphs` placed after `version` (else after `description`), the order every
    shipped model.json uses, so a re-export diffs only where something changed."""
    out, placed = {}, False
    anchor = "version" if "version" in manifest else "description"
    for k, v in manifest.items():
        if k == "graphs":
            continue
        out[k] = v
        if k == anchor:
            out["graphs"], placed = graphs, True
    if not placed:
        out["graphs"] = graphs
    return out


def write_manifest(out: Path, manifest: dict, graphs: dict[str, str]) -> dict:
    """Write out/model.json: `manifest` (without graphs) plus the graphs read from out/<file>. Returns it."""
    full = with_graphs(manifest, graphs_section(out, graphs))
    (out / "model.json").write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    return full


def read_manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "model.json").read_text())
