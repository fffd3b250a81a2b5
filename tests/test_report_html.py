"""The HTML report without a browser: the command, self-containment,
escaping, the diagram's layout, determinism. (``test_report_browser.py``
opens reports in Chromium.)"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import ROOT, run_cli, session_for
from test_metrics import COMCAST, MAGAZINE, NO_WAY

XSS_TITLE = "<img src=x onerror=alert(1)>"

HOSTILE = f"""\
journey: hostile
title: '</script><script>alert("t")</script>'
kind: support
owner: '<b>team</b>'
start: '</script><script>alert(3)</script>'
states:
  '</script><script>alert(3)</script>':
    title: '{XSS_TITLE}'
    actor: customer
    channel: web
    next:
      - to: b
        when: '<svg onload=alert(2)>'
  b:
    actor: agent
    next: b-dead
  b-dead:
    title: '"><script>alert(4)</script>'
    actor: agent
"""


def generated_journey(n_states: int, seed: int, journey_id: str) -> str:
    """A plausible support journey of ``n_states`` states: a main line of
    customer, bot and team steps on a few channels, with short loops back,
    transfers, drops back to start, a retention offer, and three outcomes;
    random but fixed by ``seed``. Rules find a few things in most of them."""
    r = random.Random(seed)
    teams = ["agent", "billing", "tech-support", "retention", "fraud-desk"]
    channels = ["phone", "chat", "email", "web"]
    kinds = ["support", "cancellation", "refund", "complaint", "billing"]
    lines = [f"journey: {journey_id}", f"title: Generated journey {seed}", f"kind: {r.choice(kinds)}",
             f"owner: team-{seed % 7}", "start: s0", "channels:", "  phone: {cost_per_minute: 0.05}", "states:"]
    last = n_states - 3
    for i in range(n_states):
        lines.append(f"  s{i}:")
        if i == last:
            lines += ["    title: Request done", "    actor: system", "    outcome: resolved"]
            continue
        if i == last + 1:
            lines += ["    title: Customer gives up", "    outcome: abandoned"]
            continue
        if i == last + 2:
            lines += ["    title: Request refused", "    actor: agent", "    outcome: unresolved"]
            continue
        actor = "customer" if i % 3 == 0 else r.choice(teams + ["bot", "system"])
        lines.append(f"    title: Step {i} where the {actor} does something useful")
        lines.append(f"    actor: {actor}")
        lines.append(f"    channel: {r.choice(channels)}")
        if r.random() < 0.4:
            lines.append(f"    wait: {r.randint(1, 25)}m")
        if actor == "retention" and r.random() < 0.5:
            lines.append("    type: retention")
        if r.random() < 0.15:
            lines.append("    asks: [identity]")
        targets = [(min(last, i + 1), "normal", "customer goes on")]
        x = r.random()
        if x < 0.2 and i > 2:
            targets.append((i - r.randint(1, 2), "retry", "customer tries again"))
        elif x < 0.27 and i > 3:
            targets.append((0, "drop", "the call is cut"))
        elif x < 0.4:
            targets.append((last + r.randint(1, 2), "normal", "it goes wrong"))
        elif x < 0.55:
            targets.append((min(last, i + 2), "transfer", "handed to another team"))
        lines.append("    next:")
        seen = set()
        for target, kind, when in targets:
            if target in seen:
                continue
            seen.add(target)
            lines += [f"      - to: s{target}", f"        kind: {kind}", f"        when: {when}"]
    return "\n".join(lines) + "\n"


def write_generated(directory, count: int = 200, n_states: int = 30):
    directory.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        (directory / f"journey-{k:03d}.yaml").write_text(generated_journey(n_states, k, f"generated-{k:03d}"))
    return directory


class _Collector(HTMLParser):
    """Tags with their attributes, and the text of each script element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = (tag, dict(attrs), [])

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            kind, attrs, parts = self._in
            (self.scripts.append((attrs, "".join(parts))) if kind == "script" else self.styles.append("".join(parts)))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._in[2].append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


@pytest.fixture
def project(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    (tmp_path / "magazine.yaml").write_text(MAGAZINE)
    (tmp_path / "comcast.yaml").write_text(COMCAST)
    (tmp_path / "no-way.yaml").write_text(NO_WAY)
    (tmp_path / "hostile.yaml").write_text(HOSTILE)
    (tmp_path / "broken.yaml").write_text("journey: broken\nkind: [\n")
    return tmp_path


def test_report_command_writes_one_file_with_check_exit_codes(project):
    done = run_cli("report", ".", "-o", "out.html", cwd=project)
    check = run_cli("check", ".", cwd=project)
    assert done.returncode == check.returncode == 1
    assert done.stdout == ""
    assert re.fullmatch(r"journeylint: wrote out\.html \(4 journeys, \d+ findings\)\n", done.stderr), done.stderr
    html = (project / "out.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert run_cli("report", ".", "-o", "out.html", "--exit-zero", cwd=project).returncode == 0
    # a clean run exits 0 as check does; --title is the page's title
    done = run_cli("report", "magazine.yaml", "--select", "JL101", "-o", "clean.html", "--title", "Ops review <Q3>", cwd=project)
    assert done.returncode == 0
    clean = (project / "clean.html").read_text()
    assert "<title>Ops review &lt;Q3&gt;</title>" in clean and "<h1>Ops review &lt;Q3&gt;</h1>" in clean
    # --fail-on as in check
    assert run_cli("report", "magazine.yaml", "--select", "JL201", "--fail-on", "error", "-o", "x.html", cwd=project).returncode == 1


def test_report_errors_are_one_line(project):
    done = run_cli("report", "no-such-dir", cwd=project)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no-such-dir" in done.stderr
    done = run_cli("report", ".", "-o", "missing-dir/out.html", cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith("journeylint: error: cannot write missing-dir/out.html:") and done.stderr.count("\n") == 1
    done = run_cli("report", ".", "--config", "nope.yaml", cwd=project)
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_report_is_self_contained(project):
    run_cli("report", ".", "-o", "out.html", cwd=project)
    html = (project / "out.html").read_text()
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base") or (
            tag == "link" and attrs.get("href") == "data:,"), (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        assert "style" not in attrs, (tag, attrs)          # the CSP allows only the hashed <style>
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "a":
            href = attrs.get("href", "")
            assert href.startswith("#") or href.startswith("https://"), href
    assert not re.search(r"url\((?!#)", "".join(page.styles))      # no fonts or images from outside
    assert "@import" not in "".join(page.styles)
    # the policy forbids everything but the page's own script and style, by hash
    [csp] = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp.startswith("default-src 'none';")
    [code] = [text for attrs, text in page.scripts if "type" not in attrs]
    [style] = page.styles

    def sha(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"script-src {sha(code)}" in csp and f"style-src {sha(style)}" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_text_from_journeys_is_escaped(project):
    run_cli("report", "hostile.yaml", "-o", "out.html", cwd=project)
    html = (project / "out.html").read_text()
    for raw in ("<img src=x", "<svg onload", "<script>alert", "<b>team</b>", '"><script'):
        assert raw not in html, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    page = parse(html)
    # two script elements only: the data and the code
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    data = json.loads(page.scripts[0][1])
    assert set(data) == {"highlights"}


def test_script_data_cannot_close_its_block():
    from journeylint.report.html import script_json

    text = script_json({"s": "</script><script>alert(1)</script>", "t": "a&b<!--", "u": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><script>alert(1)</script>", "t": "a&b<!--", "u": "\u2028"}


def test_witness_paths_and_worst_severity_on_the_diagram(project):
    run_cli("report", "magazine.yaml", "--select", "JL201,JL003", "-o", "out.html", cwd=project)
    html = (project / "out.html").read_text()
    data = json.loads(parse(html).scripts[0][1])["highlights"]
    [finding] = [k for k in data if k.startswith("f")]
    # call-hotline, agent-greets, renewal-offer, confirm-cancel (file order indices)
    assert data[finding] == {"d": "j0-d", "s": 3, "p": [0, 1, 2, 3]}
    state = re.search(r'<g class="([^"]*)" id="j0-s3" data-i="3"', html)
    assert state and "sev-error" in state.group(1).split()
    assert 'id="j0-e0-1"' in html and 'id="j0-e2-3"' in html
    irreversible = re.search(r'<g class="([^"]*)" id="j0-s4"', html).group(1).split()
    resolved = re.search(r'<g class="([^"]*)" id="j0-s5"', html).group(1).split()
    assert "irrev" in irreversible and {"term", "o-resolved"} <= set(resolved)
    # the cheapest-way figures can be highlighted too
    assert data["j0-steps"]["p"] == [0, 1, 2, 3, 4, 5]
    # the finding links to its rule's section, which exists
    assert 'href="#rule-JL201"' in html and 'id="rule-JL201"' in html


def test_overview_orders_journeys_by_friction(project):
    run_cli("report", ".", "-o", "out.html", "--select", "JL201,JL004,JL101", cwd=project)
    html = (project / "out.html").read_text()
    table = html[html.index('id="friction"'):]
    table = table[:table.index("</table>")]
    order = re.findall(r'<a href="#j\d+">([^<]+)</a>', table)
    # hostile: JL101 (b-dead) error; no-way-out: JL004 error; magazine: JL201 error; comcast: none
    assert order[-1] == "comcast-retention" and len(order) == 4
    effort = html[html.index('id="effort-table"'):]
    row = re.search(r'<a href="#j\d+">magazine-cancellation</a>(.*?)</tr>', effort, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[:12] == ["cancellation", "7", "1", "1", "6", "6w8m", "0.00", "1", "0", "1", "1", "0"]


def test_unreadable_files_are_listed(project):
    run_cli("report", ".", "-o", "out.html", cwd=project)
    html = (project / "out.html").read_text()
    section = html[html.index("Files that could not be read"):]
    assert re.search(r"broken\.yaml:\d+:\d+: <a href=\"#rule-JL001\">JL001</a> invalid-journey YAML syntax error",
                     section[:section.index("</ul>")])


def test_output_is_deterministic(project):
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "journeylint", "report", ".", "-o", f"out{seed}.html"],
                       cwd=project, env=env, capture_output=True, check=False)
        outputs.append((project / f"out{seed}.html").read_bytes())
    assert outputs[0] == outputs[1]


def test_report_to_stdout(project):
    done = run_cli("report", "magazine.yaml", "-o", "-", "--exit-zero", cwd=project)
    assert done.returncode == 0 and done.stdout.startswith("<!DOCTYPE html>") and done.stderr == ""


# -- layout ----------------------------------------------------------------------------------


def _load(text):
    from journeylint.loading.pipeline import load_bytes

    return load_bytes(text.encode(), "g.yaml").journeys[0]


def _overlap(a, b):
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


@pytest.mark.parametrize("n_states", [12, 30, 150])
def test_layout_boxes_do_not_overlap_and_arrows_touch_their_boxes(n_states):
    from journeylint.report.layout import layout_journey

    journey = _load(generated_journey(n_states, 7, "g"))
    diagram = layout_journey(journey)
    assert len(diagram.boxes) == n_states and diagram.omitted == 0
    boxes = {b.index: b for b in diagram.boxes}
    for i, a in enumerate(diagram.boxes):
        assert 0 <= a.x and a.x + a.width <= diagram.width and 0 <= a.y and a.y + a.height <= diagram.height
        for b in diagram.boxes[i + 1:]:
            assert not _overlap(a, b), (a.index, b.index)

    def on_border(box, point):
        x, y = point
        inside = box.x - 0.5 <= x <= box.x + box.width + 0.5 and box.y - 0.5 <= y <= box.y + box.height + 0.5
        edge = min(abs(x - box.x), abs(x - box.x - box.width), abs(y - box.y), abs(y - box.y - box.height))
        return inside and edge < 0.5

    transitions = {(journey.states[t.source], journey.states[t.target]) for t in journey.transitions()}
    assert len(diagram.arrows) == len({(a, b) for a, b in transitions if a is not b})
    for arrow in diagram.arrows:
        assert on_border(boxes[arrow.source], arrow.points[0])
        assert on_border(boxes[arrow.target], arrow.points[-1])


def test_start_is_on_top_and_the_flow_goes_down():
    from journeylint.report.layout import layout_journey

    diagram = layout_journey(_load(MAGAZINE))
    y = {b.state.id: b.y for b in diagram.boxes}
    assert y["call-hotline"] < y["agent-greets"] < y["renewal-offer"] < y["confirm-cancel"] < y["cancelled"] < y["refund-cheque"]


def test_large_journey_shows_the_neighbourhood_of_its_findings(tmp_path):
    from journeylint.report.layout import FULL_UP_TO, layout_journey

    text = generated_journey(FULL_UP_TO + 150, 3, "big")
    session = session_for(tmp_path, select=["JL101", "JL102", "JL003", "JL004", "JL204"])
    [finding, *_] = findings = session.engine.lint_source(text, "big.yaml").findings
    journey = _load(text)
    diagram = layout_journey(journey, findings)
    assert 0 < len(diagram.boxes) <= FULL_UP_TO and diagram.omitted == len(journey.states) - len(diagram.boxes)
    drawn = {b.state.id for b in diagram.boxes}
    assert set(finding.path) <= drawn and finding.location.state in drawn
    assert any(b.hidden_out for b in diagram.boxes)


def test_large_journey_without_findings_shows_the_way_in():
    from journeylint.report.layout import FULL_UP_TO, layout_journey

    from journeylint.analysis import Analysis

    journey = _load(generated_journey(FULL_UP_TO + 50, 5, "big"))
    analysis = Analysis(journey)
    reachable = len(analysis.reachable_states())
    diagram = layout_journey(journey, [], analysis)
    assert len(diagram.boxes) == min(FULL_UP_TO, reachable) and "s0" in {b.state.id for b in diagram.boxes}
    assert all(b.reachable for b in diagram.boxes)


def test_report_over_the_examples_directory(tmp_path):
    """The acceptance command, on the repository's own examples."""
    out = tmp_path / "report.html"
    done = run_cli("report", "examples/", "-o", out, "--exit-zero", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    html = out.read_text()
    check = json.loads(run_cli("check", "examples/", "-f", "json", cwd=ROOT).stdout)
    journeys = {(f["file"], j) for f in check["files"] for j in f["journeys"]}
    attached = sum(1 for f in check["findings"] if (f["file"], f["journey"]) in journeys)
    assert html.count('<li class="finding ') == attached
    loose = html[html.index('<ul class="loose">'):] if '<ul class="loose">' in html else ""
    assert loose[:loose.find("</ul>")].count("<li") == check["summary"]["findings"] - attached
    assert html.count('class="journey"') == check["summary"]["journeys"]


def test_check_loads_no_report_libraries(project):
    """The layout library and the template engine are the report's: a plain
    check (and metrics) must not pay for importing them."""
    code = ("import sys\nfrom journeylint.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('grandalf', 'jinja2', 'markdown_it', 'playwright') if m in sys.modules),"
            " file=sys.stderr)\n")
    for args in (["check", "magazine.yaml"], ["metrics", "magazine.yaml"]):
        done = subprocess.run([sys.executable, "-c", code, *args], cwd=project, capture_output=True, text=True)
        assert done.stderr.strip().splitlines()[-1] == "[]", (args, done.stderr)
    done = subprocess.run([sys.executable, "-c", code, "report", "magazine.yaml", "-o", "r.html"], cwd=project,
                          capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "['grandalf', 'jinja2', 'markdown_it']"


def test_empty_run_still_writes_a_report(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    done = run_cli("report", ".", "-o", "r.html", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr.splitlines() == ["journeylint: no journey files found in .",
                                        "journeylint: wrote r.html (0 journeys, 0 findings)"]
    assert "0 journeys checked" in (tmp_path / "r.html").read_text()
