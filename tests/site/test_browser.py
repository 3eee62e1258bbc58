"""The page in a real browser: Debian's chromium, headless, driven by selenium.

Skipped where chromium, chromedriver or selenium is missing; CI installs them and
sets IGBIB_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping.
"""

import json
import os
import time
from pathlib import Path

import pytest
from conftest import FIXTURES
from hostile_site import IMG, PAPERS, SCRIPT

from igbib.exporters import Options, render
from igbib.importers import parse_file
from igbib.ops.ingest import import_parsed
from igbib.search import search
from igbib.site import write_site

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: Without these, chromium waits on a network this machine may not have.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    HAVE_SELENIUM = True
except ImportError:
    HAVE_SELENIUM = False
HAVE_BROWSER = HAVE_SELENIUM and all(os.access(p, os.X_OK) for p in (CHROMIUM, CHROMEDRIVER))
if not HAVE_BROWSER and os.environ.get("IGBIB_REQUIRE_BROWSER"):
    raise RuntimeError(
        "IGBIB_REQUIRE_BROWSER is set but chromium, chromedriver or selenium is missing"
    )
pytestmark = pytest.mark.skipif(
    not HAVE_BROWSER, reason="no headless chromium (chromium, chromedriver, selenium)"
)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def seed_page(seed_library, tmp_path) -> str:
    path, _count = write_site(seed_library, str(tmp_path / "site"))
    return Path(path).as_uri()


def open_page(browser, url: str) -> None:
    browser.get("about:blank")  # a new document even when only the #state differs
    browser.get(url)
    assert browser.execute_script("return !!window.igbibSite")


def shown_titles(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('li.paper'))"
        ".filter(li => li.offsetParent !== null)"
        ".map(li => li.querySelector('.title').textContent)"
    )


def count(browser) -> str:
    return browser.find_element(By.ID, "count").text


def search_box(browser):
    return browser.find_element(By.ID, "q")


def test_typing_a_query_shows_the_matching_papers_and_their_count(browser, seed_page):
    open_page(browser, seed_page)
    assert count(browser) == "52 of 52 papers"
    assert len(shown_titles(browser)) == 52
    search_box(browser).send_keys("glioblastoma")
    titles = shown_titles(browser)
    assert len(titles) == 16 and all("glioblastoma" in t.lower() for t in titles)
    assert count(browser) == "16 of 52 papers"
    search_box(browser).send_keys(" GLIOBLASTOMA multiforme")  # every word, in any case
    titles = shown_titles(browser)
    assert titles and all("glioblastoma multiforme" in t.lower() for t in titles)
    assert count(browser) == f"{len(titles)} of 52 papers"
    search_box(browser).send_keys(" nothingmatchesthis")
    assert shown_titles(browser) == [] and count(browser) == "0 of 52 papers"
    assert browser.find_element(By.ID, "none").is_displayed()
    browser.find_element(By.ID, "clear").click()
    assert len(shown_titles(browser)) == 52 and search_box(browser).get_attribute("value") == ""


def test_a_search_finds_authors_and_journals(browser, seed_page):
    open_page(browser, seed_page)
    search_box(browser).send_keys("gevaert radiology")
    assert count(browser) == "2 of 52 papers"


def test_facets_section_identifiers_year_and_journal(browser, seed_page, seed_library):
    papers = search(seed_library, "", sort="section")
    open_page(browser, seed_page)
    browser.find_element(By.CSS_SELECTOR, "input[name=section][value='0']").click()
    assert shown_titles(browser) == [
        "Radiomics and imaging genomics in precision medicine",
        "Imaging genomics in cancer research: limitations and promises",
    ]
    assert count(browser) == "2 of 52 papers"
    browser.find_element(By.CSS_SELECTOR, "input[name=section][value='0']").click()
    browser.find_element(By.ID, "has-pmid").click()
    assert count(browser) == f"{sum(1 for p in papers if p.pmid)} of 52 papers"
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('li.paper'))"
        ".filter(li => li.offsetParent !== null)"
        ".map(li => li.querySelector('.links a').href)"
    )
    assert all(link.startswith("https://pubmed.ncbi.nlm.nih.gov/") for link in links)
    browser.find_element(By.ID, "has-pmid").click()
    browser.find_element(By.ID, "year-from").send_keys("2016")
    browser.find_element(By.ID, "year-to").send_keys("2016")
    assert count(browser) == f"{sum(1 for p in papers if p.year == 2016)} of 52 papers"
    Select(browser.find_element(By.ID, "journal")).select_by_value("Radiology")
    expected = [p.title for p in papers if p.year == 2016 and p.journal == "Radiology"]
    assert shown_titles(browser) == expected and expected


def test_accents_and_case_are_ignored_over_blocks_of_rows(browser, seed_library, tmp_path):
    """The seed and a slice of a real lab bibliography: more papers than one block holds."""
    import_parsed(seed_library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    path, total = write_site(seed_library, str(tmp_path / "site"))
    open_page(browser, Path(path).as_uri())
    assert browser.execute_script("return document.querySelectorAll('ol.papers').length") > 3
    for typed, first_author in [
        ("machler", "Mächler"),  # Bates, Mächler et al. 2015
        ("GOLOSZ", "Gołosz"),
        ("grossberger umap", "Großberger"),
    ]:
        search_box(browser).clear()
        search_box(browser).send_keys(typed)
        shown = browser.execute_script(
            "return igbibSite.shown().map(i => JSON.parse("
            "document.getElementById('igbib-export').textContent).csl[i].author"
            ".map(a => a.family || a.literal))"
        )
        assert shown and all(first_author in authors for authors in shown), (typed, shown)
        assert count(browser) == f"{len(shown)} of {total} papers"
    search_box(browser).clear()
    search_box(browser).send_keys("ugurbil")
    assert count(browser) == f"3 of {total} papers"
    hidden_blocks = browser.execute_script(
        "return Array.from(document.querySelectorAll('ol.papers')).filter(o => o.hidden).length"
    )
    assert hidden_blocks >= 2  # the blocks with no match take no room
    browser.find_element(By.ID, "clear").click()
    assert len(shown_titles(browser)) == total


def test_the_state_is_kept_in_the_address(browser, seed_page):
    open_page(browser, seed_page)
    search_box(browser).send_keys("radiogenomic")
    browser.find_element(By.ID, "has-pmid").click()
    url = browser.current_url
    assert url.endswith("#q=radiogenomic&has=pmid"), url
    shown = shown_titles(browser)
    open_page(browser, url)  # a shared link opens on the same selection
    assert shown_titles(browser) == shown and search_box(browser).get_attribute("value") == (
        "radiogenomic"
    )
    assert browser.find_element(By.ID, "has-pmid").is_selected()


def test_downloads_hold_what_igbib_export_writes(browser, seed_page, seed_library, downloads):
    papers = search(seed_library, "", sort="section")
    open_page(browser, seed_page)
    everything = "igbibSite.all()"
    bib = browser.execute_script(f"return igbibSite.bibText({everything})")
    assert bib == render("bibtex", papers, Options(), seed_library)
    csl = browser.execute_script(f"return igbibSite.cslText({everything})")
    assert csl == render("csljson", papers, Options(), seed_library)
    search_box(browser).send_keys("gevaert")
    for old in downloads.iterdir():
        old.unlink()
    browser.find_element(By.CSS_SELECTOR, "button[data-format=bib][data-which=shown]").click()
    browser.find_element(By.CSS_SELECTOR, "button[data-format=csl][data-which=shown]").click()
    selection = downloads / "selection.bib"
    items = downloads / "selection.json"
    deadline = time.monotonic() + 20
    while not (selection.exists() and items.exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    chosen = [p for p in papers if p.first_author == "Gevaert"]
    assert selection.read_text() == render("bibtex", chosen, Options(), seed_library)
    assert [i["id"] for i in json.loads(items.read_text())] == [p.citekey for p in chosen]


def test_hostile_titles_are_text_and_run_nothing(browser, tmp_path):
    from hostile_site import hostile_library

    with hostile_library(tmp_path / "hostile.sqlite") as library:
        path, count_ = write_site(library, str(tmp_path / "site"), title=f"Hostile {SCRIPT}")
    browser.get(Path(path).as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it raises when there is none
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return document.scripts.length") == 3
    assert browser.title == f"Hostile {SCRIPT}"
    assert sorted(set(shown_titles(browser))) == sorted(PAPERS)
    assert count(browser) == f"{count_} of {count_} papers"
    search_box(browser).send_keys(IMG)  # typed as text, searched as text
    first = f"Radiomics {SCRIPT} of glioma"  # its first author is IMG
    assert shown_titles(browser) == [first, IMG] and count(browser) == f"2 of {count_} papers"
    search_box(browser).clear()
    search_box(browser).send_keys("MULLER")  # an accent-insensitive search: Müller
    assert shown_titles(browser) == [first]
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    hrefs = browser.execute_script("return Array.from(document.links).map(a => a.href)")
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    search_box(browser).clear()
    browser.find_element(By.ID, "clear").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=tag][value='0']").click()  # the tag SCRIPT
    assert shown_titles(browser) == list(PAPERS)[:2]
