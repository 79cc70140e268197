"""End to end in real headless Chromium (Debian's package), driven by Playwright."""

import os
import shutil

import pytest

from tests.factories import PASSWORD, MatterFactory, UserFactory, grant
from workbench.roles import Role

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_login_and_see_only_the_granted_matter(browser, live_server):
    lawyer = UserFactory(username="lena", role=Role.LAWYER)
    granted = MatterFactory(reference="M-GRANTED", title="Granted deal")
    MatterFactory(reference="M-HIDDEN", title="Someone else's deal")
    grant(lawyer, granted)

    page = browser.new_page()
    page.goto(f"{live_server.url}/matters/")
    assert "/login/" in page.url
    page.fill("#id_username", "lena")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/matters/")

    table = page.locator("[data-testid=matter-table]")
    assert table.locator("tbody tr").count() == 1
    assert "M-GRANTED" in table.inner_text() and "M-HIDDEN" not in page.content()
    page.screenshot(path=os.environ.get("E2E_SCREENSHOT", "/tmp/workbench-e2e-matters.png"))
    page.close()
