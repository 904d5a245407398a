"""The report of ci/bench-daemon: reads the raw figures it collected (`key: value`
lines in $FIGURES), prints the table with ratios and PASS/FAIL per target, and
records it in BENCHMARKS.md between `<!-- daemon:begin -->` and
`<!-- daemon:end -->` (when $RECORD is 1). Run by ci/bench-daemon only; with
the argument `proc-costs` it prints what reading each /proc file a sampler
tick reads costs here, and nothing else."""

import collections
import datetime
import os
import platform
import re
import subprocess
import sys
import time

# The /proc files a sampler tick reads on generic Linux. Reading them costs
# kernel time charged to the reader; `proc-costs` mode (run by ci/bench-daemon
# at the end of the idle phase) times each once, best of 20.
PROC_FILES = ("stat", "meminfo", "loadavg", "uptime", "net/dev", "net/snmp", "diskstats", "mounts")


def read_cost(path, rounds=20):
    """Best time to read `path` once, ms (None when unreadable)."""
    best = None
    for _ in range(rounds):
        t = time.perf_counter()
        try:
            with open(path, "rb") as f:
                while f.read(65536):
                    pass
        except OSError:
            return None
        d = (time.perf_counter() - t) * 1000
        best = d if best is None else min(best, d)
    return best


if sys.argv[1:] == ["proc-costs"]:
    costs = [(f, read_cost("/proc/" + f)) for f in PROC_FILES]
    print(", ".join(f"{f} {c:.3f} ms" for f, c in costs if c is not None))
    sys.exit(0)

env = os.environ
fig = {}
for line in open(env["FIGURES"]):
    key, _, value = line.rstrip("\n").partition(": ")
    fig[key] = value

TCK = int(env["CLK_TCK"])
IDLE = int(env["IDLE_SECONDS"])
SETTLE = int(env["SETTLE_SECONDS"])

# Targets (issue 3).
IDLE_RSS_MAX_KIB = 2 * 1024
PEAK_RSS_MAX_KIB = 4 * 1024
IDLE_CPU_MAX_PCT = 0.2
CPU_PER_REQ_MAX_SHARE = 0.1  # "well under node_exporter's per scrape": at most a tenth


def num(key):
    return int(fig[key])


def mib(kib):
    return f"{kib / 1024:.2f} MiB"


def run(prefix):
    """Figures of one wrk run."""
    ok = num(f"{prefix}_requests") - num(f"{prefix}_non2xx")
    secs = num(f"{prefix}_duration_us") / 1e6
    cpu = num(f"{prefix}_cpu_ticks") / TCK
    return {
        "requests": num(f"{prefix}_requests"),
        "ok": ok,
        "non2xx": num(f"{prefix}_non2xx"),
        "socket_errors": num(f"{prefix}_socket_errors"),
        "rps": ok / secs,
        "cpu": cpu,
        "cpu_per_1000": cpu / ok * 1000 if ok else float("nan"),
        "cpu_ns_per_1000": num(f"{prefix}_cpu_ns") / 1e9 / ok * 1000 if ok else float("nan"),
        "cores": cpu / secs,
        "hwm": num(f"{prefix}_hwm_kib"),
        "rss_before": num(f"{prefix}_rss_before_kib"),
        "rss_after": num(f"{prefix}_rss_after_kib"),
        "p50": num(f"{prefix}_p50_us"),
        "p99": num(f"{prefix}_p99_us"),
        "peak_reset": fig[f"{prefix}_peak_reset"] == "1",
    }


def thread_ns(before, after):
    """CPU time per thread name between two per_thread listings, ns
    (schedstat run time of the live threads)."""
    b = {t.split("/")[0]: int(t.split("/")[3]) for t in fig[before].split()}
    out = collections.Counter()
    for t in fig[after].split():
        tid, comm, _ticks, ns = t.split("/")
        out[comm] += int(ns) - b.get(tid, 0)
    return out


def threads(before, after):
    return ", ".join(f"{comm} {ns / 1e9:.3f} s" for comm, ns in thread_ns(before, after).most_common())



runs = {p: run(p) for p in ("es_status", "es_stats", "ne_metrics", "es0_status", "es0_stats")
        if f"{p}_requests" in fig}
es_status, es_stats, ne = runs["es_status"], runs["es_stats"], runs["ne_metrics"]
es_idle_rss, ne_idle_rss = num("es_idle_rss_kib"), num("ne_idle_rss_kib")
es_idle_cpu = num("es_idle_ticks") / TCK
es_idle_pct = es_idle_cpu / IDLE * 100
es_idle_ns_pct = num("es_idle_ns") / 1e9 / IDLE * 100
ne_idle_pct = num("ne_idle_ticks") / TCK / IDLE * 100
peak = max(es_status["hwm"], es_stats["hwm"])
sampler_ms = thread_ns("es_idle_threads_before", "es_idle_threads_after").get("sampler", 0) / 1e6 / IDLE
costs_text = fig.get("proc_read_ms", "not measured")


def verdict(ok):
    return "PASS" if ok else "FAIL"


targets = [
    (f"idle RSS after {SETTLE} s <= 2 MiB", f"{mib(es_idle_rss)}", es_idle_rss <= IDLE_RSS_MAX_KIB),
    ("peak RSS under wrk -c64 <= 4 MiB", f"{mib(peak)} (max of /api/status, /stats)",
     peak <= PEAK_RSS_MAX_KIB),
    (f"idle CPU over {IDLE} s at 1 Hz <= 0.2% of a core", f"{es_idle_pct:.3f}%",
     es_idle_pct <= IDLE_CPU_MAX_PCT),
    ("CPU per request <= 1/10 of node_exporter's per scrape, /api/status",
     f"{es_status['cpu_per_1000']:.3f} s vs {ne['cpu_per_1000']:.3f} s per 1000",
     es_status["cpu_per_1000"] <= CPU_PER_REQ_MAX_SHARE * ne["cpu_per_1000"]),
    ("CPU per request <= 1/10 of node_exporter's per scrape, /stats",
     f"{es_stats['cpu_per_1000']:.3f} s vs {ne['cpu_per_1000']:.3f} s per 1000",
     es_stats["cpu_per_1000"] <= CPU_PER_REQ_MAX_SHARE * ne["cpu_per_1000"]),
]


def times(a, b):
    """How many times a is b, as `Nx`."""
    if b == 0:
        return "n/a"
    r = a / b
    return f"{r:.1f}x" if r < 10 else f"{r:,.0f}x"


wrk_args = env["WRK_ARGS"]
rows = [
    ("idle RSS, " + f"{SETTLE} s after start (VmRSS)", mib(es_idle_rss), mib(ne_idle_rss),
     f"{times(ne_idle_rss, es_idle_rss)} less", "≤ 2 MiB", verdict(targets[0][2])),
    (f"peak RSS while idle, {SETTLE + IDLE} s (VmHWM before any request)", mib(num("es_idle_hwm_kib")),
     mib(num("ne_idle_hwm_kib")), "", "", ""),
    (f"idle CPU over {IDLE} s, sampling at 1 Hz, no client",
     f"{es_idle_pct:.3f}% of a core ({num('es_idle_ticks')} ticks; schedstat {es_idle_ns_pct:.3f}%)",
     f"{ne_idle_pct:.3f}% ({num('ne_idle_ticks')} ticks; it samples nothing between scrapes)",
     "", "≤ 0.2%", verdict(targets[2][2])),
]
for label, r, t_rss, t_cpu in (("`/api/status`", es_status, 1, 3), ("`/stats`", es_stats, 1, 4)):
    rows += [
        (f"requests/s, {label} (node_exporter: scrapes/s, `/metrics`)", f"{r['rps']:,.0f}",
         f"{ne['rps']:,.0f}", f"{times(r['rps'], ne['rps'])} more", "", ""),
        (f"peak RSS under the load, {label} (VmHWM)", mib(r["hwm"]), mib(ne["hwm"]),
         f"{times(ne['hwm'], r['hwm'])} less", "≤ 4 MiB", verdict(r["hwm"] <= PEAK_RSS_MAX_KIB)),
        (f"CPU s per 1000 requests, {label} (node_exporter: per 1000 scrapes)",
         f"{r['cpu_per_1000']:.3f}", f"{ne['cpu_per_1000']:.3f}",
         f"{times(ne['cpu_per_1000'], r['cpu_per_1000'])} less", "≤ 1/10 of node_exporter's",
         verdict(targets[t_cpu][2])),
        (f"CPU used during the run, {label}", f"{r['cores']:.2f} cores", f"{ne['cores']:.2f} cores", "", "", ""),
        (f"latency p50 / p99, {label}", f"{r['p50'] / 1000:.2f} / {r['p99'] / 1000:.2f} ms",
         f"{ne['p50'] / 1000:.1f} / {ne['p99'] / 1000:.1f} ms", "", "", ""),
        (f"RSS 2 s after the load, {label}", mib(r["rss_after"]), mib(ne["rss_after"]), "", "", ""),
    ]
extra = []
for label, key in (("`/api/status`", "es0_status"), ("`/stats`", "es0_stats")):
    if key in runs:
        r = runs[key]
        extra.append((f"cache off, {label}: requests/s, CPU s per 1000, peak RSS",
                      f"{r['rps']:,.0f}, {r['cpu_per_1000']:.3f} s, {mib(r['hwm'])}",
                      f"{ne['rps']:,.0f}, {ne['cpu_per_1000']:.3f} s, {mib(ne['hwm'])}",
                      f"{times(ne['cpu_per_1000'], r['cpu_per_1000'])} less CPU", "", ""))

def per_request(prefix, route):
    """Callgrind instructions of the HTTP thread per request."""
    return (num(f"{prefix}_{route}_http") - num(f"{prefix}_start_http")) / num("cg_requests")


ROUTES = (("`/api/status`", "api_status"), ("`/stats`", "stats"), ("`/metrics`", "metrics"))
if "cg_requests" in fig:
    for label, route in ROUTES:
        extra.append((f"instructions per request, {label}, cache off (callgrind, HTTP thread)",
                      f"{per_request('cg', route):,.0f}", "", "", "", ""))

# Against another revision (BENCH_AGAINST), measured in this run.
against = []
if "against" in fig:
    rev = fig["against"]
    ours_size, base_size = int(env["BIN_SIZE"]), num("against_size")
    against.append(("stripped binary, bytes", f"{ours_size:,}", f"{base_size:,}",
                    f"{(ours_size - base_size) / base_size * 100:+.1f}%"))
    ours_rss, base_rss = num("ours_idle_rss_kib"), num("against_idle_rss_kib")
    against.append((f"idle RSS, {SETTLE} s after start, median of 3", mib(ours_rss), mib(base_rss),
                    f"{(ours_rss - base_rss) / base_rss * 100:+.1f}%"))
    if "cgb_start_http" in fig:
        for label, route in ROUTES:
            ours, base = per_request("cg", route), per_request("cgb", route)
            against.append((f"instructions per request, {label}, cache off", f"{ours:,.0f}",
                            f"{base:,.0f}", f"{(ours - base) / base * 100:+.1f}%"))

problems = []
for name, r in runs.items():
    if r["non2xx"] or r["socket_errors"]:
        problems.append(f"{name}: {r['non2xx']} non-2xx answers, {r['socket_errors']} socket errors "
                        f"of {r['requests']} requests")
    if not r["peak_reset"]:
        problems.append(f"{name}: VmHWM could not be reset before the run; its peak includes earlier phases")

# ------------------------------------------------------------------ print
head = ("figure", "edgestat", "node_exporter", "ratio", "target", "")
w = [max(len(str(row[i])) for row in [head] + rows + extra) for i in range(6)]
for row in [head] + rows + extra:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(row)).rstrip())
print()
if against:
    print(f"this tree against {fig['against']}:")
    for row in against:
        print("  " + "  ".join(str(c) for c in row))
    print()
print(f"threads, idle {IDLE} s: {threads('es_idle_threads_before', 'es_idle_threads_after')}")
for name in runs:
    print(f"threads, {name}: {threads(name + '_threads_before', name + '_threads_after')}")
print(f"sampler thread, idle: {sampler_ms:.2f} ms of CPU per tick (1 Hz)")
print(f"reading each /proc file a tick reads, once, best of 20 here: {costs_text}")
print()
for name, value, ok in targets:
    print(f"{verdict(ok)}  {name}: {value}")
for p in problems:
    print(f"NOTE  {p}")
npass = sum(ok for _, _, ok in targets)
print(f"targets: {npass} PASS, {len(targets) - npass} FAIL")

# ------------------------------------------------------------------ record
if env["RECORD"] != "1":
    print("not recorded in BENCHMARKS.md (a shortened run; BENCH_RECORD=1 records it)")
    sys.exit(0)

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
           platform.machine())
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
size = int(env["BIN_SIZE"])
table = "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in rows + extra)
against_table = ""
if against:
    against_table = (f"\nThis tree against commit {fig['against']}, built and measured in the same run "
                     "(`BENCH_AGAINST`):\n\n| figure | this tree | "
                     f"{fig['against']} | change |\n|---|---|---|---|\n"
                     + "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in against) + "\n")
notes = "\n".join(f"- {p}" for p in problems)
section = f"""<!-- daemon:begin -->
Recorded by `ci/bench-daemon` on {datetime.date.today()} ({cpu}, {os.cpu_count()} cores, kernel {platform.release()}; {rustc}).
Binary: {env['BIN_VERSION']} (commit {env['COMMIT']}), `x86_64-unknown-linux-musl`, static, release profile (opt-level "z", fat LTO,
1 codegen unit, panic=abort, strip): {size:,} bytes ({size / 1024:,.0f} KiB). Peer: Debian's
prometheus-node-exporter {env['NE_VERSION']} with its defaults (all default collectors,
`--runtime.gomaxprocs=1`), in the same invocation.
The daemon runs on generic Linux (no tegrastats or vcgencmd child), rate limiting off, response cache at
its default of 2 s (a body may be served for up to 2 s; with the cache off, `--cache-seconds 0`, each
document is still rendered at most once per sample and its bytes shared by every request for that
sample), `--max-http-connections` at its default of 64 and `--max-http-connections-per-ip 64` (every
wrk connection comes from 127.0.0.1; the default per address is 16). Load: wrk {env['WRK_VERSION']}
`{wrk_args}`, unpinned, on the same cores as the server.

| figure | edgestat | node_exporter | ratio | target | |
|---|---|---|---|---|---|
{table}
{against_table}
Threads' CPU over the idle {IDLE} s: {threads('es_idle_threads_before', 'es_idle_threads_after')}
({sampler_ms:.2f} ms per sampler tick). Reading each `/proc` file a tick reads, once, best of 20 on this
machine: {costs_text}.
{notes}

```sh
{env['BUILD_CMD']}
{env['ES_CMD']}   # --cache-seconds 0 added for the cache-off rows
{env['NE_CMD']}
wrk {wrk_args} http://ADDR/api/status   # then /stats, then node_exporter's /metrics
```
RSS is VmRSS and peak RSS VmHWM from `/proc/PID/status` (VmHWM reset with `echo 5 > /proc/PID/clear_refs`
before each wrk run); CPU is utime + stime from `/proc/PID/stat` ({TCK} ticks/s), so CPU per 1000 requests
is the CPU seconds during the wrk run over the 2xx answers, times 1000. Instructions per request are
callgrind's count for the HTTP (main) thread over {fig.get('cg_requests', 'N')} keep-alive requests from one Python
`http.client`, less the count of a run that served none, over the requests. Idle CPU has a resolution of one tick
({100 / TCK / IDLE:.3f}% over {IDLE} s); the schedstat figure is the threads' nanosecond run time.
Targets (issue 3): idle RSS ≤ 2 MiB, peak RSS under this load ≤ 4 MiB, idle CPU ≤ 0.2% of a core,
CPU per request well under node_exporter's per scrape (read as at most a tenth).
<!-- daemon:end -->"""
section = re.sub(r"\n\n+", "\n\n", section)
path = "BENCHMARKS.md"
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
if "<!-- daemon:begin -->" in text:
    text = re.sub(r"<!-- daemon:begin -->.*?<!-- daemon:end -->", lambda _: section, text, flags=re.S)
else:
    text = (text.rstrip() + "\n\n## Daemon: memory and CPU of `edgestat run`\n\n"
            "`ci/bench-daemon` (run by `ci/bench daemon`) measures the static musl release binary,\n"
            "idle and under wrk on `/api/status` and `/stats`, against Debian's\n"
            "prometheus-node-exporter serving `/metrics` under the same load.\n\n" + section + "\n")
open(path, "w").write(text)
print(f"recorded in {path}")
