"""The built book on a phone (390 px wide, as an iPhone 12-15): on every page nothing is wider
than the screen or cut off (the lessons' data tables and "My progress" stack each row as a
card), and axe-core still finds no serious or critical violation there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site, audit
from tests.test_book import toc_files

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = [f"{doc}.html" for doc in toc_files()]
SERIOUS = ("serious", "critical")
#: What sticks out sideways in the page's main part: an element beyond the screen's right
#: edge, or a box whose content is wider than itself (it scrolls or is cut off). Elements
#: inside a visually hidden one (1 px, clipped: e.g. a stacked table's column headers) and
#: hidden drawers are not seen.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth} > ${width}`);
  for (const e of document.querySelectorAll('main *')) {
    let hidden = !e.checkVisibility();
    for (let a = e; a && !hidden; a = a.parentElement) {
      if (a.clientWidth <= 2 && getComputedStyle(a).overflow === 'hidden') hidden = true;
    }
    if (hidden || e.closest('.bd-sidebar-primary, .bd-sidebar-secondary')) continue;
    const what = `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || '').trim().slice(0, 40)}"`;
    const overflowX = getComputedStyle(e).overflowX;
    if (['auto', 'scroll', 'hidden', 'clip'].includes(overflowX) && e.scrollWidth > e.clientWidth + 1) {
      out.push(`${what} holds ${e.scrollWidth} px in ${e.clientWidth} px`);
    }
    const right = e.getBoundingClientRect().right;
    if (right > width + 1) out.push(`${what} reaches ${Math.round(right)} px`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    """One phone-sized page for the module; a practice check answered first, so that "My
    progress" has a full row (its "Best score" must show)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_a_page_wider_than_the_screen_is_caught(phone: Page, site: Site):
    """The other direction: the detector sees a wide table and a box that cuts its content."""
    phone.goto(site.url(PAGES[0]))
    assert phone.evaluate(OVERFLOW) == []
    phone.evaluate("""() => {
        const main = document.querySelector('main');
        const wide = document.createElement('table');
        wide.innerHTML = '<tr><td style="white-space: nowrap">' + 'wide '.repeat(60) + '</td></tr>';
        main.append(wide);
    }""")
    assert any("reaches" in line for line in phone.evaluate(OVERFLOW))
    phone.goto(site.url(PAGES[0]))
    phone.evaluate("""() => {
        const box = document.createElement('div');
        box.style.cssText = 'overflow-x: auto; width: 100px';
        box.innerHTML = '<span style="display: inline-block; width: 300px">x</span>';
        document.querySelector('main').append(box);
    }""")
    assert any("holds 300 px in 100 px" in line for line in phone.evaluate(OVERFLOW))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_a_phone_and_stays_accessible(
    phone: Page, site: Site, axe_script: Path, name: str
):
    if name == "book/progress.html":  # a row with a score in it
        phone.goto(site.url("book/glossary.html"))
        check = phone.locator("#exercise-glossary-acronyms .po-root")
        check.locator("input[type=radio]").first.check()
        check.get_by_role("button", name="Check").click()
    phone.goto(site.url(name), wait_until="networkidle")
    assert phone.evaluate(OVERFLOW) == []
    tables = phone.locator("table.peaceops-table")
    for n in range(tables.count()):  # stacked: a row's cells one under another, named
        cells = tables.nth(n).locator("tbody tr").first.locator("td")
        if cells.count() > 1:
            first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
            assert second["y"] >= first["y"] + first["height"] - 1
    if name == "book/progress.html":
        best = phone.locator("tr[data-check='glossary-acronyms'] td[data-label='Best score']")
        expect(best).to_contain_text("/ 1")
        box = best.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        label = best.evaluate("td => getComputedStyle(td, '::before').content")
        assert "Best score" in label
    _, violations = audit(phone, axe_script)
    serious = [v for v in violations if v.startswith(SERIOUS)]
    assert serious == [], "axe-core at 390 px:\n" + "\n".join(serious)
