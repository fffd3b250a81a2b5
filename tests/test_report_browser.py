"""The HTML report in a real browser: headless Chromium (Debian's, installed
by ``scripts/install.sh``) driven by Playwright. Every network request is
blocked and recorded; console errors and page errors fail the test.

Also the documented way to remake the README's screenshot::

    python tests/test_report_browser.py docs/report.png
"""
from __future__ import annotations

import os
import shutil
import struct
import sys
import time
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from conftest import ROOT, run_cli  # noqa: E402
from test_metrics import COMCAST, MAGAZINE, NO_WAY  # noqa: E402
from test_report_html import HOSTILE, XSS_TITLE, write_generated  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

UNREACHABLE = """\
journey: with-unreachable
kind: refund
owner: returns-team
start: ask
states:
  ask: {actor: customer, channel: web, next: done}
  done: {actor: system, outcome: resolved}
  forgotten: {actor: agent, next: done}
"""


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is missing: run 'bash scripts/install.sh' (it installs Debian's chromium)"
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Opened:
    """A report open in a page, with everything it tried to do."""

    def __init__(self, browser, path: Path, javascript=True, viewport=(1280, 900)):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(java_script_enabled=javascript,
                                           viewport={"width": viewport[0], "height": viewport[1]})
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(route):
            if route.request.url == self.url:
                route.continue_()
            else:
                self.blocked.append(route.request.url)
                route.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        started = time.perf_counter()
        self.page.goto(self.url, wait_until="load")
        self.load_seconds = time.perf_counter() - started

    def assert_quiet(self):
        """Nothing fetched but the file itself, no error, no dialog."""
        assert self.blocked == []
        assert self.requests == [self.url]
        assert self.errors == []
        assert self.dialogs == []

    def close(self):
        self.context.close()


@pytest.fixture
def open_report(browser):
    opened = []

    def _open(path, **options):
        report = Opened(browser, Path(path), **options)
        opened.append(report)
        return report

    yield _open
    for report in opened:
        report.close()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    (tmp_path / "magazine.yaml").write_text(MAGAZINE)
    (tmp_path / "comcast.yaml").write_text(COMCAST)
    (tmp_path / "no-way.yaml").write_text(NO_WAY)
    (tmp_path / "unreachable.yaml").write_text(UNREACHABLE)
    return tmp_path


def write_report(directory, *args) -> Path:
    out = Path(directory) / "report.html"
    done = run_cli("report", *args, "-o", out, "--exit-zero", cwd=directory)
    assert done.returncode == 0, done.stderr
    return out


def png_pixels(data: bytes):
    """Width, height and rows of RGB(A) bytes of an 8-bit PNG (what
    Chromium writes): enough to tell a drawn page from a blank one."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
        elif kind == b"IDAT":
            idat += chunk
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def assert_not_blank(png: bytes):
    width, height, bpp, rows = png_pixels(png)
    pixels = [row[x:x + 3] for row in rows[::4] for x in range(0, width * bpp, bpp * 4)]
    colours = set(pixels)
    background = max(colours, key=pixels.count)
    drawn = sum(1 for p in pixels if p != background) / len(pixels)
    assert len(colours) > 20 and drawn > 0.03, (len(colours), drawn)


def highlighted(page):
    return page.evaluate("Array.from(document.querySelectorAll('svg .st.hl')).map(e => e.id)")


# -- the tests -------------------------------------------------------------------------------


def test_examples_report_in_the_browser(open_report, tmp_path):
    """The acceptance command: ``journeylint report examples/ -o report.html``."""
    out = tmp_path / "report.html"
    done = run_cli("report", "examples/", "-o", out, "--exit-zero", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    report = open_report(out)
    page = report.page
    assert page.title() == "journeylint report"
    journeys = page.locator("section.journey").count()
    assert journeys > 0 and page.locator("section.journey svg.diagram").count() == journeys
    finding = page.locator("li.finding").first
    finding.click()
    assert len(highlighted(page)) >= 1
    assert "selected" in finding.get_attribute("class")
    assert_not_blank(page.screenshot())
    report.assert_quiet()


def test_clicking_a_finding_highlights_its_witness_path(open_report, project):
    out = write_report(project, "magazine.yaml", "--select", "JL201")
    report = open_report(out)
    page = report.page
    assert highlighted(page) == []
    page.locator("li.finding").click()
    # call-hotline -> agent-greets -> renewal-offer -> confirm-cancel, and the
    # finding's own state in focus
    assert highlighted(page) == ["j0-s0", "j0-s1", "j0-s2", "j0-s3"]
    assert page.evaluate("Array.from(document.querySelectorAll('svg .ar.hl')).map(e => e.id)") == [
        "j0-e0-1", "j0-e1-2", "j0-e2-3"]
    assert page.locator("#j0-s3").get_attribute("class").split()[-2:] == ["hl", "focus"]
    # the state was scrolled to
    box = page.locator("#j0-s3").bounding_box()
    assert 0 <= box["y"] <= 900
    # the effort figures highlight their own paths
    page.locator("span.way", has_text="Fewest steps").click()
    assert highlighted(page) == [f"j0-s{i}" for i in range(6)]
    # clicking the selected finding again clears; once more selects
    page.locator("li.finding").click()
    assert highlighted(page) == ["j0-s0", "j0-s1", "j0-s2", "j0-s3"]
    page.locator("li.finding").click()
    assert highlighted(page) == []
    page.locator("li.finding").click()
    assert highlighted(page) == ["j0-s0", "j0-s1", "j0-s2", "j0-s3"]
    # Escape clears
    page.keyboard.press("Escape")
    assert highlighted(page) == []
    report.assert_quiet()


def test_severity_rule_kind_and_team_filters(open_report, project):
    out = write_report(project, ".", "--select", "JL201,JL003,JL004")
    report = open_report(out)
    page = report.page
    rows = page.locator("li.finding")
    assert rows.count() == 3
    sev = {r.get_attribute("data-sev") for r in rows.all()}
    assert sev == {"error", "warning"}

    def visible(selector):
        return page.evaluate("""s => Array.from(document.querySelectorAll(s))
            .filter(e => !e.closest('[hidden]') && getComputedStyle(e).display !== 'none')
            .map(e => e.dataset.rule || e.id).sort()""", selector)

    assert visible("li.finding") == ["JL003", "JL004", "JL201"]
    page.select_option("#filters select[name=sev]", "warning")
    assert visible("li.finding") == ["JL003"]
    assert page.locator("#filters output").inner_text() == "1 of 3 findings shown"
    # journeys without a warning are hidden too
    assert [page.locator(f"#{i} h3 .jid").text_content() for i in visible("section.journey")] == ["with-unreachable"]
    page.select_option("#filters select[name=sev]", "error")
    assert visible("li.finding") == ["JL004", "JL201"]
    page.select_option("#filters select[name=sev]", "")
    assert visible("li.finding") == ["JL003", "JL004", "JL201"]
    page.select_option("#filters select[name=rule]", "JL201")
    assert visible("li.finding") == ["JL201"]
    page.select_option("#filters select[name=rule]", "")
    page.select_option("#filters select[name=kind]", "refund")
    assert visible("li.finding") == ["JL003"]
    assert len(visible("section.journey")) == 1
    page.select_option("#filters select[name=kind]", "")
    page.select_option("#filters select[name=team]", "subscriptions-team")
    assert visible("li.finding") == ["JL201"]
    page.locator("#filters button[type=reset]").click()
    page.wait_for_function("document.querySelector('#filters output').value === '3 of 3 findings shown'")
    assert visible("li.finding") == ["JL003", "JL004", "JL201"]
    report.assert_quiet()


def test_tables_sort(open_report, project):
    out = write_report(project, ".", "--select", "JL201,JL003,JL004")
    report = open_report(out)
    page = report.page

    def column(index):
        return [c.inner_text() for c in page.locator(f"#effort-table tbody tr td:nth-child({index})").all()]

    page.locator("#effort-table th", has_text="states").click()
    assert column(3) == ["3", "3", "7", "10"]
    page.locator("#effort-table th", has_text="states").click()
    assert column(3) == ["10", "7", "3", "3"]
    page.locator("#effort-table th", has_text="steps").click()
    assert column(6) == ["-", "2", "4", "6"]
    report.assert_quiet()


def test_hostile_text_shows_as_text_and_runs_nothing(open_report, tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    (tmp_path / "hostile.yaml").write_text(HOSTILE)
    out = write_report(tmp_path, ".")
    report = open_report(out)
    page = report.page
    assert page.locator("svg text", has_text=XSS_TITLE).count() == 1
    assert page.locator("img").count() == 0
    assert page.evaluate("document.scripts.length") == 2
    assert page.title() == "journeylint report"
    assert page.locator("section.journey h3").first.text_content().startswith('</script><script>alert("t")</script>')
    page.locator("li.finding").first.click()
    report.assert_quiet()


def test_readable_without_javascript(open_report, project):
    out = write_report(project, ".", "--select", "JL201,JL003,JL004")
    report = open_report(out, javascript=False)
    page = report.page
    assert not page.locator("#filters").is_visible()
    assert page.locator("li.finding").count() == 3
    assert page.evaluate("Array.from(document.querySelectorAll('li.finding, section.journey')).every(e => !e.closest('[hidden]'))")
    assert page.locator("svg.diagram .st").first.is_visible()
    assert page.locator("#by-rule tbody tr").count() == 3
    assert_not_blank(page.screenshot())
    report.assert_quiet()


def test_print_layout(open_report, project, tmp_path):
    out = write_report(project, ".", "--select", "JL201,JL003,JL004")
    report = open_report(out)
    page = report.page
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('section.journey')).breakBefore") == "page"
    pdf = page.pdf(format="A4")
    # overview, effort, findings, then one page per journey (4), and the rules
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page/") >= 7
    report.assert_quiet()


def test_two_hundred_journeys_write_and_open_quickly(open_report, tmp_path):
    write_generated(tmp_path / "many", count=200, n_states=30)
    (tmp_path / "journeylint.yaml").write_text("")
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = write_report(tmp_path, "many")
    written = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the best of three openings: the machine's other work must not decide
    reports = [open_report(out) for _ in range(3)]
    loaded = min(r.load_seconds for r in reports)
    report = reports[0]
    assert report.page.locator("section.journey").count() == 200
    print(f"\n200 journeys x 30 states: written in {written:.2f} s ({cpu:.2f} s of CPU, all processes), "
          f"{out.stat().st_size / 1e6:.1f} MB, "
          f"opened in {loaded:.2f} s (best of {', '.join(f'{r.load_seconds:.2f}' for r in reports)})")
    # CPU time, not wall-clock time, so that other work on the machine does
    # not decide; with two cores the wall-clock time is less (the README's design notes)
    assert cpu < 12
    assert loaded < 2.0
    for r in reports:
        r.assert_quiet()


def make_screenshot(target: Path, browser) -> bytes:
    """The README's picture: the story journeys, a finding selected."""
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        (directory / "journeylint.yaml").write_text("")
        (directory / "magazine.yaml").write_text(MAGAZINE)
        (directory / "comcast.yaml").write_text(COMCAST)
        out = write_report(directory, ".", "--title", "Support journeys: ops review")
        report = Opened(browser, out, viewport=(1280, 1000))
        page = report.page
        page.locator("li.finding", has_text="JL201").first.click()
        page.evaluate("document.querySelector('#' + document.querySelector('li.finding.selected')"
                      ".closest('section.journey').id + ' .jmeta').scrollIntoView(); window.scrollBy(0, -60)")
        png = page.screenshot(path=str(target))
        report.assert_quiet()
        report.close()
    return png


def test_screenshot_command(browser, tmp_path):
    png = make_screenshot(tmp_path / "report.png", browser)
    assert_not_blank(png)
    assert (tmp_path / "report.png").read_bytes() == png


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report.png")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        make_screenshot(target, launched)
        launched.close()
    print(f"wrote {target}")
