"""Findings and severities: what every lint rule returns."""
from __future__ import annotations

from dataclasses import dataclass, replace

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

DEFAULT_SEVERITY = {
    "footnote-malformed": "error",
    "footnote-undefined": "error",
    "footnote-unused": "warning",
    "math-error": "error",
    "math-delimiter": "warning",
    "image-missing": "error",
    "link-broken": "warning",
    "category-inconsistent": "warning",
    "date-invalid": "error",
    "date-order": "warning",
    "duplicate-note": "warning",
    "frontmatter-invalid": "error",
    "code-language": "warning",
}
"""Every rule id with its default severity (re-levelled or switched off in [checks])."""


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    message: str
    """What is wrong and how to fix it."""

    def as_json(self) -> dict[str, object]:
        return {"rule": self.rule, "severity": self.severity, "path": self.path, "line": self.line,
                "message": self.message}


def finding(rule: str, path: str, line: int, message: str, severity: str | None = None) -> Finding:
    return Finding(rule, severity or DEFAULT_SEVERITY[rule], path, max(1, line), message)


def apply_levels(findings: list[Finding], levels: dict[str, str]) -> list[Finding]:
    """Re-level or drop findings as tilbook.toml's [checks] says; sorted by file and line."""
    out = []
    for item in findings:
        level = levels.get(item.rule)
        if level == "off":
            continue
        out.append(replace(item, severity=level) if level else item)
    return sorted(out, key=lambda f: (f.path, f.line, SEVERITY_ORDER.get(f.severity, 3), f.rule, f.message))
