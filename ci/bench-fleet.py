"""Load generator and report for ci/bench-fleet (standard library only).

For each backend: start the release edgestat-fleet, register BENCH_NODES
nodes with one heartbeat each, then
  burst: BENCH_ROUNDS resource reports per node as fast as 8 keep-alive
         connections send them; reports/s accepted, and the time until the
         last one is readable through the API (written);
  paced: BENCH_NODES nodes every 10 s (BENCH_NODES/10 reports/s) for
         BENCH_PACED_SECONDS; the manager's CPU (% of one core) and RSS, the
         p50/p99/max time to answer a report, and how long a report takes
         to become readable through the API (a probe node, every second);
  size:  bytes on disk per heartbeat row and per daily row (indexes
         included), so per node per day at one report every 10 s.
"""
import datetime, http.client, json, os, platform, re, sqlite3, subprocess, sys, threading, time

BIN, PG = sys.argv[1], sys.argv[2]
NODES = int(os.environ.get("BENCH_NODES", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
PACED = float(os.environ.get("BENCH_PACED_SECONDS", "20"))
CONNS = 8
TICK = os.sysconf("SC_CLK_TCK")


def node_id(i):
    return f"{i:032x}"


def heartbeat(i):
    return {"api_version": 1, "data": {
        "client_id": node_id(i), "box_id": 1, "slot_id": i % 16, "cpu_id": 0, "srio_id": 0,
        "host_ip": "10.0.0.1", "hostname": f"node-{i}", "service_port": 23980, "box_type": "",
        "board_type": "GPU", "cpu_type": "ARM Cortex-A78AE/12", "os_type": "Ubuntu 22.04.5 LTS",
        "resource_type": "", "cpu_arch": "aarch64",
        "gpu": [{"index": 0, "name": "NVIDIA Jetson AGX Orin Developer Kit iGPU"}]}}


def resource(i, r):
    # The AGX Orin fixture's figures; traffic grows by 1 MB per report.
    return {"api_version": 1, "data": {
        "client_id": node_id(i), "host_ip": "10.0.0.1",
        "resource": {
            "cpu": {"usage_percent": 10.0 + r % 50, "load_avg_1m": 0.48, "load_avg_5m": 0.39, "load_avg_15m": 0.36,
                    "core_count": 12, "core_allocated": None, "temperature": 44.388, "voltage": None,
                    "current": None, "power": 0.808},
            "memory": {"total": 65894129664, "used": 7213154304, "free": 58680975360, "usage_percent": 10.95},
            "network": [{"interface": "eth0", "rx_bytes": 2310544821 + r * 10**6, "tx_bytes": 10**6 * r,
                         "rx_packets": 1, "tx_packets": 1, "rx_errors": 0, "tx_errors": 0}],
            "disk": [{"device": "/dev/mmcblk0p1", "mount_point": "/", "total": 62671097856,
                      "used": 26328555520, "free": 33124782080, "usage_percent": 44.28}],
            "gpu": [{"index": 0, "name": "NVIDIA Jetson AGX Orin Developer Kit iGPU", "compute_usage": 0.0,
                     "mem_usage": None, "mem_used": None, "mem_total": None, "temperature": 43.0,
                     "voltage": 5.016, "current": 0.638, "power": 3.2}]},
        "component": [], "throttled": None}}


def send_all(port, jobs):
    """POSTs (path, body) jobs over CONNS keep-alive connections; returns failures."""
    failures = []
    lock = threading.Lock()
    it = iter(jobs)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            path, body = job
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                failures.append(resp.status)

    threads = [threading.Thread(target=worker) for _ in range(CONNS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path)
    return json.loads(conn.getresponse().read())


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def status(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def stored_bytes(backend, url):
    """Bytes on disk per heartbeat row and per daily row, indexes included:
    what a node adds per report and per day, kept for --retention-days (its
    clients row is one per node, whatever the days)."""
    tables = {"heartbeats": ("heartbeats", "heartbeats_client_ts", "heartbeats_ts"),
              "daily": ("daily", "sqlite_autoindex_daily_1")}
    out = {}
    if backend == "SQLite":
        conn = sqlite3.connect(url.split(":", 1)[1])
        for table, objects in tables.items():
            size = conn.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({','.join('?' * len(objects))})",
                                objects).fetchone()[0]
            out[table] = size / conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        conn.close()
        return out
    subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    for table in tables:
        row = subprocess.run(["psql", url, "-qtAc",
                              f"SELECT pg_total_relation_size('{table}')::float8 / COUNT(*) FROM {table}"],
                             capture_output=True, text=True, check=True).stdout
        out[table] = float(row.strip())
    return out


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def run(backend, url):
    proc = subprocess.Popen([BIN, "run", "--listen", "127.0.0.1:0", "--poll-interval", "0",
                             "--auto-register-user", "1", "--database-url", url, "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(proc.stdout.readline().strip().rsplit(":", 1)[1])
    try:
        send_all(port, [("/heartbeat", json.dumps(heartbeat(i))) for i in range(NODES)])
        while get(port, "/api/user/client_list?user_id=1")["data"]["total"] < NODES:
            time.sleep(0.05)
        idle_rss = status(proc.pid, "VmRSS")

        bodies = [("/resource", json.dumps(resource(i, r))) for r in range(ROUNDS) for i in range(NODES)]
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        failures = send_all(port, bodies)
        sent = time.monotonic() - t0
        want = NODES * ROUNDS
        while len(get(port, "/api/user/client_health?user_id=1")["data"]) < want:
            time.sleep(0.05)
        written = time.monotonic() - t0
        burst_cpu = cpu_seconds(proc.pid) - cpu0

        # Paced: NODES/10 reports per second, as 1000 nodes every 10 s. A
        # probe thread, once a second, sends a report for a node of its own
        # with a CPU figure of its own, and polls the node's detail on a
        # second connection until it shows: report to readable.
        rate = NODES / 10
        probe = NODES  # registered here, not counted in the fleet
        send_all(port, [("/heartbeat", json.dumps(heartbeat(probe)))])
        lags, stop = [], threading.Event()

        def prober():
            sender = http.client.HTTPConnection("127.0.0.1", port)
            reader = http.client.HTTPConnection("127.0.0.1", port)
            path = f"/api/user/client_device_detail?user_id=1&client_id={node_id(probe)}"
            k = 0
            while not stop.wait(1.0):
                k += 1
                report = resource(probe, k)
                report["data"]["resource"]["cpu"]["usage_percent"] = float(k % 97)
                sent_at = time.monotonic()
                sender.request("POST", "/resource", body=json.dumps(report),
                               headers={"Content-Type": "application/json"})
                sender.getresponse().read()
                while time.monotonic() - sent_at < 10:
                    reader.request("GET", path)
                    data = json.loads(reader.getresponse().read())["data"] or {}
                    if data.get("system_info", {}).get("cpu_usage") == float(k % 97):
                        break
                    time.sleep(0.005)
                lags.append(time.monotonic() - sent_at)

        probing = threading.Thread(target=prober)
        probing.start()
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        n, answers = 0, []
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.monotonic() - t0 < PACED:
            due = t0 + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = json.dumps(resource(n % NODES, ROUNDS + n // NODES))
            sent_at = time.monotonic()
            conn.request("POST", "/resource", body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            answers.append(time.monotonic() - sent_at)
            if r.status != 200:
                failures.append(r.status)
            n += 1
        stop.set()
        probing.join()
        paced_wall = time.monotonic() - t0
        peak_rss = status(proc.pid, "VmHWM")
        paced_cpu = cpu_seconds(proc.pid) - cpu0
        proc.terminate()
        proc.wait()
        sizes = stored_bytes(backend, url)
        return {
            "backend": backend, "reports": want, "failures": len(failures),
            "burst_per_sec": want / sent, "written_per_sec": want / written,
            "burst_cpu_ms_per_report": burst_cpu * 1000 / want,
            "paced_rate": rate, "paced_reports": n, "paced_cpu_percent": paced_cpu * 100 / paced_wall,
            "idle_rss_kib": idle_rss, "peak_rss_kib": peak_rss,
            "answer_p50_ms": percentile(answers, 50) * 1000, "answer_p99_ms": percentile(answers, 99) * 1000,
            "answer_max_ms": max(answers) * 1000, "readable_max_ms": max(lags) * 1000,
            "bytes_per_heartbeat": sizes["heartbeats"], "bytes_per_day_row": sizes["daily"],
            "mib_per_node_day": (sizes["heartbeats"] * 8640 + sizes["daily"]) / 2**20,
        }
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()


def main():
    import tempfile
    tmp = tempfile.mkdtemp()
    results = [run("SQLite", f"sqlite:{tmp}/bench.db")]
    dbname = f"fleet_bench_{os.getpid()}"
    subprocess.run(["psql", PG, "-qc", f"CREATE DATABASE {dbname}"], check=True)
    try:
        results.append(run("PostgreSQL", PG.rsplit("/", 1)[0] + "/" + dbname))
    finally:
        subprocess.run(["psql", PG, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"])
    need = NODES / 10
    for r in results:
        for k, v in r.items():
            print(f"{r['backend']} {k}: {v:.2f}" if isinstance(v, float) else f"{r['backend']} {k}: {v}")
        print(f"{r['backend']} headroom_vs_{need:.0f}_per_sec: {r['written_per_sec'] / need:.1f}x")

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    pg_version = subprocess.run(["psql", PG, "-tAc", "SHOW server_version"], capture_output=True, text=True).stdout.strip()
    rows = "\n".join(
        f"| {r['backend']} | {r['burst_per_sec']:,.0f} | {r['written_per_sec']:,.0f} | {r['written_per_sec'] / need:.0f}x "
        f"| {r['burst_cpu_ms_per_report']:.2f} | {r['paced_cpu_percent']:.1f}% "
        f"| {r['answer_p50_ms']:.1f} / {r['answer_p99_ms']:.1f} / {r['answer_max_ms']:.1f} ms | {r['readable_max_ms']:.0f} ms "
        f"| {r['bytes_per_heartbeat']:.0f} B × 8640 + {r['bytes_per_day_row']:.0f} B = {r['mib_per_node_day']:.2f} MiB "
        f"| {r['idle_rss_kib'] / 1024:.1f} / {r['peak_rss_kib'] / 1024:.1f} MiB | {r['failures']} |"
        for r in results)
    section = f"""<!-- fleet:begin -->
Recorded by `ci/bench-fleet` on {datetime.date.today()} ({cpu}, {os.cpu_count()} cores; release build; PostgreSQL {pg_version} on loopback
with fsync on, SQLite in WAL mode with synchronous=NORMAL). {NODES} nodes registered by one heartbeat each, then
{ROUNDS} resource reports per node ({NODES * ROUNDS:,}) sent by {CONNS} keep-alive connections as fast as a Python client sends
them ("burst", so the client is part of the limit), then {NODES} nodes every 10 s ({need:.0f} reports/s) paced for {PACED:.0f} s.

| backend | burst: accepted reports/s | burst: written reports/s (readable through the API) | headroom over {need:.0f}/s | CPU ms per report | CPU at {need:.0f} reports/s (one core) | at {need:.0f}/s: answer p50 / p99 / max | at {need:.0f}/s: report to readable, max | database per node per day at one resource report every 10 s: heartbeat rows (8640) + the day's row | RSS idle / peak | refused |
|---|---|---|---|---|---|---|---|---|---|---|
{rows}

Target (issue 7): 1000 nodes at 10 s intervals (100 reports/s) with p99 under 50 ms, on both backends. Each report is
checked whole, answered, queued, and written with the others of its half second (`--write-interval`) in one
transaction (a heartbeat row, the client's latest state, the day's aggregates): the answer does not wait for the
disk, and a report is readable through the API within about one write interval. The database per node per day is
what its rows take on disk, indexes included (SQLite's `dbstat`, PostgreSQL's `pg_total_relation_size` after VACUUM),
kept for `--retention-days` (30 days: 30 times the figure); each node's one `clients` row (its latest reports, about
2 KiB) does not grow with time. At the default `--poll-interval` of 10 s the manager asks for `/heartbeat` and
`/resource` in turn, so a node stores a heartbeat row every 20 s: half the figure.
CPU and RSS are edgestat-fleet's own (PostgreSQL's server processes are not counted). "Written" is measured by polling
`client_health` until all the burst's rows are there, so it includes those reads; PostgreSQL pays one loopback round
trip per statement (four per report), SQLite none.
<!-- fleet:end -->"""
    path = "BENCHMARKS.md"
    text = open(path).read()
    if "<!-- fleet:begin -->" in text:
        text = re.sub(r"<!-- fleet:begin -->.*?<!-- fleet:end -->", lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Fleet manager: reports into SQLite and PostgreSQL\n\n" + section + "\n"
    open(path, "w").write(text)
    print(f"recorded in {path}")


main()
