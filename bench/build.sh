#!/usr/bin/env bash
# Build benchmark: errdex on generated sites of 100 to 100,000 entries, and,
# when asked, Hugo and Zola building the same entries as plain markdown pages.
#
#   bash bench/build.sh                          # errdex alone, our own generator
#   SIZES="1000 10000" RUNS=7 bash bench/build.sh
#   SIZES="10000 100000" ROWS="build check" bash bench/build.sh   # skip the slow rows
#   SIZES=10000 ROWS="build rm" PEERS=hugo PEER_CORPUS=path/to/bench bash bench/build.sh
#   PEERS="hugo zola" PEER_CORPUS=path/to/bench bash bench/build.sh
#
# Every row: median [min-max] wall time over RUNS runs after WARMUP runs, CPU
# time (user+sys), peak memory (max RSS), output files and bytes; errdex rows
# add the median time of each phase from `errdex build --timings`. The jobs
# of one group run in rounds (bench/measure.py), and the summary gives the
# ratio between the jobs of a group round by round.
#
# Rows (ROWS picks them; default "build fresh check floor"):
#   errdex build          rebuild into an existing public/ (the usual case);
#                         the sizes take turns
#   then, for each size, three groups of jobs, each in turns (fresh, rm, rebuild):
#   errdex build (fresh)  as in a fresh clone: public/ and everything errdex
#                         keeps beside it deleted first, outside the timing
#   floor: cp -r          copying errdex's output into a new folder (N >= 10000):
#                         what merely writing those files costs (row floor)
#   rm -rf public && errdex build
#                         the peers' protocol, timed whole (row rm)
#   errdex build (rebuild), hugo (fresh), rm -rf public && hugo, hugo (rebuild)
#                         with PEERS=hugo; zola (fresh), rm -rf public && zola
#                         with PEERS=zola (needs PEER_CORPUS: the folder with
#                         gen_corpus.py and to_errdex.py, which then generate
#                         the corpus for every tool, errdex included)
#   errdex check          validation alone (row check)
#   floor: rm -rf + mkdir what the peers' protocol costs any tool before it
#                         writes a byte (N >= 10000, row rmfloor): deleting a
#                         tree shaped like errdex's output, then making its
#                         folders again
#   instructions          what a rebuild executes, on one core under
#                         `valgrind --tool=callgrind` (RAYON_NUM_THREADS=1), with
#                         the size of the sources (needs valgrind; about 20 min
#                         at 100,000 entries; row instructions)
#
# Every run, warm-ups included, starts after `sync` (untimed): without it, a
# run paid for writing back what the runs before it wrote.
#
# Needs python3 (and PyYAML with PEER_CORPUS). HUGO and ZOLA may name the binaries.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SIZES="${SIZES:-100 1000 10000 100000}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
PEERS=" ${PEERS:-} "
HUGO="${HUGO:-hugo}"
ZOLA="${ZOLA:-zola}"
WORK="${WORK:-$(mktemp -d -t errdex-bench.XXXXXX)}"
KEEP="${KEEP:-0}"
ROWS=" ${ROWS:-build fresh check floor} "
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

want() { [[ "$PEERS" == *" $1 "* ]]; }
row() { [[ "$ROWS" == *" $1 "* ]]; }
if row instructions && ! command -v valgrind >/dev/null; then
  echo "the instructions row needs valgrind" >&2
  exit 2
fi

(cd "$ROOT" && cargo build --release --quiet --bin errdex --example gen-corpus)
ERRDEX="$ROOT/target/release/errdex"
GEN="$ROOT/target/release/examples/gen-corpus"
echo "# $("$ERRDEX" --version), $(nproc) cores, $(date -u +%Y-%m-%d)"

# job NAME N DIR PREP CMD...: adds a job to the next `run_jobs`; jobs run in
# rounds, every job once a round (see measure.py), so the ratio between two
# jobs of one `run_jobs` is measured in alternating pairs.
JOBS="$WORK/jobs.jsonl"
: > "$JOBS"
job() {
  python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "n": int(sys.argv[2]), "dir": sys.argv[3], "prep": sys.argv[4], "cmd": sys.argv[5:]}))' "$@" >> "$JOBS"
}
run_jobs() {
  [ -s "$JOBS" ] || return 0
  python3 -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$JOBS" > "$JOBS.json"
  python3 "$HERE/measure.py" "$RUNS" "$WARMUP" "$RESULTS" "$JOBS.json"
  : > "$JOBS"
}

sites=()
for n in $SIZES; do
  site="$WORK/n$n"
  if [ -n "${PEER_CORPUS:-}" ]; then
    python3 "$PEER_CORPUS/gen_corpus.py" all "$n" "$site" >/dev/null
    python3 "$PEER_CORPUS/to_errdex.py" "$site/entries.jsonl" "$site/errdex"
  else
    "$GEN" "$n" "$site/errdex" 2>/dev/null
  fi
  sites+=("$n=$site/errdex")
done

# The row the ratios between sizes come from: all sizes in turn.
if row build; then
  for n in $SIZES; do job "errdex build" "$n" "$WORK/n$n/errdex" "" "$ERRDEX" build --timings; done
  run_jobs
fi

for n in $SIZES; do
  site="$WORK/n$n"
  # Three groups, each in turns: a build from nothing (as in CI) beside what
  # merely copying its output costs and beside the peers from nothing; the
  # peers' `rm -rf public &&` protocol; and rebuilds. The deletions of the
  # second group leave the disk busy for seconds after `sync`, so they take
  # turns only with each other.
  row fresh && job "errdex build (fresh)" "$n" "$site/errdex" "rm -rf public .public.errdex-*" "$ERRDEX" build --timings
  if row floor && [ "$n" -ge 10000 ]; then
    row fresh || "$ERRDEX" build --root "$site/errdex" >/dev/null 2>&1
    job "floor: cp -r" "$n" "$site/errdex" "rm -rf ../copy" cp -r public ../copy
  fi
  hugo=; want hugo && [ -d "$site/hugo" ] && hugo=1
  zola=; want zola && [ -d "$site/zola" ] && zola=1
  [ -n "$hugo" ] && job "hugo (fresh)" "$n" "$site/hugo" "rm -rf public" "$HUGO" --quiet
  [ -n "$zola" ] && job "zola (fresh)" "$n" "$site/zola" "rm -rf public" "$ZOLA" build
  run_jobs
  rm -rf "$site/copy"
  row rm && job "rm -rf public && errdex build" "$n" "$site/errdex" "" sh -c "rm -rf public && $ERRDEX build"
  [ -n "$hugo" ] && job "rm -rf public && hugo" "$n" "$site/hugo" "" sh -c "rm -rf public && $HUGO --quiet"
  [ -n "$zola" ] && job "rm -rf public && zola" "$n" "$site/zola" "" sh -c "rm -rf public && $ZOLA build"
  run_jobs
  if [ -n "$hugo" ]; then
    job "errdex build (rebuild)" "$n" "$site/errdex" "" "$ERRDEX" build --timings
    job "hugo (rebuild)" "$n" "$site/hugo" "" "$HUGO" --quiet
    run_jobs
  fi
  if row check; then
    job "errdex check" "$n" "$site/errdex" "" "$ERRDEX" check
    run_jobs
  fi
  if row rmfloor && [ "$n" -ge 10000 ]; then
    "$ERRDEX" build --root "$site/errdex" >/dev/null 2>&1
    (cd "$site/errdex/public" && find . -mindepth 1 -type d) > "$site/folders"
    job "floor: rm -rf + mkdir" "$n" "$site/errdex" "rm -rf ../tree && cp -al public ../tree" \
      sh -c 'rm -rf ../tree && mkdir ../tree && cd ../tree && xargs mkdir -p < ../folders'
    run_jobs
    rm -rf "$site/tree" "$site/folders"
  fi
  if row instructions; then
    "$ERRDEX" build --root "$site/errdex" >/dev/null 2>&1  # what is counted is a rebuild
    refs=$(cd "$site/errdex" && RAYON_NUM_THREADS=1 valgrind --tool=callgrind \
      --callgrind-out-file=/dev/null "$ERRDEX" build 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,)
    [ -n "$refs" ] || { echo "instructions N=$n: no count in valgrind's output" >&2; exit 1; }
    sources=$(du -sb "$site/errdex/content" | cut -f1)
    echo "{\"name\": \"instructions\", \"n\": $n, \"instructions\": $refs, \"source_bytes\": $sources}" >> "$RESULTS"
    awk -v n="$n" -v refs="$refs" -v sources="$sources" \
      'BEGIN { printf "instructions           N=%6s  %.2f billion  sources %.1f MB\n", n, refs / 1e9, sources / 1e6 }'
  fi
done

echo
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
counted = [r for r in rows if "instructions" in r]
timed = [r for r in rows if "instructions" not in r]
if timed:
    print("| tool | N | wall median [min-max] | CPU | peak memory | files | output | load / validate / render / search / exports / swap (ms) |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
for r in timed:
    w = r["wall_s"]
    phases = r.get("phases_ms")
    ph = " / ".join(f"{phases.get(k, 0):.0f}" for k in ("load", "validate", "render", "search", "exports", "swap")) if phases else ""
    size = f"{r['bytes'] / 1e6:.1f} MB" if "bytes" in r else ""
    print(f"| {r['name']} | {r['n']:,} | {w['median']:.2f} s [{w['min']:.2f}-{w['max']:.2f}] | {r['cpu_s']['median']:.2f} s "
          f"| {r['peak_mib']['median']:.0f} MiB | {r.get('files', '')} | {size} | {ph} |")
# Jobs measured in the same rounds, against errdex's fresh build: each
# round's ratio, so the spread shows how steady the comparison was.
pairs = [("floor: cp -r", "errdex build (fresh)"), ("errdex build (fresh)", "hugo (fresh)"),
         ("rm -rf public && errdex build", "rm -rf public && hugo"),
         ("errdex build (rebuild)", "hugo (rebuild)"),
         ("errdex build (fresh)", "zola (fresh)")]
lines = []
for a, b in pairs:
    for ra in timed:
        rb = next((r for r in timed if r["name"] == b and r["n"] == ra["n"]), None)
        if ra["name"] != a or rb is None or "walls" not in ra or "walls" not in rb \
                or len(ra["walls"]) != len(rb["walls"]):
            continue
        per = sorted(y / x for x, y in zip(ra["walls"], rb["walls"]))
        lines.append(f"| {b} / {a} | {ra['n']:,} | {rb['wall_s']['median'] / ra['wall_s']['median']:.2f} "
                     f"| {per[0]:.2f}-{per[-1]:.2f} |")
if lines:
    print()
    print("| ratio of wall times (above 1: the second is faster) | N | of medians | per round |")
    print("|---|---:|---:|---|")
    print("\n".join(lines))
if counted:
    # Each size against the one before it: instructions and sources grow alike
    # when the work is linear in the input.
    if timed:
        print()
    print("| instructions, one rebuild on one core | N | instructions | sources | growth (sources' growth) |")
    print("|---|---:|---:|---:|---|")
    before = None
    for r in counted:
        growth = ""
        if before:
            growth = (f"{r['instructions'] / before['instructions']:.2f}x "
                      f"({r['source_bytes'] / before['source_bytes']:.2f}x)")
        print(f"| errdex build | {r['n']:,} | {r['instructions'] / 1e9:.2f} billion "
              f"| {r['source_bytes'] / 1e6:.1f} MB | {growth} |")
        before = r
PY

if [ "$KEEP" != 1 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
