"""The explorer page in a real browser (Debian's chromium through selenium),
against a real ``koembed serve`` process: a person types a word, picks a
completion, reads the neighbours, solves an analogy, switches models, sees
the map and finds documents. The screenshots are kept for people to look at
(``KOEMBED_SCREENSHOTS=DIR`` keeps them there)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import koembed
from tests.test_serve import start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing (apt-get install chromium chromium-driver fonts-nanum)"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _browser_missing()
    if missing:
        if os.environ.get("KOEMBED_REQUIRE_BROWSER"):  # CI installs them: fail, don't skip
            pytest.fail(missing)
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Offline machine: no background connections, no first-run or sync.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--lang=ko-KR",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(law_model_dir, law_sif_dir, law_tokens, tmp_path_factory):
    ppmi = koembed.train("ppmi", law_tokens, dim=32, min_count=2)
    ppmi_dir = ppmi.save(tmp_path_factory.mktemp("served") / "ppmi")
    url, _, process = start_server(
        "--model", str(law_model_dir), "--model", str(ppmi_dir), "--model", f"sif={law_sif_dir}"
    )
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def keep(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    if os.environ.get("KOEMBED_SCREENSHOTS"):
        folder = Path(os.environ["KOEMBED_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / name)
    return path


def texts(driver, selector: str) -> list[str]:
    """The shown text of each element matching ``selector``, read in one go (the
    page replaces its tables while answers arrive)."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => (e.innerText ?? e.textContent).trim())",
        selector,
    )


def test_a_person_explores_the_models(browser, server, law_model_dir, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    words = koembed.load(law_model_dir)
    wait = WebDriverWait(browser, 20)
    browser.get(server + "/")
    wait.until(lambda d: len(texts(d, "#model option")) == 3)

    # Initial consonants complete to words; picking one asks for its neighbours.
    query = browser.find_element(By.ID, "query")
    query.send_keys("ㄱㅁ")
    wait.until(lambda d: any(t.startswith("국민") for t in texts(d, "#suggestions li")))
    choice = next(
        e
        for e in browser.find_elements(By.CSS_SELECTOR, "#suggestions li")
        if e.text.startswith("국민")
    )
    choice.click()
    expected = [w for w, _ in words.most_similar("국민", topn=10)]
    wait.until(lambda d: texts(d, "#neighbours td.word") == expected)
    assert "q=%EA%B5%AD%EB%AF%BC" in browser.current_url  # the URL holds the query

    # A word out of the vocabulary, tokenized as the corpus was.
    query.clear()
    query.send_keys("국민의", Keys.ENTER)
    wait.until(lambda d: "국민 / 의" in d.find_element(By.ID, "neighbours").text)

    # The map of the neighbourhood: the query and its neighbours, labelled in Hangul.
    wait.until(lambda d: len(texts(d, "#map svg text")) == 26)
    assert texts(browser, "#map svg text.query") == ["국민의"]

    # An analogy.
    for field, word in zip("abc", ("국회", "의원", "대통령")):
        browser.find_element(By.ID, f"analogy-{field}").send_keys(word)
    browser.find_element(By.ID, "analogy-go").click()
    solved = koembed.evaluate.analogy(words, "국회", "의원", "대통령", topn=10)
    wait.until(lambda d: texts(d, "#analogy-answers td.word") == [w for w, _ in solved])

    # Another model answers the same query differently; then all of them side by side.
    query.clear()
    query.send_keys("국민", Keys.ENTER)
    wait.until(lambda d: texts(d, "#neighbours td.word") == expected)
    Select(browser.find_element(By.ID, "model")).select_by_value("ppmi")
    wait.until(lambda d: texts(d, "#neighbours h3") == ["ppmi"])
    wait.until(
        lambda d: texts(d, "#neighbours td.word") and texts(d, "#neighbours td.word") != expected
    )
    browser.find_element(By.ID, "compare").click()
    wait.until(lambda d: texts(d, "#neighbours h3") == ["w2v", "ppmi", "sif"])
    assert "compare=1" in browser.current_url
    shot = keep(browser, tmp_path, "serve-explorer.png")
    assert shot.stat().st_size > 20_000

    # Nearest documents, with the document model.
    browser.find_element(By.ID, "documents-text").send_keys("대통령의 임기")
    browser.find_element(By.ID, "documents-go").click()
    wait.until(lambda d: len(texts(d, "#documents tr")) == 10)

    # The shared URL brings the same answers back.
    browser.get(browser.current_url)
    wait.until(lambda d: texts(d, "#neighbours h3") == ["w2v", "ppmi", "sif"])
    assert browser.find_element(By.ID, "query").get_attribute("value") == "국민"

    # At phone width nothing is wider than the screen.
    browser.set_window_size(390, 900)
    wide = browser.execute_script(
        "return document.documentElement.scrollWidth > window.innerWidth + 1"
    )
    keep(browser, tmp_path, "serve-explorer-phone.png")
    assert not wide

    # The API's docs page renders from the package's own files (no CDN to reach).
    browser.set_window_size(1280, 1000)
    browser.get(server + "/docs")
    wait.until(lambda d: "/api/similar" in " ".join(texts(d, ".opblock-summary-path")))
