"""Safe Markdown: what members type renders as Markdown, and no HTML in it can ever run."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from lic.markdown import render_markdown

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
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# What a browser strips or ignores in a URL before reading its scheme.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parse_tags(output: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(output)
    collector.close()
    return collector.tags


def assert_inert(output: str) -> None:
    """Nothing in `output` can run: only allowlisted tags, no attribute but a link's href and rel,
    and every href is relative or http(s)/mailto as a browser would read it."""
    lowered = output.lower()
    for fragment in ("<script", "<img", "<iframe", "<svg", "<style", "<object", "<embed", "<math"):
        assert fragment not in lowered, f"{fragment!r} in {output!r}"
    assert not re.search(r"\son\w+\s*=", lowered), f"event handler attribute in {output!r}"
    # Such words may stay as text a reader sees, never inside a tag.
    for markup in re.findall(r"<[^>]*>", lowered):
        assert "javascript" not in markup and "data:" not in markup, f"{markup!r} in {output!r}"
    for tag, attrs in parse_tags(output):
        assert tag in ALLOWED_TAGS, f"<{tag}> in {output!r}"
        names = {name for name, _ in attrs}
        if tag == "a":
            assert names <= {"href", "rel"}, f"attributes {names} in {output!r}"
        else:
            assert not names, f"attributes {names} on <{tag}> in {output!r}"
        for name, value in attrs:
            if name == "href":
                url = URL_IGNORED.sub("", html.unescape(value or ""))
                scheme = SCHEME.match(url)
                assert scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES, (
                    f"href {value!r} in {output!r}"
                )


XSS_PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script tag mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "img onerror in markdown": "![x](x)<img src=x onerror=alert(1)//>",
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "html javascript link": '<a href="javascript:alert(1)">click</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "markdown data link": "[click](data:text/html,<script>alert(1)</script>)",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style with expression": "<style>body { background: expression(alert(1)); }</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "event handler on allowed tag": '<p onclick="alert(1)">click me</p>',
    "event handler on allowed link": '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "markdown javascript link": "[x](javascript:alert(1))",
    "markdown javascript link mixed case": "[x](JaVaScRiPt:alert(1))",
    "markdown reference javascript link": "[x][1]\n\n[1]: javascript:alert(1)",
    "autolink with javascript": "<javascript:alert(1)>",
    "entity-encoded colon": "[x](javascript&#58;alert(1))",
    "entity-encoded colon in html": '<a href="javascript&#58;alert(1)">x</a>',
    "entity-encoded tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "leading spaces": '<a href="  javascript:alert(1)">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "mathml": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "html comment trick": "<!--><script>alert(1)</script>-->",
    "img in markdown": "![x](javascript:alert(1))",
}


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_xss_payload_is_inert(payload):
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_xss_payload_is_inert_inside_markdown(payload):
    text = f"# Heading\n\nSome **bold** text {payload} and more.\n\n- item {payload}\n"
    assert_inert(render_markdown(text))


def test_script_content_is_dropped_not_shown():
    output = render_markdown("before<script>alert(1)</script>after")
    assert "alert" not in output
    assert "before" in output and "after" in output


def test_javascript_link_keeps_its_text_but_loses_its_href():
    output = render_markdown("[click here](javascript:alert(1))")
    assert "click here" in output
    assert "href" not in output


def test_result_is_safe_string():
    assert isinstance(render_markdown("hi"), SafeString)
    assert render_markdown("") == ""


def test_bold_and_emphasis():
    assert render_markdown("**bold** and *em*") == "<p><strong>bold</strong> and <em>em</em></p>"


def test_lists():
    assert render_markdown("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert render_markdown("1. one\n2. two") == "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"


def test_http_link_gets_safe_rel():
    assert render_markdown("[site](https://example.org/a?b=1)") == (
        '<p><a href="https://example.org/a?b=1" rel="nofollow noopener noreferrer">site</a></p>'
    )


def test_mailto_link_kept():
    output = render_markdown("[mail](mailto:someone@example.org)")
    assert 'href="mailto:someone@example.org"' in output


def test_fenced_code_block_is_escaped():
    output = render_markdown("```python\nprint('<b>hi</b>')\n```")
    assert output.startswith("<pre><code>")
    assert "&lt;b&gt;hi&lt;/b&gt;" in output
    assert "<b>" not in output


def test_line_breaks_typed_on_a_phone_are_kept():
    assert render_markdown("first line\nsecond line") == "<p>first line<br>\nsecond line</p>"


def test_blockquote_and_rule():
    output = render_markdown("> quoted\n\n---\n\nafter")
    assert "<blockquote>" in output and "<hr>" in output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title", "<h3>Title</h3>"),
        ("## Sub", "<h4>Sub</h4>"),
        ("### Third", "<h5>Third</h5>"),
        ("#### Fourth", "<h6>Fourth</h6>"),
        ("###### Sixth", "<h6>Sixth</h6>"),
        ("<h1>raw</h1>", "<h3>raw</h3>"),
        ("<H2>raw</H2>", "<h4>raw</h4>"),
    ],
)
def test_headings_never_reach_h1_or_h2(text, expected):
    output = render_markdown(text)
    assert output == expected
    assert "<h1" not in output.lower() and "<h2" not in output.lower()


def test_template_filter_is_builtin():
    template = Template("<div>{{ body|markdown }}</div>")
    body = "# Hi\n\n**bold** <script>alert(1)</script><img src=x onerror=alert(1)>"
    rendered = template.render(Context({"body": body}))
    assert rendered.startswith("<div><h3>Hi</h3>") and rendered.endswith("</div>")
    assert "<strong>bold</strong>" in rendered
    assert_inert(rendered.removeprefix("<div>").removesuffix("</div>"))


def test_template_filter_handles_none():
    assert Template("[{{ body|markdown }}]").render(Context({"body": None})) == "[]"
