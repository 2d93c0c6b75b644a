"""Times commands, in rounds: each round runs every job once, in order.

    python3 measure.py RUNS WARMUP RESULTS JOBS.json

JOBS.json is a list of {"name", "n", "dir", "prep", "cmd"}: `prep` (a shell
line, may be empty) runs in `dir` before each run, untimed, then `sync`,
then `cmd` (an argument list) is timed in `dir`. Jobs that take turns share
whatever drift the machine has during the benchmark, so the ratio between
two of them is steadier than either time. One JSON row per job is appended
to RESULTS: median [min-max] wall and CPU time, peak memory, the phases of
`errdex build --timings`, and the files and bytes of `dir/public` (or of
the job's "output" folder, when given).
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

runs, warmup, out, jobs_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
jobs = json.load(open(jobs_file))


def once(job):
    if job.get("prep"):
        subprocess.run(job["prep"], shell=True, cwd=job["dir"], check=True)
    subprocess.run(["sync"], check=True)
    t0 = time.monotonic()
    p = subprocess.Popen(job["cmd"], cwd=job["dir"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{job['name']} N={job['n']}: {job['cmd']} failed:\n{err}")
    phases = {}
    m = re.search(r"timings \(ms\): (.*)", err)
    if m:
        for k, v in re.findall(r"(\w+) ([0-9.]+)", m.group(1)):
            phases[k] = float(v)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, phases


def size(folder):
    files = total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            total += os.lstat(os.path.join(root, name)).st_size
    return files, total


for _ in range(warmup):
    for job in jobs:
        once(job)
samples = [[] for _ in jobs]
for _ in range(runs):
    for i, job in enumerate(jobs):
        samples[i].append(once(job))


def stat(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}


for job, got in zip(jobs, samples):
    rec = {"name": job["name"], "n": job["n"], "wall_s": stat([s[0] for s in got]),
           "cpu_s": stat([s[1] for s in got]), "peak_mib": stat([s[2] for s in got]),
           "walls": [s[0] for s in got]}
    if got[0][3]:
        rec["phases_ms"] = {k: statistics.median([s[3][k] for s in got]) for k in got[0][3]}
    output = os.path.join(job["dir"], job.get("output", "public"))
    if os.path.isdir(output):
        rec["files"], rec["bytes"] = size(output)
    with open(out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    w, m = rec["wall_s"], rec["peak_mib"]
    print(f"{job['name']:<30} N={job['n']:>6}  wall {w['median']:.3f} s [{w['min']:.3f}-{w['max']:.3f}]  "
          f"cpu {rec['cpu_s']['median']:.2f} s  peak {m['median']:.0f} MiB", flush=True)
