"""AIS decoding: our columnar decoder against pyais on the same file, in one run. The tag-block
sample of shared/data/ais (or JIAFA_BENCH_AIS_FILE) is replicated to about JIAFA_BENCH_AIS_LINES lines
(default 300,000); both decoders read it whole, check checksums, reassemble multi-part messages and
decode every message, each on one thread. They run JIAFA_BENCH_AIS_ROUNDS times (default 5), one after
the other in each round, so that both see the same moments of a shared machine. Prints one JSON line:
messages and position reports of each, the median seconds of each, and the ratio of position rates: the
median of the rounds' ratios (`speedup`), with the lowest and highest."""

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from pyais.stream import FileReaderStream

from jiafa.waterway import nmea

SAMPLE = Path(__file__).resolve().parents[2] / "shared/data/ais/aisdb_20211101_tagblocks.nm4"
LINES = int(os.environ.get("JIAFA_BENCH_AIS_LINES", "300000"))
POSITION_TYPES = {1, 2, 3, 18, 19, 27}
ROUNDS = int(os.environ.get("JIAFA_BENCH_AIS_ROUNDS", "5"))


def replicated(sample: bytes, lines: int) -> bytes:
    copies = max(1, lines // max(1, sample.count(b"\n")))
    return sample.rstrip(b"\n") + (b"\n" + sample.rstrip(b"\n")) * (copies - 1) + b"\n"


def run_pyais(path: Path) -> tuple[int, int, float]:
    messages = positions = 0
    start = time.perf_counter()
    for sentence in FileReaderStream(str(path)):
        if not sentence.is_valid:
            continue
        try:
            decoded = sentence.decode()
        except Exception:  # pyais raises a family of errors on bad payloads; the benchmark skips them
            continue
        messages += 1
        if decoded.msg_type in POSITION_TYPES:
            positions += 1
    return messages, positions, time.perf_counter() - start


def run_ours(path: Path) -> tuple[int, int, float]:
    start = time.perf_counter()
    decoded = nmea.decode_bytes(path.read_bytes())
    return decoded.messages, decoded.positions.height, time.perf_counter() - start


def main() -> None:
    sample = Path(os.environ.get("JIAFA_BENCH_AIS_FILE", SAMPLE))
    with tempfile.TemporaryDirectory(prefix="jiafa-bench-ais-") as tmp:
        path = Path(tmp) / "replicated.nm4"
        path.write_bytes(replicated(sample.read_bytes(), LINES))
        run_ours(path)  # warm-up
        rounds = [(run_ours(path), run_pyais(path)) for _ in range(ROUNDS)]
    ours, theirs = rounds[0]
    ratios = sorted((o[1] / o[2]) / (t[1] / t[2]) for o, t in rounds)
    ours_seconds = statistics.median(o[2] for o, _ in rounds)
    theirs_seconds = statistics.median(t[2] for _, t in rounds)
    print(
        json.dumps(
            {
                "benchmark": "ais_decode",
                "file": sample.name,
                "lines": LINES,
                "rounds": ROUNDS,
                "ours_messages": ours[0],
                "ours_positions": ours[1],
                "ours_seconds": round(ours_seconds, 3),
                "ours_positions_per_s": round(ours[1] / ours_seconds),
                "pyais_messages": theirs[0],
                "pyais_positions": theirs[1],
                "pyais_seconds": round(theirs_seconds, 3),
                "pyais_positions_per_s": round(theirs[1] / theirs_seconds),
                "speedup": round(statistics.median(ratios), 1),
                "speedup_lowest": round(ratios[0], 1),
                "speedup_highest": round(ratios[-1], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
