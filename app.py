"""Kommunkompassen explorer: the Streamlit entry point and frame around every page.

Pages and their URL paths are declared here once (the URL contract in
issue 3); the page files in pages/ only lay out widgets and charts.
"""

import streamlit as st

from kompass.strings import APP_TITLE
from kompass.ui.common import current_db, ensure_store, leave_v1_mode

leave_v1_mode()
st.set_page_config(page_title=APP_TITLE, page_icon=":material/explore:", layout="wide")

PAGES = [
    st.Page("pages/oversikt.py", title="Översikt", icon=":material/map:", default=True),
    st.Page(
        "pages/profil.py",
        title="Kommunprofil",
        icon=":material/account_balance:",
        url_path="profil",
    ),
    st.Page("pages/jamfor.py", title="Jämför", icon=":material/compare_arrows:", url_path="jamfor"),
    st.Page(
        "pages/utveckling.py",
        title="Utveckling",
        icon=":material/trending_up:",
        url_path="utveckling",
    ),
]

page = st.navigation(PAGES)
problem = ensure_store(current_db())
if problem:
    st.warning(problem)
st.sidebar.caption(
    "Kommunkompassen är SKR:s utvärdering av hur en kommun styrs och leds: "
    "åtta områden, 0–100 poäng vardera."
)
page.run()
