"""A headless Chromium for the page tests (Debian's chromium driven by Playwright; never a downloaded browser)."""
import shutil

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.skip("no chromium on PATH (make test installs Debian's chromium when it can)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def close_contexts():
    """Close the browser contexts a test opened with `open_page`: pages left open keep the browser busy."""
    yield
    from .test_stepper import OPEN_CONTEXTS

    while OPEN_CONTEXTS:
        OPEN_CONTEXTS.pop().close()
