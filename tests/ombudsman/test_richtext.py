"""The narrative's plain text: paragraphs and [text](https://...) links, never raw HTML."""

import time

import pytest

from ombudsman import richtext


def test_paragraphs_and_a_link_with_its_address_shown():
    html = richtext.paragraphs_html(
        "See [Your council's performance](https://www.lgo.org.uk/your-councils-performance/)\nfor the data.\n\n"
        "Second paragraph."
    )

    assert html == [
        'See <a href="https://www.lgo.org.uk/your-councils-performance/">Your council&#x27;s performance</a> '
        '(<span class="richtext__address">www.lgo.org.uk/your-councils-performance</span>) for the data.',
        "Second paragraph.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("[x](http://insecure.example)", "[x](http://insecure.example)"),
        ("[x](https://)", "[x](https://)"),
        ("[x](https://user@evil.example)", "[x](https://user@evil.example)"),
        ('[x](https://a.example/"onmouseover="alert(1))', "[x](https://a.example/&quot;onmouseover=&quot;alert(1))"),
        ("[x](https://a.example/'><b>)", "[x](https://a.example/&#x27;&gt;&lt;b&gt;)"),
        ("[x](https://a.example/`x`)", "[x](https://a.example/`x`)"),
        (
            "[<img src=x onerror=alert(1)>](https://a.example/?a=1&b=2)",
            '<a href="https://a.example/?a=1&amp;b=2">&lt;img src=x onerror=alert(1)&gt;</a> '
            '(<span class="richtext__address">a.example/?a=1&amp;b=2</span>)',
        ),
        (
            "[[nested](https://a.example)]",
            '[<a href="https://a.example">nested</a> (<span class="richtext__address">a.example</span>)]',
        ),
        ("&amp; stays &amp;", "&amp;amp; stays &amp;amp;"),
        ("[x](https://a.example\x00/)", "[x](https://a.example\x00/)"),
    ],
)
def test_hostile_text_is_escaped_and_only_https_links_become_links(text, expected):
    assert richtext.paragraph_html(text) == expected


def test_pathological_input_is_rendered_in_linear_time():
    text = "[" * 100_000 + "](" * 50_000 + "[a](" * 50_000 + "[a](https://" + "a" * 100_000

    started = time.perf_counter()
    html = richtext.paragraphs_html(text)
    problems = richtext.link_problems(text)

    assert time.perf_counter() - started < 2
    assert "<a " not in html[0]
    assert isinstance(problems, list)


def test_link_problems_name_links_that_would_print_as_text():
    text = (
        "Fine [a](https://a.example). Not [b](http://b.example) nor [c](www.c.example) nor [d](javascript:x) "
        "nor [e](javascript:alert(1))."
    )

    assert richtext.link_problems(text) == [
        "The link “b” must point to an address starting https:// (it has “http://b.example”).",
        "The link “c” must point to an address starting https:// (it has “www.c.example”).",
        "The link “d” must point to an address starting https:// (it has “javascript:x”).",
        "The link “e” must point to an address starting https:// (it has “javascript:alert(1”).",
    ]
    assert richtext.links(text) == [richtext.Link("a", "https://a.example")]
