"""Stations pushing weighing records: `jiafa serve` (waitress) on a free loopback port over a throw-away data
directory, four concurrent clients posting batches of valid records for about ten seconds, then the lake is
read back to check that every record sent is there exactly once. One JSON line:
{"figure": "wim_stream_records_per_s", "value", "clients", "sent", "in_lake", ...}.

    .venv/bin/python benchmarks/bench_stream.py [--seconds 10] [--clients 4] [--batch 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STATIONS = ("BENCH-01", "BENCH-02", "BENCH-03", "BENCH-04")
MAX_BATCHES_PER_CLIENT = 500  # a bound whatever the machine's speed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(data_dir: Path) -> str:
    """Migrate, then the bureau, four calibrated stations and a station account; its bearer token."""
    os.environ["JIAFA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiafa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from jiafa.core import orgdata, tokens
    from jiafa.core.models import OrgUnit, User
    from jiafa.core.roles import Role
    from jiafa.overload.models import Calibration, WimStation

    call_command("migrate", verbosity=0)
    org_file = Path(__file__).resolve().parents[1] / "src/jiafa/core/data/org_units/jiaxing.json"
    orgdata.load(json.loads(org_file.read_text(encoding="utf-8")))
    unit = OrgUnit.objects.get(code="330481")
    today = timezone.localdate()
    for code in STATIONS:
        station = WimStation.objects.create(
            code=code,
            name=f"基准站 {code}",
            org_unit=unit,
            road="G60",
            direction="上行",
            lat=30.5,
            lon=120.6,
            published_on=today - dt.timedelta(days=365),
        )
        Calibration.objects.create(
            station=station,
            certificate_no=f"JD-{code}",
            issued_by="浙江省计量科学研究院",
            valid_from=today - dt.timedelta(days=180),
            valid_to=today + dt.timedelta(days=180),
        )
    account = User.objects.create(
        username="bench_station", full_name="基准站点", org_unit=unit, role=Role.STATION
    )
    raw, _ = tokens.new_token(account, now=timezone.now(), name="bench")
    connections.close_all()
    return raw


def record_tails(n: int, station: str, start: dt.datetime) -> list[str]:
    """Each record's JSON after its record_id, encoded once; a batch only adds unique ids."""
    from jiafa.simulate.wim import pushed_record

    tails = []
    for i in range(n):
        fields = {k: v for k, v in pushed_record(i, station, start).items() if k != "record_id"}
        tails.append(json.dumps(fields, ensure_ascii=False)[1:])
    return tails


class Client(threading.Thread):
    def __init__(self, n: int, port: int, token: str, batch: int) -> None:
        super().__init__(daemon=True)
        self.n, self.port, self.token, self.batch = n, port, token, batch
        self.deadline = 0.0  # set when all clients start together
        self.sent = self.accepted = self.batches = 0
        self.errors: list[str] = []
        start = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))) - dt.timedelta(hours=1)
        self.tails = record_tails(batch, STATIONS[n % len(STATIONS)], start)

    def body(self, seq: int) -> bytes:
        prefix = f"C{self.n}-{seq:04d}-"
        rows = ",".join(f'{{"record_id": "{prefix}{i:05d}", {tail}' for i, tail in enumerate(self.tails))
        return ('{"records": [' + rows + "]}").encode()

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        while time.perf_counter() < self.deadline and self.batches < MAX_BATCHES_PER_CLIENT:
            conn.request("POST", "/api/v1/overload/records", body=self.body(self.batches), headers=headers)
            response = conn.getresponse()
            answer = response.read()
            self.batches += 1
            if response.status != 200:
                self.errors.append(f"{response.status} {answer[:200]!r}")
                break
            self.sent += self.batch
            self.accepted += json.loads(answer)["accepted"]
        conn.close()


def wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"jiafa serve exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("jiafa serve did not start listening")


def lake_count(data_dir: Path) -> tuple[int, int]:
    import polars as pl

    files = sorted((data_dir / "lake" / "wim").glob("**/*.parquet"))
    if not files:
        return 0, 0
    ids = pl.scan_parquet(files).select("record_id").collect()["record_id"]
    return ids.len(), ids.n_unique()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="jiafa-bench-stream-"))
    try:
        result = run(data_dir, args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    if result["errors"] or result["in_lake"] != result["sent"] or result["lake_rows"] != result["sent"]:
        sys.exit(1)


def run(data_dir: Path, args: argparse.Namespace) -> dict[str, object]:
    token = prepare(data_dir)
    port = free_port()
    env = {**os.environ, "JIAFA_DATA_DIR": str(data_dir)}
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jiafa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(port, server)
        clients = [Client(n, port, token, args.batch) for n in range(args.clients)]
        start = time.perf_counter()
        for c in clients:
            c.deadline = start + args.seconds
            c.start()
        for c in clients:
            c.join(timeout=args.seconds + 300)
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    sent = sum(c.sent for c in clients)
    rows, unique = lake_count(data_dir)
    errors = [e for c in clients for e in c.errors]
    if errors:
        errors.append((data_dir / "serve.log").read_text(errors="replace")[-2000:])
    return {
        "figure": "wim_stream_records_per_s",
        "value": round(sent / elapsed),
        "clients": args.clients,
        "sent": sent,
        "in_lake": unique,
        "lake_rows": rows,
        "accepted": sum(c.accepted for c in clients),
        "batch": args.batch,
        "seconds": round(elapsed, 2),
        "errors": errors[:4],
    }


if __name__ == "__main__":
    main()
