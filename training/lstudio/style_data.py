"""Three emoji art styles for the style-aware metric features: Noto PNGs (emoji-datasource-google, what
our image models learn), Twemoji (npm emoji-datasource-twitter@16.0.0, CC-BY-4.0) and the Noto Color Emoji
font (Debian fonts-noto-color-emoji, OFL-1.1) rendered with PIL.

    /usr/bin/python3 -c "import lstudio.style_data as s; print({k: v[0].shape for k, v in s.load_styles().items()})"

Every style comes as (n, 64, 64, 3) uint8 RGB on white plus the emoji.json rows (category, base), cached
as one array file per style in training/.cache. The font is a second rendering of Noto's own artwork (a
bitmap font at 109 px, drawn larger and resampled), so the classifier sees the same drawings at another
sharpness: it must tell styles by texture, not only by shape.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lstudio.emoji_data import CACHE, load_emoji

TWITTER = "emoji-datasource-twitter@16.0.0"
TWITTER_TGZ = CACHE / "emoji-datasource-twitter-16.0.0.tgz"
FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
STYLES = ("google", "twitter", "font")


def _onto_white(rgba: np.ndarray) -> np.ndarray:
    """(n, s, s, 4) uint8 → (n, s, s, 3) uint8 composited on white (as lstudio.emoji_data does)."""
    f = rgba.astype(np.float32) / 255.0
    rgb = f[..., :3] * f[..., 3:4] + (1.0 - f[..., 3:4])
    return np.clip(np.round(rgb * 255.0), 0, 255).astype(np.uint8)


def _cached(name: str, build) -> tuple[np.ndarray, list[dict]]:
    path = CACHE / f"emoji_{name}_64.npz"
    if path.exists():
        z = np.load(path, allow_pickle=False)
        return z["rgb"], json.loads(str(z["meta"]))
    rgb, meta = build()
    np.savez(path, rgb=rgb, meta=np.array(json.dumps(meta)))
    return rgb, meta


def _twitter() -> tuple[np.ndarray, list[dict]]:
    if not TWITTER_TGZ.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", TWITTER, "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
    _, google_meta = load_emoji(64)
    by_image = {m["image"]: m for m in google_meta}  # same file names, same rows
    images, meta = [], []
    with tarfile.open(TWITTER_TGZ, "r:gz") as tar:
        for member in tar:
            name = member.name.rsplit("/", 1)[-1]
            if member.name.startswith("package/img/twitter/64/") and name in by_image:
                img = Image.open(io.BytesIO(tar.extractfile(member).read())).convert("RGBA")
                images.append(np.asarray(img.resize((64, 64), Image.LANCZOS) if img.size != (64, 64) else img))
                meta.append(by_image[name])
    return _onto_white(np.stack(images)), meta


def _font() -> tuple[np.ndarray, list[dict]]:
    """Base emoji (no skin-tone variants) drawn with the colour font; a sequence the font cannot join
    into one glyph (wider than tall) is skipped."""
    font = ImageFont.truetype(str(FONT), 109)  # the bitmap font's only size
    _, google_meta = load_emoji(64)
    images, meta = [], []
    for m in google_meta:
        if m["base"] != m["image"]:
            continue
        text = "".join(chr(int(h, 16)) for h in m["image"][:-4].split("-"))
        canvas = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
        ImageDraw.Draw(canvas).text((8, 8), text, font=font, embedded_color=True)
        box = canvas.getbbox()
        if box is None or (box[2] - box[0]) > 1.3 * (box[3] - box[1]):
            continue
        glyph = canvas.crop(box)
        side = max(glyph.size)
        square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        square.paste(glyph, ((side - glyph.size[0]) // 2, (side - glyph.size[1]) // 2))
        images.append(np.asarray(square.resize((64, 64), Image.LANCZOS)))
        meta.append(m)
    return _onto_white(np.stack(images)), meta


def load_style(style: str) -> tuple[np.ndarray, list[dict]]:
    """One style: (n, 64, 64, 3) uint8 RGB on white, and its emoji.json rows."""
    if style == "google":
        return load_emoji(64)
    return _cached(style, _twitter if style == "twitter" else _font)


def load_styles() -> dict[str, tuple[np.ndarray, list[dict]]]:
    return {s: load_style(s) for s in STYLES}
