"""The course's badge image: a small PNG drawn here (Pillow, DejaVu Sans), the Open Badges
achievement's `image` (a data: URI, so a wallet shows it offline) and the PDF's emblem."""

from __future__ import annotations

import base64
import functools
import io
from typing import Any

SIZE = 160


@functools.cache
def png(title: str) -> bytes:
    """The badge: a blue medal with the course's initials (the same bytes for one title)."""
    from matplotlib import get_data_path
    from PIL import Image, ImageDraw, ImageFont

    initials = "".join(w[0] for w in title.split() if w[:1].isupper())[:4] or title[:2]
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, SIZE - 4, SIZE - 4), fill=(30, 70, 120, 255), outline=(200, 160, 40, 255),
                 width=8)
    draw.ellipse((22, 22, SIZE - 22, SIZE - 22), outline=(255, 255, 255, 255), width=2)
    font = ImageFont.truetype(f"{get_data_path()}/fonts/ttf/DejaVuSans-Bold.ttf",
                              48 if len(initials) <= 3 else 38)
    draw.text((SIZE / 2, SIZE / 2), initials, font=font, fill=(255, 255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def image(title: str, caption: str | None = None) -> dict[str, Any]:
    """The achievement's `image`: an OB 3.0 Image with the PNG of `title` (the course's
    English title: one badge in every language) as a data: URI, and its `caption`."""
    data = base64.b64encode(png(title)).decode("ascii")
    return {"id": f"data:image/png;base64,{data}", "type": "Image",
            "caption": caption or f"The badge of the course {title}"}
