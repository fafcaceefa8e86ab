"""Safe Markdown for text that members type (comments, notes, descriptions).

Markdown is rendered first, then the HTML is sanitized with nh3 against a short allowlist, so
raw HTML in the input is never executable whatever Markdown lets through. Every template has
the `markdown` filter (it is a template builtin, see TEMPLATES in settings):

    {{ comment.body|markdown }}
"""

import re
import threading

import markdown as _markdown
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MARKDOWN_EXTENSIONS = ["sane_lists", "fenced_code", "nl2br"]

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
# Dropped together with their content, not just unwrapped: their text is code or markup, not prose.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "template",
    "noscript",
    "textarea",
    "select",
}

# The page itself uses h1 and h2: a user's "#" becomes h3, "##" h4, and so on, h6 at most.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)


def _shift_heading(match: re.Match) -> str:
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}"


_converters = threading.local()


def _converter() -> _markdown.Markdown:
    """One Markdown converter per thread, reset between texts: building one loads every
    extension, which cost more than the conversion itself (200 comments on a page)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = _markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS, output_format="html"
        )
    return converter


def render_markdown(text: str) -> SafeString:
    """Render `text` as Markdown and return sanitized HTML that is safe to put in a page."""
    if not text:
        return SafeString("")
    html = _converter().reset().convert(str(text))
    html = _HEADING_TAG.sub(_shift_heading, html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # Safe: nh3 has just removed everything outside the allowlist above.
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703


@register.filter(name="markdown")
def markdown_filter(value) -> SafeString:
    """`{{ text|markdown }}`: the value rendered as sanitized Markdown."""
    if value is None:
        return SafeString("")
    return render_markdown(str(value))
