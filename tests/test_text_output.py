"""Text output details: long witnesses are shortened for people, kept whole for machines."""
from __future__ import annotations

import json

from conftest import run_cli


def chain_journey(n):
    lines = ["journey: long-menu", "kind: support", "start: s0", "states:"]
    for i in range(n):
        lines += [f"  s{i}:", "    actor: bot", "    channel: phone", f"    next: s{i + 1}"]
    lines += [f"  s{n}:", "    actor: bot", "    next: []"]
    return "\n".join(lines) + "\n"


def test_long_witness_is_shown_by_its_ends(tmp_path):
    (tmp_path / "j.yaml").write_text(chain_journey(40))
    result = run_cli("check", "j.yaml", "--select", "JL101", cwd=tmp_path)
    path_line = next(line for line in result.stdout.splitlines() if line.startswith("    path: "))
    assert path_line == ("    path: " + " -> ".join(f"s{i}" for i in range(12)) + " -> ... (17 more) -> "
                         + " -> ".join(f"s{i}" for i in range(29, 41)))
    data = json.loads(run_cli("check", "j.yaml", "--select", "JL101", "-f", "json", cwd=tmp_path).stdout)
    assert data["findings"][0]["path"] == [f"s{i}" for i in range(41)]
