"""Debian's Chromium starts headless under Playwright (the smallest browser test: the
prerequisite checks of tests/test_prerequisites.py run it with the browser hidden)."""

import pytest

pytestmark = pytest.mark.browser


def test_chromium_starts_and_renders_a_page(browser):
    page = browser.new_page()
    try:
        page.set_content("<main><h1>peaceops</h1></main>")
        assert page.inner_text("h1") == "peaceops"
    finally:
        page.close()
