"""Minimal reader for R lazy-load databases (`.rdx` index + `.rdb` values), so training needs no R.

An R package's `data/Rdata.rdx` is a gzip file holding a
serialized list whose `variables` element maps each object name to (offset, length) in `Rdata.rdb`; each
value there is a blob of 4-byte big-endian length + zlib stream. The blobs use R's XDR serialization (format 2 or 3). We decode the
subset that data packages use: vectors, lists, pairlists, symbols, attributes and references.
"""
from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

NIL, REF, ALTREP, ATTRLIST = 254, 255, 238, 239
SPECIAL_ENVS = {253, 242, 241, 247, 251, 252}  # global/empty/base env, base namespace, missing, unbound


class _Reader:
    def __init__(self, buf: bytes):
        self.b, self.i, self.refs = buf, 0, []

    def int(self) -> int:
        (v,) = struct.unpack_from(">i", self.b, self.i)
        self.i += 4
        return v

    def bytes(self, n: int) -> bytes:
        out = self.b[self.i:self.i + n]
        self.i += n
        return out

    def header(self) -> None:
        if self.bytes(2) != b"X\n":
            raise ValueError("not an XDR R serialization")
        version = self.int()
        self.int(), self.int()  # writer's R version, minimal reader version
        if version == 3:
            self.bytes(self.int())  # native encoding name

    def item(self):
        flags = self.int()
        t, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if t == NIL or t in SPECIAL_ENVS:
            return None
        if t == REF:
            idx = flags >> 8 or self.int()
            return self.refs[idx - 1]
        if t == 1:  # SYMSXP: its name, remembered for later references
            sym = ("sym", self.item())
            self.refs.append(sym)
            return sym
        if t == 9:  # CHARSXP
            n = self.int()
            return None if n == -1 else self.bytes(n).decode("utf-8", "replace")
        if t in (2, 6, ATTRLIST, 3, 5):  # pairlist-like: [attr] [tag] car cdr
            out = {}
            while True:
                if has_attr:
                    self.item()
                tag = self.item() if has_tag else None
                out[tag[1] if isinstance(tag, tuple) else len(out)] = self.item()
                flags = self.int()
                t, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
                if t not in (2, ATTRLIST):
                    self.i -= 4
                    self.item()  # the final CDR (normally NIL)
                    return out
        if t == ALTREP:
            self.item()  # class info
            state = self.item()
            self.item()  # attributes
            return state
        if t in (10, 13):  # logical, integer
            n = self.int()
            val = list(struct.unpack_from(f">{n}i", self.b, self.i))
            self.i += 4 * n
        elif t == 14:  # double
            n = self.int()
            val = list(struct.unpack_from(f">{n}d", self.b, self.i))
            self.i += 8 * n
        elif t in (16, 19, 20):  # character vector, list, expression
            val = [self.item() for _ in range(self.int())]
        else:
            raise ValueError(f"unsupported R SEXP type {t}")
        attrs = self.item() if has_attr else None
        if t == 19 and isinstance(attrs, dict) and isinstance(attrs.get("names"), list):
            return dict(zip(attrs["names"], val))  # a named list, e.g. the index's `variables`
        return val


def _unblob(blob: bytes):
    # .rdx is a gzip file (saveRDS); .rdb values are 4-byte length + zlib stream
    raw = gzip.decompress(blob) if blob[:2] == b"\x1f\x8b" else zlib.decompress(blob[4:])
    r = _Reader(raw)
    r.header()
    return r.item()


def read_lazyload(base: Path) -> dict:
    """`base` without extension, e.g. /usr/lib/R/site-library/janeaustenr/data/Rdata → {name: value}."""
    index = _unblob(base.with_suffix(".rdx").read_bytes())
    db = base.with_suffix(".rdb").read_bytes()
    out = {}
    for name, (offset, length) in index["variables"].items():
        out[name] = _unblob(db[int(offset):int(offset) + int(length)])
    return out
