"""The book's figures, drawn as inline SVG from the course's data (no plotting library, no
network): the mission leadership team's organisation chart (data/roles.csv), a weighed
scenario, and a polarity map. Each SVG is an image with a title and a description for screen
readers, and each figure carries a text alternative in the page (a list or a table) that says
everything the picture shows."""

from __future__ import annotations

import itertools
import re
import textwrap
from html import escape

from .content import PRINCIPLES, WEIGHTS, load_course
from .content.language import DEFAULT, language
from .content.messages import N_, _
from .lessons import code_word, localized

_ids = itertools.count(1)
FONT = 'font-family="sans-serif"'
#: Fills that also differ in pattern of the border (solid, dashed), not in colour alone.
CIVILIAN, UNIFORMED, PLAIN = "#e8f0fb", "#fdf1dc", "#ffffff"
INK, LINE = "#1f2937", "#4b5563"


class Figure:
    """An SVG figure with its caption and its text alternative (HTML)."""

    def __init__(self, svg: str, caption: str, alternative: str, lang: str = ""):
        """`lang`: the figure's language when it differs from the page's (not translated yet)."""
        self.svg, self.caption, self.alternative = svg, caption, alternative
        self.lang = lang

    def _repr_html_(self) -> str:
        lang = f' lang="{self.lang}"' if self.lang else ""
        return (f'<figure class="peaceops-figure"{lang}>{self.svg}'
                f"<figcaption>{escape(self.caption)}</figcaption>{self.alternative}</figure>")

    def __repr__(self) -> str:
        return self.caption


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    n = next(_ids)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="peaceops-svg" role="img" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="po-fig-{n}-t po-fig-{n}-d">'
            f'<title id="po-fig-{n}-t">{escape(title)}</title>'
            f'<desc id="po-fig-{n}-d">{escape(desc)}</desc>{"".join(body)}</svg>')


def _text(x: float, y: float, lines: list[str], size: int = 13, bold: bool = False,
          anchor: str = "middle") -> str:
    weight = ' font-weight="bold"' if bold else ""
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if n == 0 else size * 1.25:g}">{escape(line)}</tspan>'
                    for n, line in enumerate(lines))
    return (f'<text x="{x:g}" y="{y:g}" {FONT} font-size="{size}" fill="{INK}" '
            f'text-anchor="{anchor}"{weight}>{spans}</text>')


def _box(x: float, y: float, w: float, h: float, fill: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="6" fill="{fill}" '
            f'stroke="{LINE}" stroke-width="1.5"{dash}/>')


def _line(x1: float, y1: float, x2: float, y2: float, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{LINE}" '
            f'stroke-width="1.5"{dash}/>')


# -- the mission leadership team --------------------------------------------------------------

def org_chart(course=None) -> Figure:
    """The MLT as data/roles.csv has it: the first core role (the Head of Mission) leads the
    other core roles; the reinforcing section heads are drawn apart, dashed. Each box names
    the role's short form and its component (in words, not by colour alone). In another
    language's edition the words are translated (roles from data/i18n, fixed strings from the
    code's catalogue); a figure whose roles are not translated yet is marked lang="en"."""
    if course is None:
        roles, translated = localized("roles")
    else:
        roles, translated = course.roles, True
    core = roles[roles["team"] == "core"]
    head, members = core.iloc[0], core.iloc[1:]
    extra = roles[roles["team"] == "reinforcing"]
    width, bw, bh, gap = 380, 172, 50, 12
    cols = [(width / 2 - gap / 2 - bw), (width / 2 + gap / 2)]
    hw = 2 * bw + gap
    body = [_box(width / 2 - hw / 2, 10, hw, bh, CIVILIAN if head["component"] == "civilian"
                 else UNIFORMED),
            _text(width / 2, 31, [head["abbreviation"], _("{component}, leads the team").format(
                component=code_word(head["component"]))], bold=True)]
    top = 10 + bh + 34
    body.append(_text(12, top - 10, [_("Core team")], size=12, anchor="start", bold=True))
    body.append(_line(width / 2, 10 + bh, width / 2, top - 22))
    body.append(_line(cols[0] + bw / 2, top - 22, cols[1] + bw / 2, top - 22))

    def grid(frame, y0: float, dashed: bool) -> float:
        for n, role in enumerate(frame.itertuples()):
            x, y = cols[n % 2], y0 + (n // 2) * (bh + gap)
            fill = PLAIN if dashed else (CIVILIAN if role.component == "civilian" else UNIFORMED)
            body.append(_box(x, y, bw, bh, fill, dashed))
            body.append(_text(x + bw / 2, y + 21, [role.abbreviation, code_word(role.component)],
                              bold=False))
        return y0 + ((len(frame) + 1) // 2) * (bh + gap)

    for x in cols:
        body.append(_line(x + bw / 2, top - 22, x + bw / 2, top))
    bottom = grid(members, top, dashed=False)
    label = bottom + 22
    body.append(_text(12, label, [_("Often reinforced by these section heads")], size=12,
                      anchor="start", bold=True))
    end = grid(extra, label + 12, dashed=True)
    names = ", ".join(f"{r.name} ({r.abbreviation}, {code_word(r.component)})" for r in members.itertuples())
    desc = _("{head} ({abbreviation}) leads a core team of {n}: {names}. Often reinforced by: "
             "{others}.").format(
        head=head["name"], abbreviation=head["abbreviation"], n=len(members), names=names,
        others=", ".join(f"{r.name} ({r.abbreviation})" for r in extra.itertuples()))
    svg = _svg(width, int(end + 4), _("The mission leadership team"), desc, body)
    items = "".join(f"<li>{escape(r.name)} ({escape(r.abbreviation)}), {escape(code_word(r.component))}</li>"
                    for r in members.itertuples())
    others = "".join(f"<li>{escape(r.name)} ({escape(r.abbreviation)})</li>"
                     for r in extra.itertuples())
    summary, reinforced = _("The chart in words"), _("Often reinforced by these section heads:")
    leads = _("{head} ({abbreviation}), {component}, leads the core team:").format(
        head=head["name"], abbreviation=head["abbreviation"], component=code_word(head["component"]))
    alternative = (
        f'<details class="peaceops-figure-text"><summary>{escape(summary)}</summary>'
        f"<p>{escape(leads)}</p><ul>{items}</ul><p>{escape(reinforced)}</p>"
        f"<ul>{others}</ul></details>")
    caption = _("The mission leadership team of an integrated, multidimensional mission "
                "(source: MLT composition). Solid boxes: the core team; dashed: section heads "
                "who often reinforce it.")
    return Figure(svg, caption, alternative,
                  lang="" if translated or language() == DEFAULT else "en")


# -- a weighed scenario -------------------------------------------------------------------------

def weighing_figure(key: dict[str, tuple[int, int]], caption: str) -> Figure:
    """The accepted weight range of each of the six principles on the 0-3 scale, with the
    decisive ones (whose range reaches 3) marked in words; its text alternative is the key as
    a table."""
    names = load_course(language=language()).principle_names()
    if set(key) != set(PRINCIPLES):
        raise ValueError(f"give a range for exactly the six principles: {', '.join(PRINCIPLES)}")
    top = max(WEIGHTS)
    for principle, (low, high) in key.items():
        if not 0 <= low <= high <= top:
            raise ValueError(f"{principle}: the range {low}-{high} is not within 0-{top}")
    width, left, step, row = 380, 150, 56, 40
    decisive_word = _("decisive")
    body = [_text(left + n * step, 20, [str(n)], size=12) for n in range(top + 1)]
    body += [_line(left + n * step, 26, left + n * step, 30 + row * len(PRINCIPLES), dashed=True)
             for n in range(top + 1)]
    rows = []
    for n, principle in enumerate(PRINCIPLES):
        low, high = key[principle]
        y = 34 + n * row
        decisive = high == top
        short = re.split(r" except|, sauf", names[principle])[0]
        body.append(_text(8, y + 15, textwrap.wrap(short, 20), size=12, anchor="start",
                          bold=decisive))
        body.append(f'<rect x="{left + low * step - 9:g}" y="{y + 4}" width="{(high - low) * step + 18:g}" '
                    f'height="16" rx="8" fill="{UNIFORMED if decisive else CIVILIAN}" '
                    f'stroke="{LINE}" stroke-width="{2.5 if decisive else 1.5}"/>')
        if decisive:
            body.append(_text(left + high * step + 14, y + 16, [decisive_word], size=11,
                              anchor="start", bold=True))
        span = f"{low}" if low == high else f"{low}–{high}"
        rows.append((names[principle], span, decisive))
    height = 34 + row * len(PRINCIPLES)
    desc = "; ".join(f"{name}: {span}" + (f", {decisive_word}" if decisive else "")
                     for name, span, decisive in rows)
    svg = _svg(width + 40, height, _("Accepted weights, 0 to 3, per principle"), desc, body)
    table = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{span}</td>'
                    f"<td>{escape(decisive_word) if decisive else ''}</td></tr>"
                    for name, span, decisive in rows)
    heading = _("The key of the example: accepted weights (0 not at stake, 1 relevant, "
                "2 important, 3 decisive)")
    columns = (_("Principle"), _("Accepted range"), _("Decisive"))
    alternative = (
        '<table class="peaceops-table peaceops-figure-table">'
        f"<caption>{escape(heading)}</caption><thead><tr>"
        + "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
        + f"</tr></thead><tbody>{table}</tbody></table>")
    return Figure(svg, _(caption), alternative)


# -- a polarity map -----------------------------------------------------------------------------

def polarity_map(poles: tuple[str, str], upsides: tuple[str, str], downsides: tuple[str, str],
                 caption: str) -> Figure:
    """Two poles side by side, each with the upside it brings (above) and the downside of
    over-focus on it (below): the map of a both/and polarity, with the same in words. Texts
    that the code's catalogue translates (CIVIL_UNIFORMED_MAP's) are shown translated."""
    poles = tuple(_(p) for p in poles)
    upsides = tuple(_(u) for u in upsides)
    downsides = tuple(_(d) for d in downsides)
    upside, over = _("Upside"), _("Over-focus")
    width, half, box = 380, 190, 100
    body = []
    for n in range(2):
        x = n * half + 6
        body.append(_text(x + (half - 12) / 2, 22, [poles[n]], size=14, bold=True))
        body.append(_box(x, 32, half - 12, box, CIVILIAN))
        body.append(_text(x + 8, 50, [f"+ {upside}"], size=12, anchor="start", bold=True))
        body.append(_text(x + 8, 68, textwrap.wrap(upsides[n], 26), size=12, anchor="start"))
        body.append(_box(x, 32 + box + 10, half - 12, box, UNIFORMED, dashed=True))
        body.append(_text(x + 8, 60 + box, [f"− {over}"], size=12, anchor="start", bold=True))
        body.append(_text(x + 8, 78 + box, textwrap.wrap(downsides[n], 26), size=12,
                          anchor="start"))
    height = 32 + 2 * box + 10 + 30
    body.append(_text(width / 2, height - 8, [_("Both poles need attention, over time")],
                      size=12, bold=True))
    pole = _("Pole {pole}: upside, {upside}; over-focus, {downside}.")
    desc = " ".join(pole.format(pole=p, upside=u, downside=d)
                    for p, u, d in zip(poles, upsides, downsides, strict=True))
    title = _("Polarity map: {first} and {second}").format(first=poles[0], second=poles[1])
    svg = _svg(width, height, title, desc, body)
    item = _("{pole}: upside, {upside}; over-focus, {downside}.")
    items = "".join("<li>" + escape(item).format(pole=f"<strong>{escape(p)}</strong>",
                                                 upside=escape(u), downside=escape(d)) + "</li>"
                    for p, u, d in zip(poles, upsides, downsides, strict=True))
    summary = _("The map in words")
    alternative = (f'<details class="peaceops-figure-text"><summary>{escape(summary)}</summary>'
                   f"<ul>{items}</ul></details>")
    return Figure(svg, _(caption), alternative)


#: The book's texts of its figures (book/polarities.md, book/weighing.md), written once here
#: so that the code's catalogue translates them.
CIVIL_UNIFORMED_MAP = {
    "poles": (N_("Political direction"), N_("Operational judgement")),
    "upsides": (N_("Operations serve the political process"),
                N_("Plans stay achievable and safe")),
    "downsides": (N_("Political commitments made without regard to what the uniformed "
                     "components can deliver"),
                  N_("Operations that are efficient but damage the political process")),
    "caption": N_("A polarity map of civilian direction and uniformed operations (Johnson's "
                  "method, a suggestion beyond the source): the upside of each pole, and what "
                  "over-focus on it costs."),
}
WEIGHED_EXAMPLE = N_("The weighed example (fictional Arvandia): the accepted weight range of "
                     "each principle on the 0-3 scale; the two whose range reaches 3 are "
                     "decisive.")


__all__ = ["CIVIL_UNIFORMED_MAP", "WEIGHED_EXAMPLE", "Figure", "org_chart", "polarity_map",
           "weighing_figure"]
