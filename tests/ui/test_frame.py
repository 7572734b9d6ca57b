"""The page frame's CSS reaches the browser only if Streamlit's HTML sanitiser keeps it."""

import re

from kompass.ui import common


def test_frame_css_holds_nothing_like_a_tag() -> None:
    # DOMPurify drops a <style> whose text holds "<" before a letter or "/" (even in a
    # comment): the whole frame (hidden toolbars, caption contrast, phone tables) would go.
    assert re.search(r"<[/\w!]", common._FRAME_CSS) is None
