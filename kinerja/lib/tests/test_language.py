"""One helper says which language figures and dates are written in."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from kinerja.lib.language import lang


def test_it_writes_english_only_while_english_is_active() -> None:
    with translation.override("en"):
        assert lang() == "en"
    with translation.override("en-gb"):
        assert lang() == "en"
    with translation.override("id"):
        assert lang() == "id"
    with translation.override(None):  # none active: the product's language
        assert lang() == "id"


def test_no_module_reads_the_language_for_figures_a_second_way() -> None:
    twins = [
        str(path.relative_to(settings.BASE_DIR))
        for path in sorted((Path(settings.BASE_DIR) / "kinerja").rglob("*.py"))
        if 'startswith("en")' in path.read_text(encoding="utf-8")
        and path.name not in {"language.py", "test_language.py"}
    ]
    assert twins == []
