"""Seeds every cargo-fuzz target's corpus from the project's test data.

Usage: python3 ci/fuzz-seed.py   (from anywhere; writes fuzz/corpus/<target>/)

Each target gets the real inputs its parser is tested on: tegrastats lines,
vcgencmd replies split per command, /proc and sysfs fixture files, and the
INA3221 fixture directories as NUL-separated `name=contents` records (the
format the sysfs_ina3221_* targets read), and seed 003's query datagram.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "parsers" / "tests" / "data"
CORPUS = ROOT / "fuzz" / "corpus"


def put(target: str, name: str, data: bytes) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / re.sub(r"[^A-Za-z0-9_.-]", "_", name)).write_bytes(data)


def tegrastats() -> None:
    for tsv in (DATA / "tegrastats").glob("*.tsv"):
        for row in tsv.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#"):
                cols = row.split("\t")
                put("tegrastats", cols[0], cols[3].encode())


def vcgencmd() -> None:
    text = (DATA / "vcgencmd" / "outputs.txt").read_text(encoding="utf-8")
    blocks = re.split(r"^== ", text, flags=re.M)[1:]
    for n, block in enumerate(blocks):
        header, _, body = block.partition("\n")
        command = header.split("| vcgencmd ")[-1].split()[0].rstrip(";")
        for line in body.splitlines(keepends=True) if ";" in header else [body]:
            target = "firmware_error" if line.startswith("error=") else command
            if line.startswith("throttled="):
                target = "get_throttled"
            elif line.startswith("temp="):
                target = "measure_temp"
            put(f"vcgencmd_{target}", f"{n}-{header.split()[0]}", line.encode())


def procfs() -> None:
    names = {
        "stat": "stat", "meminfo": "meminfo", "loadavg": "loadavg", "uptime": "uptime",
        "net_dev": "net_dev", "net_tcp": "net_tcp", "net_snmp": "net_snmp", "net_wireless": "net_wireless", "diskstats": "diskstats", "mounts": "mounts",
        "pid_stat": "pid_stat", "pid_status": "pid_status", "cpuinfo": "cpuinfo",
        "device-tree-model": "device_tree_model",
    }
    for path in (DATA / "procfs").rglob("*"):
        if not path.is_file():
            continue
        for prefix, target in names.items():
            if path.name == prefix or path.name.startswith(prefix + "-"):
                put(f"procfs_{target}", f"{path.parent.name}-{path.name}", path.read_bytes())


def sysfs() -> None:
    for path in (DATA / "sysfs").rglob("*"):
        if path.is_file() and path.name in ("temp", "type", "in0_lcrit_alarm"):
            put("sysfs_values", "-".join(path.parts[-3:]), path.read_bytes())
        if path.is_file() and path.name == "load":
            put("sysfs_gpu_load", "-".join(path.parts[-3:]), path.read_bytes())
        if path.is_dir() and (path.name.startswith("hwmon") or path.name.startswith("iio:device")):
            records = b"\0".join(f.name.encode() + b"=" + f.read_bytes()
                                 for f in sorted(path.iterdir()) if f.is_file())
            put("sysfs_ina3221", "-".join(path.parts[-4:]), records)
    for value in (b"1190400\n", b"729600\n", b"0\n"):
        put("sysfs_cpufreq", value.decode().strip(), value)
    for value in (b"0-11\n", b"0,3-5\n", b"\n"):
        put("sysfs_cpulist", value.decode().strip() or "empty", value)
    for value in (b"1300500000\n", b"0\n"):
        put("sysfs_devfreq", value.decode().strip(), value)


def nv_tegra_release() -> None:
    fixtures = ROOT / "edge-daemon" / "tests" / "fixtures"
    for path in fixtures.glob("*/etc/nv_tegra_release"):
        put("nv_tegra_release", path.parts[-3], path.read_bytes())


def fleet_query() -> None:
    # Seed 003's example query, and one for each report with another port.
    put("fleet_query", "seed-heartbeat",
        b'{"api_version":1,"data":{"manager_ip":"192.168.10.254","manager_port":3926,"url":"/heartbeat"}}')
    put("fleet_query", "resource-spaced",
        b' { "data": {"url": "/resource", "manager_port": 18081, "manager_ip": "10.0.0.1"}, "api_version": 1 } ')


if __name__ == "__main__":
    tegrastats()
    fleet_query()
    nv_tegra_release()
    vcgencmd()
    procfs()
    sysfs()
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.name}: {sum(1 for _ in folder.iterdir())} seeds")
