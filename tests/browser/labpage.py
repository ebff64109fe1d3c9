"""Driving exercise notebooks in JupyterLab as a learner does: menus, the mouse, the keyboard."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from playwright.sync_api import Locator, Page, expect

from peaceops.exercises import Exercise, Item
from tests.browser.conftest import KERNEL, Lab

WIDGET = ".po-root"
#: How long `expect` waits for the page (a cold kernel start on a busy 2-core machine).
expect.set_options(timeout=60_000)


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
    choice, in the order the page shows them (a practice check shuffles its statements and
    options on each load; the DOM of peaceops/exercises/static/exercise.js, the same in
    JupyterLab and in the built book). `values` are the item's choice values in that order."""

    item: Item
    kind: Literal["select", "radio", "checkbox"]
    elements: list[Locator]
    values: list[str]

    def label(self, value: str) -> str:
        return dict(self.item.choices)[value]

    def shown(self) -> Any:
        """The answer the page shows, as a value of the item (None: not answered)."""
        if self.kind == "select":
            return self.elements[0].input_value() or None  # option values are choice values
        checked = [
            value for value, el in zip(self.values, self.elements, strict=True) if el.is_checked()
        ]
        if self.kind == "checkbox":
            return sorted(checked)
        assert len(checked) <= 1
        return checked[0] if checked else None


def controls(widget: Locator, exercise: Exercise) -> list[Control]:
    """The controls of `widget`, one per item of `exercise`, in the order the page shows
    them; checks the page shows this very exercise (its title, every item once, each
    control's label and choices)."""
    expect(widget.locator(".po-title")).to_have_text(exercise.title)
    nodes = widget.locator(".po-item")
    expect(nodes).to_have_count(len(exercise.items))
    items = {item.id: item for item in exercise.items}
    result = []
    for n in range(len(exercise.items)):
        node = nodes.nth(n)
        item = items.pop(node.get_attribute("data-item"))
        caption = f"{n + 1}. {item.prompt}" if item.prompt != exercise.prompt else item.label
        labels = dict(item.choices)
        if node.locator("select").count():
            select = node.locator("select")
            expect(widget.locator(f"label[for='{select.get_attribute('id')}']")).to_have_text(caption)
            options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
            assert options[0] == "" and sorted(options[1:]) == sorted(labels)
            texts = select.locator("option").evaluate_all("os => os.map(o => o.textContent)")
            assert texts[1:] == [labels[v] for v in options[1:]]
            result.append(Control(item, "select", [select], options[1:]))
            continue
        expect(node.locator("legend")).to_have_text(caption)  # a fieldset: the group's name
        kind = "checkbox" if item.multiple else "radio"
        inputs = node.locator(f"input[type={kind}]")
        values = inputs.evaluate_all("is => is.map(i => i.value)")
        assert sorted(values) == sorted(labels)
        for j, value in enumerate(values):
            expect(node.locator("label.po-choice").nth(j)).to_have_text(labels[value])
        result.append(Control(item, kind, [inputs.nth(j) for j in range(len(values))], values))
    return result


def order_shown(shown: list[Control]) -> list[tuple[str, list[str]]]:
    """The items and their choices in the order a page shows them."""
    return [(control.item.id, control.values) for control in shown]


def as_shown(exercise: Exercise, shown: list[Control]) -> Exercise:
    """`exercise` with its items and choices in the order the page shows them (its feedback
    lists the items in that order)."""
    return replace(exercise, items=tuple(
        replace(c.item, choices=tuple((v, c.label(v)) for v in c.values)) for c in shown))


def answer_with_mouse(controls: list[Control], answers: dict[str, Any]) -> None:
    """Choose each answer by pointing and clicking (a dropdown: choose its option)."""
    for control in controls:
        answer = answers[control.item.id]
        if control.kind == "select":
            control.elements[0].select_option(value=answer)
            continue
        wanted = set(answer) if control.kind == "checkbox" else {answer}
        for value, element in zip(control.values, control.elements, strict=True):
            if element.is_checked() != (value in wanted):
                element.click()


def answer_with_keyboard(page: Page, controls: list[Control], answers: dict[str, Any]) -> None:
    """Answer with the keyboard alone, from the first control on: Tab moves to the next
    control (a group of radio buttons is one stop); on a dropdown and in a radio group the
    arrow keys choose (no need to open the list); Space ticks a checkbox. Ends with Tab, on
    whatever follows the last control (in practice, the Check button)."""
    first = controls[0]
    (first.elements[0] if first.kind != "radio" else _radio_stop(first)).focus()
    keys = page.keyboard
    for control in controls:
        answer = answers[control.item.id]
        values = control.values
        if control.kind == "select":
            select = control.elements[0]
            expect(select).to_be_focused()
            steps = values.index(answer) + 1 - select.evaluate("s => s.selectedIndex")
            for _ in range(abs(steps)):
                keys.press("ArrowDown" if steps > 0 else "ArrowUp")
            expect(select).to_have_value(answer)
        elif control.kind == "radio":
            stop = _radio_stop(control)
            expect(stop).to_be_focused()
            current = control.shown()
            if current is None:
                keys.press("Space")  # ticks the first choice, where Tab lands
                current = values[0]
            steps = values.index(answer) - values.index(current)
            for _ in range(abs(steps)):
                keys.press("ArrowDown" if steps > 0 else "ArrowUp")
            expect(control.elements[values.index(answer)]).to_be_checked()
        else:
            for value, element in zip(values, control.elements, strict=True):
                expect(element).to_be_focused()
                if element.is_checked() != (value in answer):
                    keys.press("Space")
                if value != values[-1]:
                    keys.press("Tab")
        keys.press("Tab")
    assert [c.shown() for c in controls] == [answers[c.item.id] for c in controls]


def _radio_stop(control: Control) -> Locator:
    """The radio button that Tab lands on: the checked one, else the first."""
    current = control.shown()
    return control.elements[control.values.index(current) if current is not None else 0]
