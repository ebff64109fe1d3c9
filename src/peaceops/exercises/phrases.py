"""Every learner-facing word of the exercises layer, in one place, marked for the catalogue
(`content.messages`): the Python side uses them translated with `_`, and the browser front
end (static/*.js) receives them translated in the payload's "words" (`front_words`), so that
the widget, the book and the graded feedback say the same in each language."""

from __future__ import annotations

from ..content.messages import N_, _, words

#: An item's result, in words (never colour alone).
STATUS_WORDS = {"correct": N_("✔ Correct"), "partial": N_("◐ Partly correct"),
                "incorrect": N_("✘ Not correct"), "unanswered": N_("– Not answered"),
                "invalid": N_("⚠ Not scored")}

#: The verdict after Check in practice (the widget and the book say the same).
VERDICTS = {"right": N_("All correct — well done."),
            "wrong": N_("Not all correct yet: read the feedback, then try again or ask for a hint.")}

#: Feedback of an item (scoring.py and its port in exercise.js): `str.format` templates.
FEEDBACK = {
    "not_scored": N_("Not scored: {problem}."),
    "partly": N_("Partly right: you chose {given}; the key is {key}."),
    "chose": N_("You chose {given}; the key is {key}."),
    "not_mapping": N_("the saved answers are not a mapping of item ids to answers"),
    "not_choice": N_("{answer} is not one of the choices"),
    "want_list": N_("expected a list of choices, got {type}"),
    "want_list_values": N_("expected a list of choices, got other values in it"),
    "want_one": N_("expected one choice, got {type}"),
    "source": N_("(Source: {source})"),
    # a principle's weight, scored by order (kinds/weighing.py)
    "weigh_alone": N_("You gave {weight}; the key ranks it apart from no other principle, so "
                      "its weight must lie in its keyed range {low}–{high}."),
    "weigh_one": N_("Ranked as the key does against {right} of the {n} principle it ranks "
                    "apart from it: the key ranks it {parts}, and you gave {weight} (equal "
                    "weights rank nothing)."),
    "weigh_many": N_("Ranked as the key does against {right} of the {n} principles it ranks "
                     "apart from it: the key ranks it {parts}, and you gave {weight} (equal "
                     "weights rank nothing)."),
    "above": N_("above {names}"), "below": N_("below {names}"),
    "both": N_("{above} and {below}"),
}

#: What the front end shows besides the feedback (buttons, labels, the book's progress).
UI = {
    "scenario": N_("Fictional scenario."),
    "choose": N_("— choose —"),
    "check": N_("Check"), "check_title": N_("Check your answers"),
    "hint": N_("Hint"), "hint_title": N_("Show a hint"),
    "hint_label": N_("Hint:"), "hint_default": N_("Re-read the lesson section."),
    "again": N_("Try again"),
    "again_title": N_("Clear the feedback; your answers stay, marked with their last result"),
    "reveal": N_("Show answer"), "reveal_title": N_("Show the answer with its reasons"),
    "revealed": N_("The answer is shown below."), "answer": N_("The answer"),
    "last_check": N_("Your last check: {status}"),
    "note": N_("⚠ Note:"),
    "actions": N_("{title}: actions"),
    # the book (book.js): progress kept in the browser, and the "My progress" page
    "one_check": N_("1 check"), "n_checks": N_("{n} checks"),
    "answered_correctly": N_("; answered correctly"),
    "progress_line": N_("Your progress, kept in this browser: {times}, best {best} / {max}{done}."),
    "last_shown": N_(" Your last attempt is shown."),
    "not_kept": N_("Your progress could not be kept: this browser blocks its local storage."),
    "caption": N_("Your practice checks, lesson by lesson"),
    "col_lesson": N_("Lesson"), "col_check": N_("Check"), "col_status": N_("Status"),
    "col_made": N_("Checks made"), "col_best": N_("Best score"),
    "not_tried": N_("– Not tried"), "done": N_("✔ Answered correctly"),
    "tried": N_("◐ Tried, not yet all correct"),
    "not_json": N_("it is not JSON"),
    "not_export": N_("it is not a {file} (schema 1, with \"checks\")"),
    "bad_entry": N_("its check \"{id}\" lacks attempts, best or max"),
    "export": N_("Export my progress ({file})"),
    "forget": N_("Forget my progress in this browser"),
    "summary": N_("{done} of {total} practice checks answered correctly in this browser."),
    "exported": N_("Saved as {file} in your downloads: move it into your course folder, "
                   "then run peaceops progress there."),
    "import": N_("Import progress from another browser ({file}): "),
    "not_imported": N_("Not imported: {name}: {reason}. Your progress is unchanged."),
    "import_blocked": N_("Not imported: this browser blocks its local storage."),
    "imported_one": N_(" Imported 1 check from {name}."),
    "imported_n": N_(" Imported {n} checks from {name}."),
    "forget_confirm": N_("Forget every practice check recorded in this browser?"),
    "your_progress": N_("Your progress"),
}


def front_words(lang: str | None = None) -> dict[str, dict[str, str]]:
    """The payload's "words": every word the front end shows, in `lang` (default: the
    learner's language)."""
    return {"status": words(STATUS_WORDS, lang), "verdict": words(VERDICTS, lang),
            "feedback": words(FEEDBACK, lang), "ui": words(UI, lang)}


def say(table: dict[str, str], name: str, lang: str | None = None, **values: object) -> str:
    """One message of `table`, translated and filled in."""
    return _(table[name], lang).format(**values)


__all__ = ["FEEDBACK", "STATUS_WORDS", "UI", "VERDICTS", "front_words", "say"]
