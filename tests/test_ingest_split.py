"""Article splitting: the seed page, a second page layout, chrome, dates, offsets."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest

from claimgraph.ingest import Article, Chrome, Document, split_articles
from claimgraph.ingest.dates import is_date_text, normalize_date, parse_reference, resolve_relative

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEED = ROOT / "examples" / "seed_page.txt"
SEED_META = (
    Path(os.environ.get("CLAIMGRAPH_SHARED", ROOT.parent / "shared"))
    / "seed"
    / "seed_gold_meta.json"
)

SEED_CHROME = (
    "Hashtags",
    "Try Our AI Features",
    "Explore what Daily8 AI can do for you:",
    "Comments",
    "No comments yet...",
    "Related Articles",
)


def _doc(text: str, source: str = "page.txt") -> Document:
    return Document(source, text, "utf-8", "0")


def _segment_lines(doc: Document, article: Article) -> list[str]:
    return [line.strip() for s, e in article.segments for line in doc.text[s:e].splitlines()]


@pytest.fixture(scope="module")
def seed() -> tuple[Document, list[Article]]:
    doc = _doc(SEED.read_text(encoding="utf-8"), str(SEED))
    return doc, split_articles(doc, reference_date=datetime(2025, 7, 23, 9, 0))


def test_seed_page_titles_and_outlets(seed):
    _, articles = seed
    assert [(a.index, a.title, a.outlet) for a in articles] == [
        (1, "Kremlin expects 'difficult' talks with Ukraine in Istanbul", None),
        (2, "Israeli military expert predicts Gaza war to continue for 10 years", "ABC News"),
        (
            3,
            "The two-timing Chinese act that made a complete fool of Albo's charm offensive "
            "as the world again sits on the brink of all-out war",
            "Sky News AU",
        ),
        (4, "Iran meets E3 in Istanbul to discuss nuclear program", "ABC News"),
    ]


def test_seed_page_relative_dates(seed):
    _, articles = seed
    assert [(a.date_text, a.date) for a in articles] == [
        (None, None),
        ("an hour ago", "2025-07-23"),
        ("an hour ago", "2025-07-23"),
        ("20 hours ago", "2025-07-22"),
    ]


def test_seed_page_has_no_chrome_in_articles(seed):
    doc, articles = seed
    for article in articles:
        lines = _segment_lines(doc, article)
        for chrome in SEED_CHROME:
            assert chrome not in lines, (article.index, chrome)
        # header lines (outlet, time, byline) are not body text either
        assert "an hour ago" not in lines and "- ABC News" not in lines


def test_seed_page_offsets_slice_the_original_text(seed):
    doc, articles = seed
    for article in articles:
        assert article.text(doc) == doc.text[article.start : article.end]
        s, e = article.title_span
        assert doc.text[s:e] == article.title
        assert article.segments[0][0] == s
        for offset, text in article.body(doc):
            assert doc.text[offset : offset + len(text)] == text
    # the body of article 2 starts with its title and ends with its last sentence
    body = articles[1].body(doc)[0][1]
    assert body.startswith("Israeli military expert") and body.endswith('such is life."')


def test_seed_page_boundaries_match_gold_meta(seed):
    if not SEED_META.exists():
        pytest.skip("../shared/seed not available")
    gold = json.loads(SEED_META.read_text())["articles"]
    _, articles = seed
    assert {str(a.index): [a.start, a.end] for a in articles} == gold


def test_second_layout_page():
    text = (FIXTURES / "other_layout_page.txt").read_text(encoding="utf-8")
    doc = _doc(text)
    articles = split_articles(doc, reference_date=date(2025, 7, 23))
    got = [(a.title, a.outlet, a.author, a.date) for a in articles]
    assert got == [
        ("Central bank holds rates as inflation cools", "The Ledger", "Maria Lopez", "2025-07-21"),
        ("Farmers warn of poor harvest after dry spring", "Reuters", None, "2025-07-20"),
        ("Port strike enters second week", "Harbour Times", None, "2025-07-14"),
    ]
    kept = [line for a in articles for line in _segment_lines(doc, a)]
    # the subheading stays in its article; ads, share buttons, comments and footer do not
    assert "Markets shrug off the decision" in kept
    for dropped in (
        "Advertisement",
        "Share this article",
        "Read more",
        "kiwi_trader",
        "This whole article is biased against the union, as usual.",
        "Rates should have been cut months ago.",
        "Home | World | Business | Climate | Opinion",
        "By Maria Lopez",
        "Reuters | 3 days ago",
    ):
        assert dropped not in kept
    assert _segment_lines(doc, articles[2])[-1].startswith("Dock workers extended")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_offsets_hold_with_crlf(newline):
    text = newline.join(
        [
            "Hashtags",
            "Storm closes ports along the coast",
            "Reuters · an hour ago",
            "Officials said the ports would reopen on Friday.",
            "Advertisement",
            '"We are doing all we can," the harbour master said.',
            "Comments",
            "",
        ]
    )
    doc = _doc(text)
    (article,) = split_articles(doc, reference_date=date(2025, 1, 2))
    assert article.outlet == "Reuters"
    assert [doc.text[s:e] for s, e in article.segments] == [
        "Storm closes ports along the coast",
        "Officials said the ports would reopen on Friday.",
        '"We are doing all we can," the harbour master said.',
    ]
    assert "\r" not in "".join(doc.text[s:e] for s, e in article.segments)


def test_plain_article_with_subheadings_is_one_article():
    text = (
        "Parliament passes budget\n"
        "The budget passed by a narrow margin on Tuesday.\n"
        "Opposition reacts\n"
        "The opposition leader said the vote was rushed.\n"
    )
    (article,) = split_articles(_doc(text))
    assert article.title == "Parliament passes budget"
    assert article.segments == ((0, len(text) - 1),)


def test_untitled_text_and_comment_sections():
    text = (
        "the minister said on Monday that talks would continue.\n"
        "Comments\n"
        "John Smith\n"
        "2 hours ago\n"
        "Nonsense, the minister always says that.\n"
    )
    (article,) = split_articles(_doc(text))
    assert article.title is None and article.start == 0
    assert article.end == text.index("Comments")


def test_only_chrome_gives_no_articles():
    assert split_articles(_doc("Comments\nNo comments yet...\nRelated Articles\n")) == []


def test_extra_chrome_patterns():
    text = (
        "Rail fares to rise in March\nFares will rise by 4 per cent.\n"
        "Promo: win a car\nMore text here.\n"
    )
    chrome = Chrome(extra_inline=[r"promo:.*"])
    doc = _doc(text)
    (article,) = split_articles(doc, chrome=chrome)
    assert "Promo: win a car" not in _segment_lines(doc, article)
    with pytest.raises(ValueError, match="bad chrome pattern"):
        Chrome(extra_break=["(unclosed"])


def test_no_split_keeps_one_article():
    doc = _doc(SEED.read_text(encoding="utf-8"))
    (article,) = split_articles(doc, split=False)
    assert (article.start, article.end) == (0, len(doc.text))
    lines = _segment_lines(doc, article)
    assert (
        "Hashtags" not in lines
        and "Israeli military expert predicts Gaza war to continue for 10 years" in lines
    )


LAYOUT = (FIXTURES / "other_layout_page.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("metadata", "reference", "dates"),
    [
        # an explicit reference date comes first
        (
            {"date": "2025-08-01"},
            date(2025, 7, 23),
            ["2025-07-21", "2025-07-20", "2025-07-14"],
        ),
        # else the document's own date metadata
        ({"date": "2025-08-01"}, None, ["2025-07-30", "2025-07-29", "2025-07-14"]),
        # else the latest absolute dateline of the page ("Published: July 14, 2025")
        ({}, None, ["2025-07-12", "2025-07-11", "2025-07-14"]),
        # file and fetch times never decide a date; an unreadable date field is no reference
        (
            {"modified": "2025-07-23T12:00:00", "fetched": "2025-07-23T12:00:00"},
            None,
            ["2025-07-12", "2025-07-11", "2025-07-14"],
        ),
        ({"date": "not a date"}, None, ["2025-07-12", "2025-07-11", "2025-07-14"]),
    ],
)
def test_relative_date_reference_order(metadata, reference, dates):
    doc = Document("page.txt", LAYOUT, "utf-8", "0", metadata=metadata)
    articles = split_articles(doc, reference_date=reference)
    assert [a.date_text for a in articles] == [
        "2 days ago",
        "3 days ago",
        "Published: July 14, 2025",
    ]
    assert [a.date for a in articles] == dates
    assert [a.date_source for a in articles] == ["dateline"] * 3


def test_relative_dates_without_any_reference_stay_unresolved():
    text = LAYOUT.replace("Published: July 14, 2025\n", "")
    doc = Document("page.txt", text, "utf-8", "0", metadata={"modified": "2025-07-23T12:00:00"})
    articles = split_articles(doc)
    assert [(a.date_text, a.date, a.date_source) for a in articles] == [
        ("2 days ago", None, None),
        ("3 days ago", None, None),
        (None, None, None),
    ]


def test_dateline_reference_is_the_latest_header_date_on_the_page():
    text = (
        "Talks resume in Geneva\n"
        "July 20, 2025\n"
        "Both delegations returned to the table on Sunday, officials said.\n"
        "\n"
        "Flood warnings lifted in the north\n"
        "July 23, 2025\n"
        "The weather service lifted its warnings after the rain eased overnight.\n"
        "\n"
        "Minister defends budget cuts\n"
        "20 hours ago\n"
        "The minister said the cuts were needed to balance the books.\n"
    )
    articles = split_articles(_doc(text))
    assert [(a.date, a.date_source) for a in articles] == [
        ("2025-07-20", "dateline"),
        ("2025-07-23", "dateline"),
        ("2025-07-23", "dateline"),
    ]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("an hour ago", datetime(2025, 7, 23, 0, 30), date(2025, 7, 22)),
        ("an hour ago", date(2025, 7, 23), date(2025, 7, 23)),
        ("20 hours ago", datetime(2025, 7, 23, 9), date(2025, 7, 22)),
        ("2 days ago", date(2025, 7, 23), date(2025, 7, 21)),
        ("3 weeks ago", date(2025, 7, 23), date(2025, 7, 2)),
        ("1 month ago", date(2025, 3, 31), date(2025, 2, 28)),
        ("a year ago", date(2024, 2, 29), date(2023, 2, 28)),
        ("yesterday", date(2025, 1, 1), date(2024, 12, 31)),
        ("Updated 5 mins ago", datetime(2025, 7, 23, 0, 2), date(2025, 7, 22)),
        ("3h ago", date(2025, 7, 23), date(2025, 7, 23)),
        ("in the past", date(2025, 7, 23), None),
    ],
)
def test_resolve_relative(text, reference, expected):
    assert resolve_relative(text, reference) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-10-12", "2016-10-12"),
        ("2016-10-12T23:59:00-04:00", "2016-10-12"),
        ("Wednesday, July 23, 2025 10:32 AM AEST", "2025-07-23"),
        ("23 Jul 2025", "2025-07-23"),
        ("Oct 12, 2016", "2016-10-12"),
        (1476230400, "2016-10-12"),
        ("not a date at all", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("an hour ago", True),
        ("Published: July 14, 2025", True),
        ("2025-07-23", True),
        ("ABC News", False),
        ("At the last talks on May 16 and June 2, the two sides agreed.", False),
    ],
)
def test_date_lines(line, is_date):
    assert is_date_text(line) is is_date


def test_parse_reference():
    assert parse_reference("2025-07-23") == date(2025, 7, 23)
    assert parse_reference("2025-07-23T10:00") == datetime(2025, 7, 23, 10, 0)
    with pytest.raises(ValueError, match="reference date"):
        parse_reference("last tuesday")


def test_article_records_round_trip_and_check_offsets(seed):
    _, articles = seed
    for article in articles:
        assert Article.from_dict(article.to_dict()) == article
    with pytest.raises(ValueError, match="outside article"):
        Article("d", 1, 10, 20, ((5, 12),))
    with pytest.raises(ValueError, match="bad article offsets"):
        Article("d", 1, 20, 10, ())
