from amends.messaging.html import html_to_text, sanitise_html


def test_text_of_html_keeps_words_and_line_breaks_and_drops_code():
    html = (
        "<html><head><title>Complaint</title><style>p{color:red}</style></head><body>"
        "<p>Hello &amp; bye</p><script>steal()</script><p>Two<br>lines</p></body></html>"
    )
    assert html_to_text(html) == "Hello & bye\nTwo\nlines"


def test_unclosed_tags_are_handled_without_backtracking():
    # A regex over raw HTML took seconds on this; the sanitiser is linear.
    assert html_to_text("<script>" * 20_000) == ""
    assert html_to_text("<p>ok" + "<style>" * 20_000) == "ok"


def test_sanitiser_removes_scripts_handlers_images_and_styles():
    clean = sanitise_html(
        '<p onclick="x()" style="color:red">Hi <img src="http://t/x.gif"><a href="javascript:x">a</a></p>'
    )
    assert (
        "onclick" not in clean and "style" not in clean and "<img" not in clean and "javascript" not in clean
    )
    assert "Hi" in clean
