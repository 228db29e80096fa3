"""The preview server, run as a real process on a free loopback port."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_note
from tests.loopback import free_port, get
from tilbook.capture import init_notebook

TILBOOK = [sys.executable, "-c", "from tilbook.cli import main; main()"]


def wait_for(check, seconds: float) -> float | None:  # noqa: ANN001
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


NOTE = "---\ndate: 2024-05-01\ncategory: CS\ntitle: Live note\n---\nFirst words about sockets.\n"


@pytest.fixture(params=[NOTE])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    root = tmp_path / "nb"
    init_notebook(root)
    write_note(root, "2024/2024-05-01-live.md", request.param)
    write_note(root, "2024/2024-05-02-draft.md",
               "---\ndate: 2024-05-02\ncategory: CS\ntitle: Secret plan\ndraft: true\n---\nNot yet.\n")
    port = free_port()
    temp = tmp_path / "tmp"  # the server's own temp folder: other processes' previews do not count
    temp.mkdir()
    proc = subprocess.Popen([*TILBOOK, "serve", "--port", str(port)], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, env={**os.environ, "TMPDIR": str(temp)})
    assert wait_for(lambda: get(port, "/")[0] == 200, 30) is not None, "server did not start"
    yield proc, port, root
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert list(temp.iterdir()) == []  # the preview folder is removed on exit


def events(port: int) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """An open reload stream, as a browser tab holds it, past its `hello` event."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/__tilbook__/events")
    stream = conn.getresponse()
    assert stream.status == 200 and stream.getheader("Content-Type") == "text/event-stream"
    assert stream.readline().startswith(b"event: hello")
    stream.readline(), stream.readline()  # its data line and the blank line
    return conn, stream


def next_event(stream: http.client.HTTPResponse, wanted: str) -> str:
    """The data of the next `wanted` event within 30 s (one save may be seen as two changes:
    earlier events and keep-alive comments are skipped)."""
    name = data = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = stream.readline().decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif not line and name:
            if name == wanted:
                return data
            name = data = ""
    raise AssertionError(f"no `{wanted}` event within 30 s")


def test_edit_reaches_the_page_and_open_tabs_reload(server) -> None:  # noqa: ANN001
    """How fast is measured by bench/bench_serve.py; here only that it happens."""
    proc, port, root = server
    url = "/2024/05/01/live/"
    status, page = get(port, url)
    assert status == 200 and "First words about sockets." in page
    assert '<script src="/__tilbook__/reload.js" defer></script>' in page
    conn, stream = events(port)
    note = root / "notes/2024/2024-05-01-live.md"
    note.write_text(NOTE + "\nSecond words about select().\n", encoding="utf-8")
    next_event(stream, "reload")
    assert "Second words about select()." in get(port, url)[1]
    conn.close()


WITH_MATH = NOTE.replace("title: Live note", "title: Live note on $x^2$") + "\nThe cube $x^3$.\n"


@pytest.mark.parametrize("server", [WITH_MATH], indirect=True)
def test_formulas_edited_while_serving_render_like_the_first_build(server) -> None:  # noqa: ANN001
    """Shown failing before every build ran on the main thread: KaTeX's runtime belongs to the
    thread that first rendered a formula (the first build's), and the watcher thread's rebuilds
    got "size exceeded" for every formula."""
    proc, port, root = server
    url = "/2024/05/01/live/"
    assert "<msup><mi>x</mi><mn>3</mn></msup>" in get(port, url)[1]
    conn, stream = events(port)
    note = root / "notes/2024/2024-05-01-live.md"
    note.write_text(WITH_MATH + "\nThe square $a^2$ and the index $b_3$.\n", encoding="utf-8")
    next_event(stream, "reload")
    page = get(port, url)[1]
    assert "<msup><mi>a</mi><mn>2</mn></msup>" in page and "<msub><mi>b</mi><mn>3</mn></msub>" in page
    assert "math-error" not in page and "size exceeded" not in page
    conn.close()


def listening_addresses(port: int) -> set[str]:
    """Hex local addresses of sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:
                found.add(address)
    return found


def test_drafts_are_shown_with_a_banner_and_the_server_is_loopback_only(server) -> None:  # noqa: ANN001
    proc, port, root = server
    status, page = get(port, "/2024/05/02/draft/")
    assert status == 200 and "Secret plan" in page and "draft-banner" in page
    assert listening_addresses(port) == {"0100007F"}


@pytest.mark.parametrize("path", ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                                  "/%2E%2E/%2E%2E/etc/passwd", "//etc/passwd", "/assets/..%5c..%5cetc%5cpasswd",
                                  "/escape/passwd"])
def test_traversal_gets_404(server, path: str) -> None:  # noqa: ANN001
    proc, port, root = server
    status, body = get(port, path)
    assert status == 404 and "root:" not in body


BROKEN = {
    "note": ("notes/2024/2024-05-01-live.md", "---\ndate: [broken\n---\n",
             '"notes/2024/2024-05-01-live.md:2: invalid front matter'),
    "template": ("templates/note.html", "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
                 '"templates/note.html:3: template error: Expected an expression'),
}


@pytest.mark.parametrize("what", sorted(BROKEN))
def test_a_broken_file_shows_in_the_overlay_and_the_watcher_lives_on(server, what: str) -> None:  # noqa: ANN001
    """Shown failing before the template fix: a broken template killed the watcher thread, so no
    `error` event came and the fix below never reached the page."""
    proc, port, root = server
    rel, text, expected = BROKEN[what]
    conn, stream = events(port)
    (root / rel).parent.mkdir(exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    data = next_event(stream, "error")
    assert data.startswith('{"generation": ') and expected in data, data
    assert get(port, "/2024/05/01/live/")[0] == 200  # the last good build is still served
    if what == "template":
        (root / rel).unlink()
    (root / "notes/2024/2024-05-01-live.md").write_text(NOTE + "\nFixed again.\n", encoding="utf-8")
    next_event(stream, "reload")
    assert "Fixed again." in get(port, "/2024/05/01/live/")[1]
    assert proc.poll() is None
    conn.close()


def test_sigterm_stops_cleanly(server) -> None:  # noqa: ANN001
    proc, port, root = server
    os.killpg(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert b"stopped" in proc.stderr.read()
