"""A broken template override is the user's error, not tilbook's: exit 2, one line naming the
template file, its line and the page being built; the previous site stays; nothing is left over.

Shown failing before the fix (commit "Template errors name file, line and page"): the syntax
case exited 70 with "internal error TemplateSyntaxError … please report it", and the failed
build test found `.out.tilbook-pending` beside the site when __exit__ skipped its clean-up."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tests.conftest import write_note
from tilbook.errors import InputError, TemplateError
from tilbook.site.build import build_site

NOTE = "---\ndate: 2024-01-02\ncategory: CS\ntitle: Pipes\n---\nA pipe joins two processes.\n"
PAGE = "2024/01/02/pipes/index.html"
BROKEN = {
    "syntax": ({"note.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n"},
               "templates/note.html:3: template error: Expected an expression"),
    "undefined in an include": ({"note.html": "{% extends 'base.html' %}\n{% block main %}"
                                              "{% include 'part.html' %}{% endblock %}\n",
                                 "part.html": "fine\n\n{{ no_such_value }}\n"},
                                "templates/part.html:3: template error: 'no_such_value' is undefined"),
    "python error": ({"note.html": "{% extends 'base.html' %}\n{% block main %}\n\n\n{{ 1 // 0 }}\n{% endblock %}\n"},
                     "templates/note.html:5: template error: ZeroDivisionError"),
    "missing parent": ({"note.html": "\n{% extends 'nowhere.html' %}\n"},
                       "templates/note.html:2: template error: nowhere.html"),
}


def break_templates(root: Path, files: dict[str, str]) -> None:
    (root / "templates").mkdir(exist_ok=True)
    for name, text in files.items():
        (root / "templates" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_template_error_names_file_line_and_page(case: str, notebook: Path, tilbook) -> None:  # noqa: ANN001
    files, expected = BROKEN[case]
    write_note(notebook, "2024/2024-01-02-pipes.md", NOTE)
    break_templates(notebook, files)
    result = tilbook("build", cwd=notebook)
    lines = result.err.strip().splitlines()
    assert result.code == 2 and "Traceback" not in result.err and "internal error" not in result.err
    assert lines[-1].startswith("error: " + expected), lines[-1]
    assert lines[-1].endswith(f"(while building {PAGE})")


def test_template_error_from_a_page_worker_is_the_same(notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages rendered in forked workers raise in another process: the error must survive pickling."""
    from tilbook.site import assemble as build_module
    write_note(notebook, "2024/2024-01-02-pipes.md", NOTE)
    break_templates(notebook, BROKEN["undefined in an include"][0])
    with pytest.raises(TemplateError) as serial:
        build_site(notebook, workers=1)
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", 1)
    spawned: list[int] = []
    real = build_module._made_in_workers
    monkeypatch.setattr(build_module, "_made_in_workers",
                        lambda files, rels, workers: spawned.append(workers) or real(files, rels, workers))
    with pytest.raises(TemplateError) as parallel:
        build_site(notebook, workers=2)
    assert spawned == [2] and str(parallel.value) == str(serial.value)
    assert pickle.loads(pickle.dumps(serial.value)).page == PAGE


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("failure", ["bad note (fails while loading)", "bad template (fails while writing)"])
def test_failed_build_leaves_previous_site_and_no_pending_folder(failure: str, notebook: Path, tmp_path: Path) -> None:
    write_note(notebook, "2024/2024-01-02-pipes.md", NOTE)
    for day in range(3, 28):  # enough pages that some are staged before the broken one is reached
        write_note(notebook, f"2024/2024-01-{day:02d}-n.md", NOTE.replace("01-02", f"01-{day:02d}"))
    out = tmp_path / "out"
    build_site(notebook, out)
    before = tree(out)
    if failure.startswith("bad note"):
        write_note(notebook, "2024/b.md", "---\ndate: 2024-02-30\ncategory: CS\n---\nBroken.\n")
        expected: type[Exception] = InputError
    else:
        write_note(notebook, "2024/2024-01-02-pipes.md", NOTE + "\nA second line.\n")
        break_templates(notebook, {"note.html": "{% extends 'base.html' %}{% block main %}"
                                                "{{ page_title if page_url < '2024/01/20' else nope }}"
                                                "{% endblock %}"})
        expected = TemplateError
    with pytest.raises(expected):
        build_site(notebook, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb", "out"]  # the writer's `.out.tilbook-pending` is gone
