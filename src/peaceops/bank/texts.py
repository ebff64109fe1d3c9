"""The texts that the near-duplicate check compares: what a learner reads of each item, and
every reference text a candidate may have seen (practice entries, the other bank's items and
the book's pages, down to paragraphs, sentences, list items and the rows of rendered tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..content import Course, Entry

BOOK = "book"
MIN_WORDS = 5  # shorter units (headings, labels, table cells) carry no item's meaning
#: Columns of the content tables that book pages render with `table("name")`, per table
#: (responsibilities and polarity challenges are compared as practice entries already).
TABLE_TEXT: dict[str, tuple[str, ...]] = {
    "principles": ("name", "definition"),
    "considerations": ("consideration",),
    "political_process": ("activity",),
    "leadership_characteristics": ("characteristic", "description"),
    "glossary": ("term", "expansion", "definition"),
    "polarities": ("explanation",),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")


@dataclass(frozen=True)
class Text:
    """One text to compare: an item's public text, or one unit of a reference."""

    where: str  # "exam", "lessons", "practice" or "book"
    pool: str  # the entry's pool, or "book"
    id: str  # the entry's id, or "<page>.md ¶N" / "<page>.md table <name>"
    text: str

    @property
    def label(self) -> str:
        return f"{self.where} {self.pool} {self.id}" if self.pool != BOOK else \
            f"book {self.id}"


def entry_text(entry: Entry) -> str:
    """What a learner reads of an item: a statement, a challenge, a scenario's title and
    situation, or a question's prompt and options."""
    public = entry.public
    parts = [str(public[f]) for f in ("title", "statement", "challenge", "situation", "prompt")
             if public.get(f)]
    return " ".join([*parts, *(str(o) for o in public.get("options", ()))])


def entry_texts(course: Course, where: str) -> list[Text]:
    """The entries of one bank (`"exam"`, `"lessons"`) or the practice entries
    (`"practice"`), in file order."""
    bank = "" if where == "practice" else where
    return [Text(where, entry.pool, entry.id, entry_text(entry))
            for pool in course.pools.values() for entry in pool.values() if entry.bank == bank]


def _plain(markdown: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links and images
    text = re.sub(r"\{[a-z-]+\}`([^`]*)`", r"\1", text)  # MyST roles
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def _blocks(markdown: str) -> list[str]:
    """The prose of a MyST page, one string per paragraph, list item, quote or table row:
    front matter, code cells, directives, headings and the Sources section dropped."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"^(```|:::).*?^\1\s*$", "", text, flags=re.S | re.M)
    text = re.sub(r"^##+ Sources\s*\n.*?(?=^#|\Z)", "", text, flags=re.S | re.M)
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.lstrip().startswith("#")]
        if lines and all(line.lstrip().startswith("|") for line in lines):
            for row in lines:
                cells = [c.strip() for c in row.strip().strip("|").split("|")]
                if not all(set(c) <= set("-: ") for c in cells):
                    blocks.append("; ".join(cells))
            continue
        for item in re.split(r"\n(?=\s*(?:[-*+]|\d+\.)\s)", "\n".join(lines)):
            blocks.append(re.sub(r"^\s*(?:>|[-*+]|\d+\.)\s?", "", item, flags=re.M))
    return [b for b in (_plain(b) for b in blocks) if len(b.split()) >= MIN_WORDS]


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if len(s.split()) >= MIN_WORDS]


def page_texts(course: Course, page: Path) -> list[Text]:
    """One book page: each paragraph, each sentence of a longer paragraph, and the rows of
    the content tables the page renders."""
    markdown = page.read_text(encoding="utf-8")
    texts = []
    for n, block in enumerate(_blocks(markdown), 1):
        texts.append(Text(BOOK, BOOK, f"{page.name} ¶{n}", block))
        parts = sentences(block)
        if len(parts) > 1:
            texts += [Text(BOOK, BOOK, f"{page.name} ¶{n}.{m}", s)
                      for m, s in enumerate(parts, 1)]
    for name in dict.fromkeys(re.findall(r"\btable\(\s*[\"'](\w+)[\"']", markdown)):
        table = course.tables.get(name)
        columns = [c for c in TABLE_TEXT.get(name, ()) if table is not None and c in table]
        for _, row in (table.iterrows() if columns else ()):
            line = ": ".join(str(row[c]) for c in columns)
            if len(line.split()) >= MIN_WORDS:
                texts.append(Text(BOOK, BOOK, f"{page.name} table {name} {row.iloc[0]}", line))
    return texts


def book_dir(course: Course) -> Path:
    """The book's pages beside the content: <course>/book for <course>/data."""
    return course.directory.parent / BOOK


def book_texts(course: Course, folder: Path | None = None) -> list[Text]:
    """Every unit of every page of the book (`book_dir(course)` unless given)."""
    folder = folder or book_dir(course)
    return [t for page in sorted(folder.glob("*.md")) for t in page_texts(course, page)]
