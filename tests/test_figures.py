"""The book's figures (peaceops/figures.py): SVG drawn from the course's data, readable
without the picture (title, description, text alternative), and nothing fetched."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from peaceops.content import load_course
from peaceops.figures import org_chart, polarity_map, weighing_figure
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE = {"consent": (0, 1), "impartiality": (2, 3), "non_use_of_force": (2, 3),
           "legitimacy": (1, 2), "credibility": (0, 1), "ownership": (1, 2)}


def svg_of(figure) -> ET.Element:
    """The figure's SVG, parsed (it must be well-formed XML), checked to be a labelled image
    that loads nothing."""
    html = figure._repr_html_()
    svg = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + 6])
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text and len(desc.text) > 40
    assert "href" not in html.replace("http://www.w3.org/2000/svg", "")
    return svg


def texts(svg: ET.Element) -> str:
    return " ".join(" ".join(t.itertext()) for t in svg.iter(f"{SVG}text"))


def test_the_org_chart_is_drawn_from_roles_csv(tmp_path):
    course = load_course()
    figure = org_chart(course)
    svg, html = svg_of(figure), figure._repr_html_()
    for role in course.roles.itertuples():
        assert role.abbreviation in texts(svg)  # in the picture
        assert role.name in html.split("</svg>")[1].replace("&amp;", "&")  # in words
        assert role.name in svg.find(f"{SVG}desc").text
    dashed = [r for r in svg.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
    assert len(dashed) == (course.roles["team"] == "reinforcing").sum()
    # the other direction: a role added to the data appears in the chart
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "roles.csv").open("a") as rows:
        rows.write("legal,Head of the Legal Affairs section,Legal,civilian,reinforcing,MLT composition\n")
    more = org_chart(load_course(data, cache=False))
    assert "Legal" in texts(svg_of(more)) and "Legal" not in texts(svg)


def test_the_weighing_figure_draws_each_range_and_marks_the_decisive():
    figure = weighing_figure(EXAMPLE, "An example")
    svg = svg_of(figure)
    bars = [r for r in svg.iter(f"{SVG}rect")]
    widths = [float(r.get("width")) for r in bars]
    assert len(bars) == 6 and widths[1] == widths[2] > widths[0] - 1  # 2-3 as wide as 0-1
    assert texts(svg).count("decisive") == 2
    html = figure._repr_html_()
    assert "<td>2–3</td><td>decisive</td>" in html and "<td>0–1</td><td></td>" in html
    with pytest.raises(ValueError, match="six principles"):
        weighing_figure({"consent": (0, 1)}, "x")
    with pytest.raises(ValueError, match="consent: the range 2-1"):
        weighing_figure({**EXAMPLE, "consent": (2, 1)}, "x")


def test_the_polarity_map_says_each_pole_in_words():
    figure = polarity_map(("A pole", "B pole"), ("up A", "up B"), ("down A", "down B"), "Map")
    svg = svg_of(figure)
    for word in ("A pole", "B pole", "up A", "down B", "Upside", "Over-focus"):
        assert word in texts(svg)
    assert "<strong>B pole</strong>: upside, up B; over-focus, down B." in figure._repr_html_()


@pytest.mark.parametrize(("page", "call"), [("mlt", "org_chart()"),
                                            ("weighing", "weighing_figure("),
                                            ("polarities", "polarity_map(")])
def test_each_figure_is_in_its_lesson(page, call):
    assert call in (ROOT / "book" / f"{page}.md").read_text()
