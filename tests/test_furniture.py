"""Table tests for service.domain.furniture.is_furniture."""

import pytest

from service.domain.reading.furniture import is_furniture

# (id, line, is furniture)
CASES = [
    # Navigation and banners
    ("accessibility_links", "Accessibility links", True),
    ("skip_to_main_content", "Skip to main content", True),
    ("skip_to_content_upper", "SKIP TO CONTENT", True),
    ("breaking_news_colon", "Breaking News:", True),
    ("top_stories", "Top Stories", True),
    ("most_read", "Most Read", True),
    # Sharing, ads, links out
    ("share", "Share", True),
    ("share_this_article", "Share this article", True),
    ("advertisement_trailing_space", "Advertisement \u00a0", True),
    ("read_more", "Read more »", True),
    (
        "read_more_headline",
        "Read more: Council votes to close library after decade-long fight over funding for branch",
        True,
    ),
    ("related_topics", "Related Topics", True),
    ("more_on_this_story", "More on this story", True),
    ("newsletter", "Sign up for our newsletter.", True),
    ("subscribe", "Subscribe", True),
    ("follow_us", "Follow us on Twitter", True),
    ("watch_label", "Watch: Moment the bridge collapsed into the river", True),
    ("listen", "Listen to this article", True),
    ("comments", "Comments", True),
    ("comments_count", "Comments (12)", True),
    # Credits and timestamps
    ("image_caption", "Image caption", True),
    ("image_source", "Image source, Getty Images", True),
    ("media_playback", "Media playback is unsupported on your device", True),
    ("published_ago", "Published 3 hours ago", True),
    ("posted_day_and_time", "Posted on Tuesday at 5:40 p.m. EDT", True),
    ("published_ordinal", "Published: 3rd March 2026, 09:12 GMT", True),
    ("updated_date", "Updated 12 March 2024", True),
    ("updated_month_first", "Last updated: March 12, 2024, 9:30 a.m. ET", True),
    # Rights notices, furniture at any length
    (
        "copyright_year",
        "Copyright 2026 The Millbrook Gazette, a division of Acme Media Holdings Inc.",
        True,
    ),
    (
        "copyright_symbol",
        "© 2026 BBC. The BBC is not responsible for the content of external sites.",
        True,
    ),
    ("all_rights_reserved", "All rights reserved.", True),
    (
        "holder_then_rights",
        "Acme Media Group Ltd., its licensors and contributors. All rights reserved.",
        True,
    ),
    # Real sentences that merely contain the words
    ("breaking_news_in_sentence", "Analysts said the breaking news shocked investors.", False),
    ("share_in_sentence", "The company will share this article's findings with regulators.", False),
    ("advertisement_revenue", "Advertisement revenue fell 4 percent in March.", False),
    ("share_prices", "Share prices fell.", False),
    ("updated_guidance", "Updated guidance was published on Monday.", False),
    ("published_in_year", "Published in 1998, the novel became a bestseller.", False),
    ("updated_figures", "Updated 2024 figures show unemployment fell.", False),
    ("posted_wins", "Posted 3 wins in May.", False),
    ("copyright_law", "Copyright law was last reformed in 2019.", False),
    (
        "rights_mid_sentence",
        "All rights reserved under the treaty remain in force, the court said.",
        False,
    ),
    ("comments_from_mayor", "Comments from the mayor drew criticism.", False),
    ("subscribers", "Subscribers rose 10 percent.", False),
    ("watch_without_colon", "Watch officials said the storm would strengthen overnight.", False),
    (
        "long_line_of_furniture_words",
        "Readers who follow us on Twitter can sign up for our newsletter and share this article.",
        False,
    ),
    (
        "long_sentence_with_date_opening",
        "Published 12 March, the report found that rents rose in every region of the country last year.",
        False,
    ),
    ("headline", "Council votes to close library", False),
    ("empty", "", False),
]


@pytest.mark.parametrize(
    ("line", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_is_furniture(line: str, expected: bool) -> None:
    assert is_furniture(line) is expected
