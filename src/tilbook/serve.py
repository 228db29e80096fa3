"""`tilbook serve`: a preview server with live reload.

The preview is built with drafts into a temporary folder of its own (never the published
output) and served on loopback. watchfiles reports edits; each one rebuilds and tells open tabs
to reload over Server-Sent Events. The reload script is injected into responses by the server,
never written into a built file. A broken note shows as an overlay and in the terminal; the
server keeps serving the last good build.
"""
from __future__ import annotations

import http.server
import json
import queue
import shutil
import signal
import socketserver
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import TilbookError
from .notes import CACHE_DIR, cache_dir

EVENTS_PATH = "/__tilbook__/events"
SCRIPT_PATH = "/__tilbook__/reload.js"
INJECT = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RELOAD_JS = (Path(__file__).resolve().parent / "theme" / "reload.js").read_bytes()


class PreviewState:
    """What the server shows: the site folder, a build generation counter and the last error."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.generation = 0
        self.error: str | None = None
        self.changed = threading.Condition()
        self.stopping = False

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.generation += 1
            self.error = error
            self.changed.notify_all()


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """Serves files of the preview site only: no listings, nothing outside the folder."""

    state: PreviewState
    server_version = "tilbook-preview"

    def log_message(self, format: str, *args: object) -> None:  # quiet: one line per rebuild instead
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            return self._events()
        if path == SCRIPT_PATH:
            return self._send(200, RELOAD_JS, "text/javascript; charset=utf-8")
        target = resolve_request(self.state.site, path)
        if target is None:
            missing = self.state.site / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<h1>Not found</h1>"
            return self._send(404, self._inject(body), "text/html; charset=utf-8")
        data = target.read_bytes()
        kind = _content_type(target)
        if kind.startswith("text/html"):
            data = self._inject(data)
        self._send(200, data, kind)

    def do_HEAD(self) -> None:
        self.do_GET()

    def _inject(self, html: bytes) -> bytes:
        index = html.rfind(b"</body>")
        return html[:index] + INJECT + html[index:] if index >= 0 else html + INJECT

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-Sent Events: `reload` after each rebuild, `error` while the build is broken."""
        origin = self.headers.get("Origin")
        host = self.headers.get("Host", "")
        if origin and urlsplit(origin).netloc != host:
            return self._send(403, b"foreign origin", "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        seen = state.generation
        try:
            self.wfile.write(_event("hello", {"generation": seen, "error": state.error}))
            self.wfile.flush()
            while not state.stopping:
                with state.changed:
                    state.changed.wait(timeout=15)
                    generation, error = state.generation, state.error
                if state.stopping:
                    break
                if generation == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = generation
                    self.wfile.write(_event("error" if error else "reload", {"generation": seen, "error": error}))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8")


def _content_type(path: Path) -> str:
    import mimetypes
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "javascript", "json")) else kind


def resolve_request(site: Path, url_path: str) -> Path | None:
    """The file a URL path names inside `site`, or None (404) for anything that would leave it."""
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p in ("..", ".") for p in parts):
        return None
    root = site.resolve()
    target = root.joinpath(*parts)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root):
        return None
    if resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved if resolved.is_file() else None


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(host: str, port: int, state: PreviewState) -> _Server:
    handler = type("BoundPreviewHandler", (PreviewHandler,), {"state": state})
    if ":" in host:
        _Server.address_family = __import__("socket").AF_INET6
    return _Server((host, port), handler)


class Previewer:
    """Builds the preview and rebuilds it on every change, reporting one line per rebuild.

    Every build runs on the main thread: the watcher thread only queues what changed. KaTeX's
    QuickJS runtime takes the stack of the thread that first renders a formula as its own, and
    refuses ("size exceeded") formulas rendered from another thread's stack afterwards."""

    def __init__(self, root: Path, site: Path, echo: Callable[[str], None]) -> None:
        self.root = root
        self.state = PreviewState(site)
        self.echo = echo
        self.changes: queue.Queue[list[str]] = queue.Queue()
        """Paths the watcher saw change, for the main thread's next rebuild."""

    def rebuild(self, changed: list[str]) -> None:
        from .site.build import build_site
        self._rebuild(changed, build_site)

    def rebuild_queued(self, stop: threading.Event) -> None:
        """Rebuild on the main thread whenever the watcher queued changes, until `stop`."""
        while not stop.is_set():
            try:
                changed = set(self.changes.get(timeout=0.2))
            except queue.Empty:
                continue
            while not self.changes.empty():  # edits that came meanwhile: one rebuild for all
                changed.update(self.changes.get_nowait())
            self.rebuild(sorted(changed))

    def _rebuild(self, changed: list[str], build_site: Callable[..., Any]) -> None:
        started = time.perf_counter()
        later: list[Callable[[], None]] = []
        try:
            result = build_site(self.root, self.state.site, drafts=True, later=later, changed=changed or None)
        except Exception as exc:  # shown in the overlay; the watcher thread must live on to see the fix
            shown = str(exc) if isinstance(exc, TilbookError) else f"internal error {type(exc).__name__}: {exc}"
            self.echo(f"build failed: {shown}")
            self.state.publish(shown)
            return
        what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        self.echo(f"rebuilt in {time.perf_counter() - started:.2f} s ({result.changed} files changed)"
                  + (f": {what}" if what else ""))
        for warning in result.warnings[:5] if changed else []:
            self.echo(f"  {warning}")
        self.state.publish(None)
        for save in later:  # caches for the next rebuild, once the browser has been told to reload
            save()

    def watch(self, stop: threading.Event) -> None:
        import watchfiles

        ignored = {CACHE_DIR, ".git", "site", "__pycache__"}

        def wanted(change: watchfiles.Change, path: str) -> bool:
            rel = Path(path).resolve()
            try:
                parts = rel.relative_to(self.root).parts
            except ValueError:
                return False
            return bool(parts) and parts[0] not in ignored and not parts[-1].startswith(".") \
                and not parts[-1].endswith(("~", ".swp", ".tmp"))

        # watchfiles yields once a check `step` ms after the first event finds no new one: 10–20 ms
        # after a save (an editor's write-and-rename arrives within a millisecond or two), at most
        # `debounce` ms while events keep coming.
        for changes in watchfiles.watch(self.root, watch_filter=wanted, debounce=80, step=10, rust_timeout=500,
                                        stop_event=stop, raise_interrupt=False):
            self.changes.put(sorted({Path(p).resolve().relative_to(self.root).as_posix() for _, p in changes}))


def run_server(root: Path, host: str, port: int, open_browser: bool, echo: Callable[[str], None]) -> None:
    site = Path(tempfile.mkdtemp(prefix="tilbook-preview-")) / "site"
    previewer = Previewer(root, site, echo)
    stop = threading.Event()
    server: _Server | None = None

    def shutdown(signum: int, frame: object) -> None:
        stop.set()
        previewer.state.stopping = True
        previewer.state.publish(previewer.state.error)
        if server is not None:
            threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, shutdown) for sig in (signal.SIGINT, signal.SIGTERM)}
    # watch first: an edit made while the first build runs (or right after "serving") is not missed
    watcher = threading.Thread(target=previewer.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        previewer.rebuild([])
        if stop.is_set():  # Ctrl-C or SIGTERM during the first build
            return
        server = make_server(host, port, previewer.state)
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{server.server_address[1]}/"
        echo(f"serving {root.name} with drafts at {url} (Ctrl-C to stop)")
        if host not in LOOPBACK:
            echo(f"warning: listening on {host}: anyone who can reach this machine can read your drafts")
        if open_browser:
            webbrowser.open(url)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        previewer.rebuild_queued(stop)
    finally:
        stop.set()
        watcher.join(timeout=5)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server is not None:
            server.server_close()
        shutil.rmtree(site.parent, ignore_errors=True)
        from .site.state import drop
        drop(cache_dir(root), site)  # the preview's build state goes with its folder
        echo("stopped")
