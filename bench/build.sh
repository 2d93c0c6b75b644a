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
# add the median time of each phase from `errdex build --timings`.
#
# Rows:
#   errdex build          rebuild into an existing public/ (the usual case); the
#                         sizes take turns, run by run (see measure below)
#   errdex build (fresh)  as in a fresh clone: public/ and everything errdex keeps
#                         beside it (working copy, manifests) deleted first,
#                         outside the timing
#   rm -rf public && errdex build
#                         the peers' protocol, timed whole as theirs is: errdex's
#                         working copy survives, so the build links a new public/
#                         to it (not in the default ROWS)
#   errdex check          validation alone
#   floor: cp -r          copying errdex's output into a new folder (N >= 10000)
#   floor: rm -rf + mkdir what the peers' protocol costs any tool before it
#                         writes a byte (N >= 10000): deleting a tree shaped like
#                         errdex's output (its folders, its files as hard links),
#                         then making its folders again; `errors/<code>/index.html`
#                         is the contract's layout, so one folder per code is a
#                         given (not in the default ROWS)
#   hugo, zola            `rm -rf public && <tool>` in their site, as the peers'
#                         baseline script times them (needs PEER_CORPUS: the folder
#                         with gen_corpus.py and to_errdex.py, which then generate the
#                         corpus for every tool, errdex included)
#   instructions          what a rebuild executes, on one core under
#                         `valgrind --tool=callgrind` (RAYON_NUM_THREADS=1), with
#                         the size of the sources: how the work grows with the
#                         catalog, free of the machine's noise (needs valgrind;
#                         slow: about 20 min at 100,000 entries; not in the
#                         default ROWS)
# ROWS picks the errdex rows (default "build fresh check floor"; "rm" and
# "rmfloor" are the peers' protocol and its floor).
#
# Every run, warm-ups included, starts after `sync` (untimed): without it, a
# run paid for writing back what the runs before it wrote (the corpus, the
# warm-up's 2.9 GB at 100,000 entries, the copies of the floor row), and the
# larger the site, the more of that it paid.
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

# measure NAME PREP N=DIR... -- CMD...
#   Runs CMD in each DIR (after running PREP there, untimed) and appends a JSON
#   row per size. With several sizes, the runs take turns (each round runs
#   every size once), so a drift in the machine's speed during the benchmark
#   shows in every size alike instead of in the ratio between them: on the
#   shared VM this was measured on, identical 100,000-entry builds took 25 to
#   47 s of CPU within one day, and sizes run one after the other put 11x
#   and 15x between 10,000 and 100,000 entries where alternating runs gave
#   9.4-9.9x.
measure() {
  local name="$1" prep="$2"; shift 2
  local sites=()
  while [ "$1" != "--" ]; do sites+=("$1"); shift; done
  shift
  python3 - "$name" "$prep" "$RUNS" "$WARMUP" "$RESULTS" "$(printf '%s\n' "${sites[@]}")" "$@" <<'PY'
import json, os, re, statistics, subprocess, sys, time
name, prep, runs, warmup, out, sites = sys.argv[1:7]
cmd = sys.argv[7:]
runs, warmup = int(runs), int(warmup)
sites = [(int(s.split("=", 1)[0]), s.split("=", 1)[1]) for s in sites.splitlines() if s]

def once(n, d):
    if prep:
        subprocess.run(prep, shell=True, cwd=d, check=True)
    subprocess.run(["sync"], check=True)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=d, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{name} N={n}: {cmd} failed:\n{err}")
    phases = {}
    m = re.search(r"timings \(ms\): (.*)", err)
    if m:
        for k, v in re.findall(r"(\w+) ([0-9.]+)", m.group(1)):
            phases[k] = float(v)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, phases

for _ in range(warmup):
    for n, d in sites:
        once(n, d)
samples = {n: [] for n, _ in sites}
for _ in range(runs):
    for n, d in sites:
        samples[n].append(once(n, d))
stat = lambda xs: {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}
for n, d in sites:
    got = samples[n]
    rec = {"name": name, "n": n, "wall_s": stat([s[0] for s in got]),
           "cpu_s": stat([s[1] for s in got]), "peak_mib": stat([s[2] for s in got])}
    if got[0][3]:
        rec["phases_ms"] = {k: statistics.median([s[3][k] for s in got]) for k in got[0][3]}
    public = os.path.join(d, "public")
    if os.path.isdir(public):
        files = size = 0
        for root, _, fs in os.walk(public):
            for f in fs:
                files += 1
                size += os.lstat(os.path.join(root, f)).st_size
        rec["files"], rec["bytes"] = files, size
    with open(out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    w, m = rec["wall_s"], rec["peak_mib"]
    print(f"{name:<22} N={n:>6}  wall {w['median']:.3f} s [{w['min']:.3f}-{w['max']:.3f}]  "
          f"cpu {rec['cpu_s']['median']:.2f} s  peak {m['median']:.0f} MiB", flush=True)
PY
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
row build && measure "errdex build" "" "${sites[@]}" -- "$ERRDEX" build --timings

for n in $SIZES; do
  site="$WORK/n$n"
  row fresh && measure "errdex build (fresh)" "rm -rf public .public.errdex-*" "$n=$site/errdex" -- "$ERRDEX" build --timings
  row rm && measure "rm -rf public && errdex build" "" "$n=$site/errdex" -- sh -c "rm -rf public && $ERRDEX build"
  row check && measure "errdex check" "" "$n=$site/errdex" -- "$ERRDEX" check
  if row floor && [ "$n" -ge 10000 ]; then
    "$ERRDEX" build --root "$site/errdex" >/dev/null 2>&1
    measure "floor: cp -r" "rm -rf ../copy" "$n=$site/errdex" -- cp -r public ../copy
    rm -rf "$site/copy"
  fi
  if row rmfloor && [ "$n" -ge 10000 ]; then
    "$ERRDEX" build --root "$site/errdex" >/dev/null 2>&1
    (cd "$site/errdex/public" && find . -mindepth 1 -type d) > "$site/folders"
    measure "floor: rm -rf + mkdir" "rm -rf ../tree && cp -al public ../tree" "$n=$site/errdex" -- \
      sh -c 'rm -rf ../tree && mkdir ../tree && cd ../tree && xargs mkdir -p < ../folders'
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
  if want hugo && [ -d "$site/hugo" ]; then
    measure "hugo" "" "$n=$site/hugo" -- sh -c "rm -rf public && $HUGO --quiet"
  fi
  if want zola && [ -d "$site/zola" ]; then
    measure "zola" "" "$n=$site/zola" -- sh -c "rm -rf public && $ZOLA build"
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
