from django import template
from django.utils.safestring import SafeString, mark_safe

from kinerja.plan.explanation import to_html

register = template.Library()


@register.filter
def explanation(text: str) -> SafeString:
    """Render a verbatim document formula; to_html escapes all text before adding markup."""
    return mark_safe(to_html(text or ""))  # noqa: S308
