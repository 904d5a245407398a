"""Peer benchmark: jtop's (jetson-stats) tegrastats decoder over our corpus.

Usage: python3 jtop_tegrastats.py JETSON_STATS_SOURCE_DIR CAPTURED_TSV

Times `jtop.core.tegrastats.Tegrastats._decode` (the function jtop calls on
every tegrastats line) over every captured line, best of several rounds,
with and without `json.dumps` of the result, and counts lines it raises on.
Prints `key: value` lines like the Rust benchmark.
"""
import json
import sys
import time

ROUNDS = 7
ROUND_TIME = 0.4


def main() -> None:
    source, tsv = sys.argv[1], sys.argv[2]
    sys.path.insert(0, source)
    from jtop.core.tegrastats import Tegrastats  # noqa: E402  (peer's own code)

    lines = [row.split("\t")[3] for row in open(tsv, encoding="utf-8").read().splitlines()
             if row and not row.startswith("#")]
    errors = 0
    for line in lines:
        try:
            Tegrastats._decode(None, line)
        except Exception:  # a peer failure is a data point, not a crash
            errors += 1

    def rate(work) -> float:
        best = 0.0
        for _ in range(ROUNDS):
            start = time.perf_counter()
            done = 0
            while time.perf_counter() - start < ROUND_TIME:
                for line in lines:
                    try:
                        work(line)
                    except Exception:
                        pass
                done += len(lines)
            best = max(best, done / (time.perf_counter() - start))
        return best

    print(f"peer_lines: {len(lines)}")
    print(f"peer_errors: {errors}")
    print(f"peer_parse_lines_per_sec: {rate(lambda l: Tegrastats._decode(None, l)):.0f}")
    print(f"peer_parse_json_lines_per_sec: {rate(lambda l: json.dumps(Tegrastats._decode(None, l))):.0f}")


if __name__ == "__main__":
    main()
