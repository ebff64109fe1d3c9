"""Driving exercise notebooks in JupyterLab as a learner does: menus, the mouse, the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from playwright.sync_api import Locator, Page, expect

from peaceops.exercises import Exercise, Item
from tests.browser.conftest import KERNEL, Lab

#: Exercise kinds shown with radio buttons (as in peaceops.exercises.widget); others: dropdowns.
RADIO_KINDS = ("choice", "polarity_sorting")
WIDGET = ".peaceops-exercise"


def open_in_lab(page: Page, lab: Lab, path: str) -> None:
    """Open the notebook `path` in a fresh JupyterLab workspace; wait for its kernel."""
    page.goto(lab.url(f"lab/tree/{path}", reset=""))
    wait_for_kernel(page)


def wait_for_kernel(page: Page) -> None:
    """Wait until the notebook's kernel (this environment's, by its name) is idle."""
    page.locator(".jp-NotebookPanel .jp-Notebook").wait_for()
    # a cold kernel start on a busy 2-core machine takes far longer than expect's 5 s
    expect(page.locator(".jp-StatusBar-Widget").filter(has_text=KERNEL)).to_contain_text(
        f"{KERNEL} | Idle", timeout=90_000
    )


def menu(page: Page, top: str, item: str) -> None:
    """Click `top` in the menu bar, then `item` in its menu."""
    page.get_by_role("menuitem", name=top, exact=True).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def run_all(page: Page) -> None:
    menu(page, "Run", "Run All Cells")


def restart_and_run_all(page: Page) -> None:
    menu(page, "Kernel", "Restart Kernel and Run All Cells…")
    page.locator(".jp-Dialog .jp-mod-accept").click()


def wait_for_outputs(page: Page, text: str, count: int) -> None:
    """Wait until `count` cell outputs contain `text`."""
    page.wait_for_function(
        """([text, count]) => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
               .filter(o => o.textContent.includes(text)).length === count""",
        arg=[text, count],
    )


def exercise_widgets(page: Page) -> Locator:
    return page.locator(WIDGET)


def widget_screenshot(page: Page, widget: Locator) -> bytes:
    """A PNG of the widget alone, whole: in a window tall enough for it, with no focus ring
    and no hover."""
    height = widget.bounding_box()["height"]
    page.set_viewport_size({"width": 1280, "height": max(900, int(height) + 400)})
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    widget.evaluate("w => w.scrollIntoView({block: 'center'})")
    page.wait_for_function(
        """w => {
            const r = w.getBoundingClientRect();
            const v = w.closest('.jp-WindowedPanel-outer').getBoundingClientRect();
            return r.top >= v.top - 1 && r.bottom <= v.bottom + 1;
        }""",
        arg=widget.element_handle(),
        timeout=10_000,
    )
    return widget.screenshot(animations="disabled")


@dataclass
class Control:
    """The element(s) answering one item: a dropdown, or one radio button / checkbox per
    choice, in the order of the item's choices."""

    item: Item
    kind: Literal["select", "radio", "checkbox"]
    elements: list[Locator]

    def label(self, value: str) -> str:
        return dict(self.item.choices)[value]

    def shown(self) -> Any:
        """The answer the page shows, as a value of the item (None: not answered)."""
        if self.kind == "select":
            shown = self.elements[0].input_value()  # a dropdown's option values are labels
            by_label = {label: value for value, label in self.item.choices}
            return by_label[shown] if shown else None
        checked = [
            value
            for (value, _), el in zip(self.item.choices, self.elements, strict=True)
            if el.is_checked()
        ]
        if self.kind == "checkbox":
            return sorted(checked)
        assert len(checked) <= 1
        return checked[0] if checked else None


def controls(widget: Locator, exercise: Exercise) -> list[Control]:
    """The controls of `widget`, one per item of `exercise`; checks the page shows this very
    exercise (its title, and each item's prompt and label, in order)."""
    text = widget.inner_text()
    assert exercise.title in text
    selects, radios = widget.locator("select"), widget.locator("input[type=radio]")
    boxes = widget.locator("input[type=checkbox]")
    counts = {"select": 0, "radio": 0, "checkbox": 0}
    sources = {"select": selects, "radio": radios, "checkbox": boxes}
    result, position = [], 0
    for item in exercise.items:
        if item.prompt != exercise.prompt:
            found = text.find(item.prompt, position)
            assert found >= 0, f"item {item.id} is not shown (in order): {item.prompt}"
            position = found
        if item.multiple:
            kind = "checkbox"
        elif exercise.kind in RADIO_KINDS:
            kind = "radio"
        else:
            kind = "select"
        n = 1 if kind == "select" else len(item.choices)
        start = counts[kind]
        elements = [sources[kind].nth(start + j) for j in range(n)]
        counts[kind] += n
        if kind == "select":
            caption = widget.locator(f"label[for='{elements[0].get_attribute('id')}']")
            expect(caption).to_have_text(item.label)
            options = elements[0].locator("option").evaluate_all("os => os.map(o => o.value)")
            assert options == [label for _, label in item.choices]
        result.append(Control(item, kind, elements))
    assert (selects.count(), radios.count(), boxes.count()) == (
        counts["select"],
        counts["radio"],
        counts["checkbox"],
    ), "the widget has controls that match no item"
    return result


def answer_with_mouse(controls: list[Control], answers: dict[str, Any]) -> None:
    """Choose each answer by pointing and clicking (a dropdown: choose its option)."""
    for control in controls:
        answer = answers[control.item.id]
        if control.kind == "select":
            control.elements[0].select_option(value=control.label(answer))
            continue
        wanted = set(answer) if control.kind == "checkbox" else {answer}
        for (value, _), element in zip(control.item.choices, control.elements, strict=True):
            if element.is_checked() != (value in wanted):
                element.click()


def answer_with_keyboard(page: Page, controls: list[Control], answers: dict[str, Any]) -> None:
    """Answer with the keyboard alone, from the first control on: Tab moves to the next
    control; Space ticks a radio button or a checkbox; Space opens a dropdown's list, the arrow
    keys move in it and Enter chooses. (On a closed dropdown JupyterLab's notebook takes the
    arrow keys and letters for its own shortcuts, ipywidgets issue 3912; the open list has them.)
    """
    controls[0].elements[0].focus()  # where Tab brings a learner to the exercise
    keys = page.keyboard
    for control in controls:
        answer = answers[control.item.id]
        if control.kind == "select":
            select = control.elements[0]
            expect(select).to_be_focused()
            values = [value for value, _ in control.item.choices]
            target, current = values.index(answer), select.evaluate("s => s.selectedIndex")
            keys.press("Space")
            steps = target - current if current >= 0 else target + 1
            for _ in range(abs(steps)):
                keys.press("ArrowDown" if steps > 0 else "ArrowUp")
            keys.press("Enter")
            expect(select).to_have_value(control.label(answer))
            keys.press("Tab")
            continue
        wanted = set(answer) if control.kind == "checkbox" else {answer}
        for (value, _), element in zip(control.item.choices, control.elements, strict=True):
            expect(element).to_be_focused()
            if element.is_checked() != (value in wanted):
                keys.press("Space")
            keys.press("Tab")
