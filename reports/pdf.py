"""A page of the dashboard as PDF, printed by the system Chromium (offline) through Playwright.

The printer signs in as a named account with a fresh server-side session (the same cookie a browser
gets), waits until the page has finished drawing, and prints with the page's print styles (sidebar,
toolbar and buttons hidden; charts never cut across pages).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from reports.browser import ARGS, CHROMIUM

IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
PRINT_READY_JS = "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('@media print'))"


def print_page(url: str, session_token: str, timeout_ms: int = 120_000) -> bytes:
    """PDF bytes of ``url`` (e.g. http://127.0.0.1:8501/overview?period=2024) seen by the session's user."""
    from playwright.sync_api import sync_playwright

    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
        try:
            ctx = browser.new_context(locale="vi-VN", viewport={"width": 1200, "height": 1600})
            ctx.add_cookies([{"name": "cchc_session", "value": session_token, "url": base}])
            page = ctx.new_page()
            page.goto(url)
            page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
            page.wait_for_function(IDLE_JS, timeout=timeout_ms)
            # Every page ends with its print styles (ui.page_footer): once they are in, the page is complete.
            page.wait_for_function(PRINT_READY_JS, timeout=timeout_ms)
            page.wait_for_function(IDLE_JS, timeout=timeout_ms)
            page.wait_for_timeout(1500)  # Plotly finishes its layout after the run ends
            page.emulate_media(media="print")
            return bytes(
                page.pdf(
                    format="A4",
                    print_background=True,
                    margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
                    prefer_css_page_size=True,  # a page's own @page rule (the profile's 8 mm margins) wins
                )
            )
        finally:
            browser.close()
