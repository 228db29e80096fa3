"""The rule table and its runner: a rule switched off does not run, every finding carries the id
of the rule that made it, and a run reads each note file once."""
from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

import tilbook.checks as checks
from tests.conftest import write_note
from tilbook.checks import RULES, Target, run_checks

BROKEN = "---\ndate: 2024-01-02\ncategory: CS\n---\nSee ![plot](missing.png)[^x].\n"


def exploding(rule_id: str) -> tuple[checks.Rule, ...]:  # type: ignore[name-defined]
    def boom(_: object) -> list[object]:
        raise AssertionError(f"{rule_id} ran")
    return tuple(dataclasses.replace(r, check=boom) if r.id == rule_id else r for r in RULES)


def test_a_rule_switched_off_does_not_run(notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_note(notebook, "2024/2024-01-02-a.md", BROKEN)
    monkeypatch.setattr(checks, "RULES", exploding("image-missing"))
    with pytest.raises(AssertionError, match="image-missing ran"):
        run_checks(Target(notebook, True))
    config = notebook / "tilbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[checks]", '[checks]\nimage-missing = "off"'),
                      encoding="utf-8")
    rules = {f.rule for f in run_checks(Target(notebook, True))}
    assert rules == {"footnote-undefined", "category-inconsistent"}


def test_every_rule_has_one_id_and_one_severity() -> None:
    severities: dict[str, set[str]] = {}
    for rule in RULES:
        severities.setdefault(rule.id, set()).add(rule.severity)
        assert rule.scope in ("note", "notebook", "post")
    assert all(len(s) == 1 for s in severities.values()), severities


def test_a_run_reads_each_note_file_once(notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for day in range(1, 6):
        write_note(notebook, f"2024/2024-01-0{day}-n.md", BROKEN.replace("2024-01-02", f"2024-01-0{day}"))
    reads: Counter[str] = Counter()
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        if self.suffix == ".md":
            reads[self.name] += 1
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    monkeypatch.setenv("TILBOOK_PARALLEL_THRESHOLD", "1000")
    findings = run_checks(Target(notebook, True))
    assert len([f for f in findings if f.rule == "image-missing"]) == 5
    assert reads and max(reads.values()) == 1, reads
