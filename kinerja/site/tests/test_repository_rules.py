"""Rules about the repository's own text: comments cite what a newcomer can open.

A comment that cites a design file kept outside the repository, or the number of an issue in a
tracker, sends the reader somewhere they cannot follow. The rules the code implements are in
docs/rules.md and the structure in docs/architecture.md; comments cite those (with an anchor
that exists) or say the reason themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCANNED = ("kinerja", "kinerja_core", "plans")
SUFFIXES = {".py", ".html", ".txt", ".md", ".yaml", ".yml", ".js", ".css"}
SKIPPED_DIRS = {"locale", "__pycache__", "node_modules"}
THIS_FILE = Path(__file__).resolve()

# "DESIGN §3.1", "DESIGN.md", a bare "§3.2" and "issue 7" all point outside the repository.
OUTSIDE = re.compile(r"DESIGN\s*§|DESIGN\.md|§\s*\d|\b[Ii]ssues? #?\d+|\bthe issue's\b")
CITATION = re.compile(r"docs/(rules|architecture)\.md#([a-z0-9-]+)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def files() -> list[Path]:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or path.suffix not in SUFFIXES:
                continue
            if SKIPPED_DIRS & set(path.relative_to(ROOT).parts) or path.resolve() == THIS_FILE:
                continue
            found.append(path)
    return found


def anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown renderers give a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_it_scans_the_source_tree() -> None:
    scanned = {path.relative_to(ROOT).as_posix() for path in files()}
    assert "kinerja_core/ikm.py" in scanned
    assert "kinerja/surveys/forms.py" in scanned
    assert "kinerja/site/templates/base.html" in scanned


def test_it_finds_no_citation_of_a_file_outside_the_repository_or_an_issue_number() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert found == [], "cite docs/rules.md or docs/architecture.md instead:\n" + "\n".join(found)


def test_it_finds_every_cited_docs_anchor() -> None:
    anchors = {
        name: {
            anchor(h) for h in HEADING.findall((ROOT / "docs" / f"{name}.md").read_text("utf-8"))
        }
        for name in ("rules", "architecture")
    }
    broken = [
        f"{path.relative_to(ROOT)}: docs/{m.group(1)}.md#{m.group(2)}"
        for path in files()
        for m in CITATION.finditer(path.read_text(encoding="utf-8"))
        if m.group(2) not in anchors[m.group(1)]
    ]
    assert broken == [], "no such heading:\n" + "\n".join(broken)
