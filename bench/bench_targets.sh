#!/usr/bin/env bash
# Every target of the incremental-build issue, in one run against Hugo (and Pelican), by hand:
#
#   bash bench/bench_targets.sh 10000             # cold / edit / no-op against the peers, preview, search
#   BIG=100000 bash bench/bench_targets.sh 10000  # and tilbook alone at 10,000 and 100,000 notes
#
# Runs bench_peers.sh (hyperfine: cold, one-note edits, no-op), bench_serve.py on the same notebook
# (edit to reload in an open page), then targets.py, which measures the site search's bytes per
# query on that notebook's site and prints the table of targets, met or missed, as ratios to Hugo's
# cold build of this run (bench/results/targets-N.md). With BIG, bench_build.py then times 10,000 and
# BIG notes (cold, edit, peak memory); its figures go into the same table.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PY:-$HERE/../.venv/bin/python}
export R=${R:-${TMPDIR:-/tmp}/tilbook-peers}
N=${1:-10000}
"$PY" -m compileall -q "$HERE/../src"  # bytecode as a user's install has it (see bench_peers.sh)
# the peers first, and nothing deleted until the end (bench/corpus.py, set_aside, says why)
KEEP_TRASH=1 RUNS=${RUNS:-3} bash "$HERE/bench_peers.sh" "$N"
(cd "$HERE" && "$PY" bench_serve.py "$N" --edits 10 --notebook "$R/sites/tilbook-$N" --json "$HERE/results/serve-$N.json")
if [ -n "${BIG:-}" ]; then
  "$PY" "$HERE/bench_build.py" "$N" "$BIG" --runs 1
  cp "$HERE/results/build.json" "$HERE/results/build-big.json"
fi
rm -rf "$R/trash"
(cd "$HERE" && "$PY" targets.py "$N" --site "$R/sites/tilbook-$N/site" ${BIG:+--big "$HERE/results/build-big.json"})
