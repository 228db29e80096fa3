#!/usr/bin/env python3
"""Math renderer candidates on real formulas (run by hand; figures in README "Math"):

    .venv/bin/python bench/bench_math.py [--temml DIR]
    PYTHONPATH=/tmp/temml/py .venv/bin/python bench/bench_math.py --temml /tmp/temml   # as measured

Formulas: the seed posts' (../shared/seeds) and tests/render/gallery.py. For each candidate:
milliseconds per formula (median of 5 passes, no cache), how many it rejects, and how many of
its outputs a browser draws wrong without a word (MathML that MathML Core ignores: `mathvariant`
other than normal, `linebreak`, an empty `<mo/>`, or an unknown command kept as letters).
`--temml DIR` is an unpacked `npm pack temml` (package/dist/temml.min.js), run in the `quickjs`
PyPI package's QuickJS (`pip install --target /tmp/temml/py quickjs`: pykatex installs a `quickjs`
folder of C sources that shadows it otherwise); skipped without it.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tests.render.gallery import GALLERY, GALLERY_MACROS  # noqa: E402

SEEDS = HERE.parent.parent / "shared" / "seeds"
SILENT = re.compile(r'mathvariant="(?!normal")|linebreak=|<mo\s*/>|<mo></mo>|<mi>ohm</mi>|<menclose')


def seed_formulas() -> list[tuple[str, bool]]:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for token in md.parse(path.read_text(encoding="utf-8")):
            for t in [token, *(token.children or [])]:
                if t.type.startswith("math"):
                    found.append((t.content.strip(), t.type != "math_inline"))
    return found


def expand(tex: str) -> str:
    for name, body in GALLERY_MACROS.items():  # the gallery's macros, for renderers without them
        tex = re.sub(rf"\\{name}(?![A-Za-z])", lambda _m: body.replace("#1", ""), tex)
    return tex


def candidates(temml_dir: Path | None) -> dict[str, Callable[[str, bool], str]]:
    import pykatex
    out: dict[str, Callable[[str, bool], str]] = {}
    try:  # tilbook's renderer before issue 13; `pip install latex2mathml` to compare
        import latex2mathml.converter
        out["latex2mathml"] = lambda tex, d: latex2mathml.converter.convert(tex, display="block" if d else "inline")
    except ImportError:
        print("latex2mathml is not installed: skipped")
    out["pykatex"] = lambda tex, d: pykatex.renderToString(tex, output=pykatex.OUTPUT_MATHML, displayMode=d,
                                                           throwOnError=True, strict=pykatex.STRICT_IGNORE)
    from tilbook.render.math import to_mathml
    out["tilbook (pykatex + Core pass)"] = lambda tex, d: to_mathml(tex, display=d, macros={})
    if temml_dir:
        import quickjs  # type: ignore[import-not-found]
        ctx = quickjs.Context()
        ctx.eval((temml_dir / "package" / "dist" / "temml.min.js").read_text(encoding="utf-8"))
        render = ctx.eval("(function(s, d){return temml.renderToString(s, {displayMode: d, throwOnError: true})})")
        out["temml (quickjs)"] = lambda tex, d: str(render(tex, d))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--temml", type=Path)
    args = parser.parse_args()
    sets = {"seeds": seed_formulas(), "gallery": [(expand(t), d) for t, d in GALLERY]}
    print(f"{'renderer':32} {'set':8} {'n':>4} {'ms/formula':>10} {'rejected':>8} {'silently wrong':>14}")
    for name, render in candidates(args.temml).items():
        for set_name, formulas in sets.items():
            rejected: list[str] = []
            wrong: list[str] = []
            for tex, display in formulas:
                try:
                    if SILENT.search(render(tex, display)):
                        wrong.append(tex)
                except Exception:
                    rejected.append(tex)
            passes = []
            for _ in range(5):
                started = time.perf_counter()
                for tex, display in formulas:
                    try:
                        render(tex, display)
                    except Exception:
                        pass
                passes.append((time.perf_counter() - started) * 1000 / len(formulas))
            print(f"{name:32} {set_name:8} {len(formulas):>4} {statistics.median(passes):>10.3f} "
                  f"{len(rejected):>8} {len(wrong):>14}")
            for tex in rejected[:6]:
                print(f"{'':16}rejects: {tex[:70]}")
            for tex in wrong[:6]:
                print(f"{'':16}wrong:   {tex[:70]}")


if __name__ == "__main__":
    main()
