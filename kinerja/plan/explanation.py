"""Show the document's formula text (LaTeX as transcribed) the way the printed page shows it.

The plan keeps the explanation verbatim; readers see a fraction, not backslashes. Only the few
constructs the IKU documents use are understood (\\frac, \\sum, \\text, \\times, \\%); anything
else is shown as written.
"""

from __future__ import annotations

import re
from html import escape

SIMPLE = [
    (r"\sum", "Σ"),
    (r"\times", "×"),
    (r"\%", "%"),
    (r"\left", ""),
    (r"\right", ""),
    (r"\cdot", "·"),
]


def _group(text: str, start: int) -> tuple[str, int] | None:
    """The {...} group starting at ``start`` (balanced braces) and the index after it."""
    if start >= len(text) or text[start] != "{":
        return None
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    return None


def _render(text: str, frac: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text.startswith(r"\frac", i):
            num = _group(text, i + 5)
            den = _group(text, num[1]) if num else None
            if num and den:
                out.append(frac.format(num=_render(num[0], frac), den=_render(den[0], frac)))
                i = den[1]
                continue
        if text.startswith(r"\text", i):
            group = _group(text, i + 5)
            if group:
                out.append(group[0])
                i = group[1]
                continue
        for macro, replacement in SIMPLE:
            if (
                text.startswith(macro, i)
                and not text[i + len(macro) : i + len(macro) + 1].isalpha()
            ):
                out.append(replacement)
                i += len(macro)
                break
        else:
            out.append(text[i] if text[i] not in "{}" else "")
            i += 1
    return re.sub(r"\s+", " ", "".join(out)).strip()


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
