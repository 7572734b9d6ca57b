"""Kommunkompassen explorer: the Streamlit entry point and frame around every page.

Pages and their URL paths are declared here once (the URL contract in
issue 3); the page files in pages/ only lay out widgets and charts.
"""

from pathlib import Path

import streamlit as st

from kompass.present.strings import APP_TITLE
from kompass.ui import cache
from kompass.ui.common import current_db, ensure_store, leave_v1_mode

# A local icon: a Material icon name here makes the browser fetch it from Google.
FAVICON = Path(__file__).parent / "kompass" / "assets" / "favicon.png"
leave_v1_mode()
st.set_page_config(page_title=APP_TITLE, page_icon=str(FAVICON), layout="wide")

# Page files are named like their URL paths: AppTest's switch_page finds pages by them.
PAGES = [
    st.Page("pages/oversikt.py", title="Översikt", icon=":material/map:", default=True),
    st.Page("pages/profil.py", title="Kommunprofil", icon=":material/account_balance:",
            url_path="profil"),
    st.Page("pages/jamfor.py", title="Jämför", icon=":material/compare_arrows:",
            url_path="jamfor"),
    st.Page("pages/utveckling.py", title="Utveckling", icon=":material/trending_up:",
            url_path="utveckling"),
    st.Page("pages/lar-av-andra.py", title="Lär av andra", icon=":material/school:",
            url_path="lar-av-andra"),
    st.Page("pages/fynd.py", title="Styrkor och förbättringar", icon=":material/search:",
            url_path="fynd"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]  # fmt: skip

page = st.navigation(PAGES)
# A database that is locked, damaged or unwritable: one Swedish message, no page below it.
problem = cache.guarded(ensure_store, current_db())
if problem:
    st.warning(problem)
st.sidebar.caption(
    "Kommunkompassen är SKR:s utvärdering av hur en kommun styrs och leds: "
    "åtta områden, 0–100 poäng vardera."
)
# A page's reads share one read-only connection, closed when the page is done.
with cache.one_connection(current_db()):
    page.run()
