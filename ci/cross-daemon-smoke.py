#!/usr/bin/env python3
"""Runs one edgestat binary (natively or under a qemu runner) as a daemon
against a fixture root, and prints its /api/status and /stats with the
values that differ from run to run taken out, as one JSON object.

    ci/cross-daemon-smoke.py FIXTURE BINARY [RUNNER ...]

ci/cross runs it for the x86_64 build and for each cross build and
compares the outputs: the same fixture and the same sample input must
give the same JSON on every architecture.

Taken out: every `timestamp`; `/api/status`'s `tegrastats` (the stand-in
prints a different captured line each second; its presence is kept);
`/stats`'s `disk` (the fixture's `/` is the build machine's filesystem,
whose usage moves while the run goes on).
"""
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scrub(value):
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k != "timestamp"}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def get(addr, path):
    with urllib.request.urlopen(f"http://{addr}{path}", timeout=10) as response:
        return json.load(response)


def main():
    fixture, binary, runner = sys.argv[1], sys.argv[2], sys.argv[3:]
    root = ROOT / "edge-daemon/tests/fixtures" / fixture
    empty = ROOT / "target/cross/logs/empty.toml"
    empty.write_text("")
    args = runner + [
        binary, "run", "--port", "0", "--update-interval", "1", "--no-rate-limit",
        "--vcgencmd-interval", "1", f"--config={empty}",
        f"--sysfs={root / 'sys'}", f"--procfs={root / 'proc'}", f"--rootfs={root}",
        f"--tegrastats={root / 'usr/bin/tegrastats'}", f"--vcgencmd={root / 'usr/bin/vcgencmd'}",
    ]
    daemon = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = daemon.stdout.readline().strip()
        addr = first.removeprefix("edgestat listening on http://")
        if addr == first:
            sys.exit(f"unexpected first line: {first!r}")
        deadline = time.monotonic() + 30
        while True:
            try:
                status, stats = get(addr, "/api/status"), get(addr, "/stats")
                # Ready when the tools have answered: tegrastats on a Jetson,
                # vcgencmd on a Pi.
                jetson = (root / "etc/nv_tegra_release").exists()
                if (jetson and "tegrastats" in status) or (not jetson and stats["power"]["core_voltage"] is not None):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("the daemon did not answer with a full sample in 30 s")
            time.sleep(0.5)
        status["tegrastats"] = "present" if "tegrastats" in status else "absent"
        stats.pop("disk", None)
        print(json.dumps({"/api/status": scrub(status), "/stats": scrub(stats)}, indent=1, sort_keys=True))
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


main()
