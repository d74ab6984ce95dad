"""Show the document's formula text (LaTeX as transcribed) the way the printed page shows it.

The plan keeps the explanation verbatim; readers see a fraction, not backslashes. Only the few
constructs the IKU documents use are understood (\\frac, \\sum, \\text, \\times, \\%); anything
else is shown as written.
"""

from __future__ import annotations

import re
from html import escape

from kinerja_core.formula import matching_brackets

SIMPLE = [
    (r"\sum", "Σ"),
    (r"\times", "×"),
    (r"\%", "%"),
    (r"\left", ""),
    (r"\right", ""),
    (r"\cdot", "·"),
]


# Fractions nested deeper than this are shown as written: documents nest two or three, and the
# bound keeps rendering linear in the text's length (each level copies its contents once).
MAX_NESTING = 30
SPECIAL = re.compile(r"[\\{}]")


def _render(text: str, frac: str) -> str:
    braces = matching_brackets(text, "{")

    def group(start: int, end: int) -> tuple[int, int] | None:
        """The span inside the {...} group opening at ``start`` (balanced braces)."""
        close = braces.get(start) if start < end else None
        return None if close is None or close >= end else (start + 1, close)

    def render(start: int, end: int, depth: int) -> str:
        out = []
        i = start
        while i < end:
            if text.startswith(r"\frac", i, end) and depth < MAX_NESTING:
                num = group(i + 5, end)
                den = group(num[1] + 1, end) if num else None
                if num and den:
                    out.append(
                        frac.format(num=render(*num, depth + 1), den=render(*den, depth + 1))
                    )
                    i = den[1] + 1
                    continue
            if text.startswith(r"\text", i, end):
                shown = group(i + 5, end)
                if shown:
                    out.append(text[shown[0] : shown[1]])
                    i = shown[1] + 1
                    continue
            for macro, replacement in SIMPLE:
                after = i + len(macro)
                if text.startswith(macro, i, end) and not text[after : after + 1].isalpha():
                    out.append(replacement)
                    i = after
                    break
            else:
                if text[i] in "{}":
                    i += 1
                    continue
                # Plain text up to the next backslash or brace, in one piece.
                special = SPECIAL.search(text, i + 1, end)
                stop = special.start() if special else end
                out.append(text[i:stop])
                i = stop
        return re.sub(r"\s+", " ", "".join(out)).strip()

    return render(0, len(text), 0)


def is_latex(text: str) -> bool:
    return "\\" in text or text.strip().startswith("$")


def to_plain(text: str) -> str:
    """'(Σ A) / (Σ B) × 100%': for DOCX, XLSX and the terminal."""
    if not is_latex(text):
        return text
    return _render(text.replace("$", ""), "({num}) / ({den})")


def to_html(text: str) -> str:
    """HTML with stacked fractions; everything from the text is escaped first."""
    if not is_latex(text):
        return escape(text)
    frac = '<span class="frac"><span class="frac-num">{num}</span><span class="frac-den">{den}</span></span>'
    return _render(escape(text.replace("$", ""), quote=False), frac)
