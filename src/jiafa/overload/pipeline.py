"""The non-site overload pipeline (非现场治超): stations' files and pushes into the lake (`ingest_*`), new
valid records into findings (`detect`). Orchestration only: formats, checks and the determination are in
records.py (pure), the law in jiafa.law.overload, the files in lake.py.

Ingest keys records by `record_id` within the day of their `passed_at`: a record already in the lake, or
earlier in the same batch, is a duplicate and changes nothing. Rejected records are kept with their reason.

Detection reads only the parts it has not read before (lake.examined), judges them in Polars, groups the
violations into trips (records.trips: one plate and colour, passes within the trip window of each other) and
writes one finding per trip, keeping its worst record. Trips continue across runs: the violations of earlier
runs on the neighbouring days are read back as context. A new record that joins a trip already found never
makes a second finding — it is added to that finding's `record_ids`; while the finding is pending and not in a
case, it is re-determined when the new record is worse (new numbers and evidence pack, `version` + 1), so that
records arriving by push, in pieces, end in the same finding as the same records in one file.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from jiafa.core import audit, planner
from jiafa.core.models import EvidenceBlob, User
from jiafa.law import overload
from jiafa.law.book import rulebook
from jiafa.overload import lake, packs, records
from jiafa.overload.models import Calibration, Finding, IngestBatch, WimStation

c = pl.col
CHUNK_ROWS = 500_000  # records read, validated and written at a time: what bounds the memory of an ingest
DB_BATCH = 2000  # rows per INSERT
PACK_FORMAT = "jiafa-wim-evidence-1"
CONTEXT_DAYS = 1  # earlier violations read back for trips that continue: this many days either side
OWNER_SLACK = timedelta(days=7)  # how far a finding's own time may lie from the records of its trip
SHANGHAI = "Asia/Shanghai"


def lake_root() -> Path:
    return Path(settings.DATA_DIR) / "lake"


# ── Ingest ───────────────────────────────────────────────────────────────────────────────────────────


def read_records(path: Path) -> pl.DataFrame:
    """A station's CSV or Parquet file as the typed frame (records.COLUMNS and `raw`); an unreadable file,
    or one without the format's columns, is a JiafaError naming the problem in Chinese."""
    return records.read(path)


def ingest_path(path: Path, *, actor: User | None = None) -> IngestBatch:
    """`jiafa overload ingest`: a file that can't be read leaves no trace — its form is checked, and its first
    chunk read, before anything is written. Large Parquet files are read a chunk at a time. The file's
    SHA-256 is taken meanwhile, on the other core."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_file_sha, path)
        total, chunks = records.read_chunks(path, CHUNK_ROWS)
        rest = iter(chunks)
        first = list(itertools.islice(rest, 1))
        sha256 = digest.result()
    return _ingest(_taking(first, rest), total, IngestBatch.Source.FILE, path.name, actor, sha256)


def _taking(first: list[pl.DataFrame], rest: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """The chunk read ahead, then the others; the read-ahead chunk is let go once handed out."""
    while first:
        yield first.pop()
    yield from rest


def ingest_frame(
    frame: pl.DataFrame, *, source: str, name: str, actor: User | None, sha256: str | None = None
) -> IngestBatch:
    """Validate the records, add the new ones to the lake (valid and rejected apart), and return the saved
    batch with its counts (a record refused before and refused again counts as a duplicate). Safe to call
    from several threads or processes at once: each day's part is written under that day's lock. `sha256`
    identifies the file; a pushed frame is identified by its ids."""
    parsed = records.parse(frame)
    chunks = (parsed.slice(offset, CHUNK_ROWS) for offset in range(0, parsed.height, CHUNK_ROWS))
    return _ingest(chunks, parsed.height, source, name, actor, sha256 or _ids_sha(parsed))


def _ingest(
    chunks: Iterable[pl.DataFrame], total: int, source: str, name: str, actor: User | None, sha256: str
) -> IngestBatch:
    batch = IngestBatch.objects.create(
        source=source,
        name=name[:255],
        sha256=sha256,
        received_by=actor if _is_user(actor) else None,
        records=total,
    )
    now = timezone.now()
    try:
        for chunk in chunks:
            _ingest_chunk(chunk, batch, now)
    finally:  # a file damaged halfway keeps what was read before the damage, counted and audited
        batch.save(update_fields=["accepted", "duplicates", "rejected"])
        audit.record(
            "overload.ingest",
            actor=actor,
            obj=batch,
            detail={
                "name": batch.name,
                "source": batch.source,
                "sha256": batch.sha256,
                "records": batch.records,
                "accepted": batch.accepted,
                "duplicates": batch.duplicates,
                "rejected": batch.rejected,
            },
        )
    return batch


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _ids_sha(frame: pl.DataFrame) -> str:
    joined = frame.select(c("record_id").str.join("\n")).item()
    return hashlib.sha256((joined or "").encode()).hexdigest()


def _ingest_chunk(chunk: pl.DataFrame, batch: IngestBatch, now: datetime) -> None:
    """Validate a chunk and add its new records to the lake. New: not yet valid in the lake, the first of its
    id in the chunk, and — if rejected — not rejected before: a record once refused and sent again after its
    cause was put right (say, the station's certificate entered late) is accepted then, while the same
    refused record sent twice changes nothing."""
    day = chunk.select(records.local_day()).to_series()
    days = day.drop_nulls().unique().sort().to_list()
    tables, stations = records.rule_tables(rulebook(), days), station_days(days)
    root = lake_root()
    keys = {d.isoformat(): c("day") == d for d in days}
    if day.has_nulls():
        keys[lake.UNKNOWN_DAY] = c("day").is_null()
    with lake.days_locked(root, keys):
        held = lake.record_ids(root, lake.VALID, keys)
        fresh = _first_of_id(chunk["record_id"])
        if held.len():
            fresh &= ~chunk["record_id"].is_in(held.implode())
        new = chunk if fresh.all() else chunk.filter(fresh)
        checked = records.validate(new.lazy(), tables, stations, now=now).collect()
        refused = lake.record_ids(root, lake.REJECTED, keys)
        if refused.len():
            again = checked["reject_reason"].is_not_null() & checked["record_id"].is_in(refused.implode())
            checked = checked.filter(~again)
        valid, rejected = c("reject_reason").is_null(), c("reject_reason").is_not_null()
        parts = {}
        for key, on_day in keys.items():
            parts[lake.VALID, key] = _lake_rows(checked.lazy().filter(on_day & valid), batch.pk)
            parts[lake.REJECTED, key] = _rejected_rows(checked.lazy().filter(on_day & rejected), batch.pk)
        lake.add_parts(root, dict(zip(parts, pl.collect_all(parts.values()), strict=True)))
    batch.duplicates += chunk.height - checked.height
    batch.accepted += checked.height - checked["reject_reason"].count()
    for reason, n in checked["reject_reason"].drop_nulls().value_counts().iter_rows():
        batch.rejected[reason] = batch.rejected.get(reason, 0) + n


def _first_of_id(ids: pl.Series) -> pl.Series:
    """True for the first row of each id. Hashes find the (rare) repeated ids fast; the exact comparison runs
    on the rows whose hash repeats only."""
    hashes = ids.hash()
    repeated = hashes.to_frame("h").group_by("h").len().filter(c("len") > 1)["h"]
    first = pl.Series("first", [True] * ids.len())
    if repeated.is_empty():
        return first
    suspect = hashes.is_in(repeated.implode())
    return first.scatter(suspect.arg_true(), ids.filter(suspect).is_first_distinct())


def _lake_rows(valid: pl.LazyFrame, batch: int) -> pl.LazyFrame:
    columns = [c(f"ref_{n}").alias(n) if n in records.REFERENCES else c(n) for n in records.COLUMNS]
    return valid.select(*columns, pl.lit(batch).alias("batch")).cast(pl.Schema(records.LAKE_COLUMNS))


def _rejected_rows(rejected: pl.LazyFrame, batch: int) -> pl.LazyFrame:
    with_batch = rejected.with_columns(batch=pl.lit(batch))
    return with_batch.select(*records.REJECTED_COLUMNS).cast(pl.Schema(records.REJECTED_COLUMNS))


def station_days(days: Iterable[date]) -> pl.DataFrame:
    """One row per registered station and day (records.STATION_DAY_SCHEMA): its certified speed range and the
    calibration certificate valid that day (the one valid longest, when several are)."""
    days = sorted(set(days))
    rows: list[dict[str, Any]] = []
    if days:
        certificates: dict[str, list[tuple[date, date, int]]] = {}
        valid = Calibration.objects.filter(valid_from__lte=days[-1], valid_to__gte=days[0]).order_by(
            "valid_to", "pk"
        )
        for code, start, end, pk in valid.values_list("station__code", "valid_from", "valid_to", "pk"):
            certificates.setdefault(code, []).append((start, end, pk))
        for code, low, high in WimStation.objects.values_list("code", "speed_min_kmh", "speed_max_kmh"):
            held = certificates.get(code, [])
            for day in days:
                covering = [pk for start, end, pk in held if start <= day <= end]
                rows.append(
                    {
                        "station_id": code,
                        "day": day,
                        "speed_min_kmh": low,
                        "speed_max_kmh": high,
                        "calibration": covering[-1] if covering else None,
                    }
                )
    return pl.DataFrame(rows, schema=records.STATION_DAY_SCHEMA)


# ── Detect ───────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class DetectResult:
    examined: int  # valid records read for the first time
    violations: int  # of which over the limit (warning or fine)
    findings_created: int
    findings_updated: int  # existing findings whose trip gained records
    files: int  # lake parts read

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


NARROW = ("record_id", "station_id", "passed_at", "plate", "plate_color", "axles", "combination")
NARROW_MORE = ("single_drive_axle", "gross_kg")


def detect(*, actor: User | None = None) -> DetectResult:
    """Turn the valid records no detection has read yet into findings; one run at a time."""
    root = lake_root()
    with lake.locked(root / ".locks" / "detect.lock"):
        new = lake.unexamined(root, lake.examined(root))
        if not new:
            return DetectResult(0, 0, 0, 0, 0)
        paths = [p for _, _, p in new]
        days = sorted({date.fromisoformat(d) for d, _, _ in new})
        tables = records.rule_tables(rulebook(), days)
        hits = _violations(paths, tables)
        examined = int(pl.scan_parquet(paths).select(pl.len()).collect().item())
        trips = _trips(hits, root, days)
        created, updated = _write_findings(trips, paths, tables, actor)
        if hits.height:
            # Before the bookmark moves: a run that stops after this point is redone whole, and finds its
            # records here as context and its findings by their records.
            name = hashlib.sha256("\n".join(map(str, paths)).encode()).hexdigest()[:24]
            for (day,), part in hits.partition_by("day", as_dict=True).items():
                lake.write_atomic(
                    lake.partition(root, lake.VIOLATIONS, day.isoformat()) / f"{name}.parquet", part
                )
        bookmark = lake.examined(root)
        for day, number, _ in new:
            bookmark[day] = max(bookmark.get(day, 0), number)
        lake.set_examined(root, bookmark)
    planner.refresh_statistics()  # the findings grew: the review's queries by plate stay quick
    return DetectResult(examined, hits.height, created, updated, len(paths))


def _violations(paths: list[Path], tables: records.RuleTables) -> pl.DataFrame:
    """The records over the limit (warning or fine), with their determination and their day's trip window."""
    scan = pl.scan_parquet(paths).select(*NARROW, *NARROW_MORE).with_columns(records.local_day())
    judged = records.determine(scan, tables).filter(c("outcome") != "none")
    window = tables.days.lazy().select("day", "trip_window_s")
    return judged.join(window, on="day", how="left").collect(engine="streaming")


def _trips(hits: pl.DataFrame, root: Path, days: list[date]) -> pl.DataFrame:
    """The new violations with the earlier ones of the same vehicles nearby, numbered by trip: only trips
    with a new record. `new` tells the two apart."""
    if hits.is_empty():
        return hits.with_columns(new=pl.lit(True), trip=pl.lit(0, pl.UInt32))
    around = [
        days[0] + timedelta(days=d)
        for d in range(-CONTEXT_DAYS, (days[-1] - days[0]).days + CONTEXT_DAYS + 1)
    ]
    files = lake.violation_files(root, around)
    both = hits.with_columns(new=pl.lit(True))
    if files:
        vehicles = hits.select("plate", "plate_color").unique()
        earlier = (
            pl.scan_parquet(files)
            .join(vehicles.lazy(), on=["plate", "plate_color"], how="semi")
            .join(hits.lazy().select("record_id"), on="record_id", how="anti")
            .unique("record_id")
            .collect()
        )
        both = pl.concat([both, earlier.select(hits.columns).with_columns(new=pl.lit(False))])
    numbered = records.trips(both)
    touched = numbered.filter(c("new")).select("trip").unique()
    return numbered.join(touched, on="trip", how="semi")


@dataclass(frozen=True)
class _Owner:
    """An existing finding that holds a record of a trip."""

    pk: int
    record_id: str
    record_ids: list[str]
    changeable: bool  # pending and not in a case: it may still follow its trip's worst record
    overload_kg: int
    overload_rate_scaled: int


def _write_findings(
    trips: pl.DataFrame, paths: list[Path], tables: records.RuleTables, actor: User | None
) -> tuple[int, int]:
    """One finding per new trip; trips that run into an existing finding extend it (and re-determine it
    when it is still changeable and the trip's worst record is now worse). Returns (created, updated)."""
    if trips.is_empty():
        return 0, 0
    worst = records.worst_of_trips(trips).rename({"trip_record_ids": "record_ids"})
    owners = _owners(trips, worst)
    owned = (
        trips.select(
            "trip",
            owner=c("record_id").replace_strict(
                {r: o.pk for r, o in owners.items()}, default=None, return_dtype=pl.Int64
            ),
        )
        .group_by("trip")
        .agg(c("owner").min(), owners=c("owner").drop_nulls().n_unique())
    )
    worst = worst.join(owned, on="trip", how="left")
    by_pk = {o.pk: o for o in owners.values()}
    redo, extend = [], []
    for row in worst.filter(c("owner").is_not_null()).iter_rows(named=True):
        owner = by_pk[row["owner"]]
        ids = row["record_ids"] + [r for r in owner.record_ids if r not in set(row["record_ids"])]
        worse = (row["overload_kg"], row["overload_rate_scaled"]) > (
            owner.overload_kg,
            owner.overload_rate_scaled,
        )
        # With two findings on one trip (a new record bridged them) both stay; the new records join the older.
        if owner.changeable and worse and row["owners"] == 1 and row["record_id"] != owner.record_id:
            redo.append({**row, "record_ids": ids})
        elif ids != owner.record_ids:
            extend.append((owner.pk, ids))
    updated = len(redo) + len(extend)
    need = pl.concat([worst.filter(c("owner").is_null()), pl.DataFrame(redo, schema=worst.schema)])
    packed = _packed(need, tables).sort("record_id")  # the archive's order: the same run, the same bytes
    archive = packs.archive(packed["pack"])
    packed = packed.with_columns(
        pack_archive=pl.lit(archive.sha256),
        pack_offset=pl.Series(archive.offsets, dtype=pl.Int64),
        pack_length=pl.Series(archive.lengths, dtype=pl.Int64),
        pack_sha256=pl.Series(archive.shas, dtype=pl.String),
    )
    blob = packs.store_archive(archive) if packed.height else None  # the file first, its row after
    with transaction.atomic():
        if blob is not None:
            EvidenceBlob.objects.bulk_create([blob], ignore_conflicts=True)  # a redone run's is there
        created = _create(packed.filter(c("owner").is_null()))
        redone = packed.filter(c("owner").is_not_null())
        for pk, fields in zip(redone["owner"], _finding_frame(redone).to_dicts(), strict=True):
            changeable = Finding.objects.filter(pk=pk, status=Finding.Status.PENDING, case__isnull=True)
            if not changeable.update(**fields, version=F("version") + 1):  # reviewed meanwhile
                extend.append((pk, fields["record_ids"]))
        for pk, ids in extend:
            Finding.objects.filter(pk=pk).update(record_ids=ids)
        audit.record(
            "overload.detect",
            actor=actor,
            object_type="overload.finding",
            detail={
                "files": len(paths),
                "trips": worst.height,
                "created": created,
                "updated": updated,
            },
        )
    return created, updated


def _owners(trips: pl.DataFrame, worst: pl.DataFrame) -> dict[str, _Owner]:
    """Existing findings holding a record of these trips, by record id: found by their own record (a run
    redone after it stopped halfway) and, where a trip continues earlier violations, by plate and time."""
    fields = ("pk", "record_id", "record_ids", "status", "case_id", "overload_kg", "overload_rate")
    rows: dict[int, dict[str, Any]] = {}
    for ids in _batched(worst["record_id"].to_list(), 900):
        rows |= {f["pk"]: f for f in Finding.objects.filter(record_id__in=ids).values(*fields)}
    earlier = trips.filter(~c("new"))
    if earlier.height:
        low, high = earlier["passed_at"].min(), earlier["passed_at"].max()
        assert isinstance(low, datetime) and isinstance(high, datetime)
        span = (low - OWNER_SLACK, high + OWNER_SLACK)
        for plates in _batched(earlier["plate"].unique().to_list(), 500):
            found = Finding.objects.filter(plate__in=plates, passed_at__range=span).values(*fields)
            rows |= {f["pk"]: f for f in found}
    in_trips = set(trips["record_id"].to_list())
    owners: dict[str, _Owner] = {}
    for f in sorted(rows.values(), key=lambda f: -f["pk"]):  # the oldest finding wins a shared record
        owner = _Owner(
            pk=f["pk"],
            record_id=f["record_id"],
            record_ids=list(f["record_ids"]),
            changeable=f["status"] == Finding.Status.PENDING and f["case_id"] is None,
            overload_kg=f["overload_kg"],
            overload_rate_scaled=int(f["overload_rate"].scaleb(overload.RATE_DECIMALS)),
        )
        owners |= dict.fromkeys({owner.record_id, *owner.record_ids} & in_trips, owner)
    return owners


def _batched(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ── Evidence packs ───────────────────────────────────────────────────────────────────────────────────


def _packed(worst: pl.DataFrame, tables: records.RuleTables) -> pl.DataFrame:
    """Each finding's row with what the Finding needs (`station_pk`, `org_unit_id`, `basis`) and its evidence
    pack (`pack`, a JSON document): the weighing record, the station, its calibration certificate, the
    determination with its articles, and the evidence items by SHA-256."""
    if worst.is_empty():
        return worst.with_columns(
            station_pk=pl.lit(None, pl.Int64),
            org_unit_id=pl.lit(None, pl.Int64),
            basis=pl.lit(None, BASIS),
            pack=pl.lit(None, pl.String),
        )
    days = worst["day"].unique().to_list()
    full = _full_records(worst["record_id"], days)
    rows = (
        worst.join(full, on="record_id", how="left")
        .join(_stations(worst["station_id"].unique().to_list()), on="station_id", how="left")
        .join(_calibrations(days), on=["station_id", "day"], how="left")
        .join(_bases(worst, tables), on=BASIS_KEY, how="left")
    )
    if rows["station_pk"].has_nulls():
        raise RuntimeError("a finding's station is no longer registered")  # WimStation rows are never deleted
    return rows.with_columns(pack=_pack().struct.json_encode())


def _full_records(ids: pl.Series, days: list[date]) -> pl.DataFrame:
    """The findings' records as the station sent them (references in hexadecimal again)."""
    root = lake_root()
    files = [p for d in days for _, p in lake.parts(lake.partition(root, lake.VALID, d.isoformat()))]
    wanted = [n for n in records.COLUMNS if n not in (*NARROW, *NARROW_MORE)]
    return (
        pl.scan_parquet(files)
        .select("record_id", *wanted)
        .filter(c("record_id").is_in(ids.implode()))
        .unique("record_id")
        .with_columns([c(n).bin.encode("hex") for n in records.REFERENCES])
        .collect(engine="streaming")  # the filter keeps a few; the scan must not hold the days whole
    )


def _stations(codes: list[str]) -> pl.DataFrame:
    rows = []
    for s in WimStation.objects.filter(code__in=codes).select_related("org_unit"):
        rows.append(
            {
                "station_id": s.code,
                "station_pk": s.pk,
                "org_unit_id": s.org_unit_id,
                "station": {
                    "code": s.code,
                    "name": s.name,
                    "org_unit": s.org_unit.name,
                    "kind": s.kind,
                    "road": s.road,
                    "direction": s.direction,
                    "stake": s.stake,
                    "lat": s.lat,
                    "lon": s.lon,
                    "lanes": s.lanes,
                    "speed_min_kmh": s.speed_min_kmh,
                    "speed_max_kmh": s.speed_max_kmh,
                    "accuracy_class": s.accuracy_class,
                    "published_on": s.published_on.isoformat() if s.published_on else None,
                },
            }
        )
    schema: dict[str, pl.DataType] = {
        "station_id": pl.String(),
        "station_pk": pl.Int64(),
        "org_unit_id": pl.Int64(),
        "station": STATION,
    }
    return pl.DataFrame(rows, schema=schema)


def _calibrations(days: list[date]) -> pl.DataFrame:
    """The certificate each station held on each day (as ingest checked it)."""
    valid = station_days(days).filter(c("calibration").is_not_null())
    certificates = [
        {
            "calibration": cal.pk,
            "certificate": {
                "certificate_no": cal.certificate_no,
                "issued_by": cal.issued_by,
                "valid_from": cal.valid_from.isoformat(),
                "valid_to": cal.valid_to.isoformat(),
                "certificate_sha256": cal.certificate_id,
            },
        }
        for cal in Calibration.objects.filter(pk__in=valid["calibration"].unique().to_list())
    ]
    table = pl.DataFrame(certificates, schema={"calibration": pl.Int64, "certificate": CALIBRATION})
    return valid.join(table, on="calibration", how="left").select(
        "station_id", "day", c("certificate").alias("calibration")
    )


BASIS = pl.List(pl.Struct({"law": pl.String, "article": pl.String}))
BASIS_KEY = [*records.CLASS_KEY, "outcome"]
CHECKED = (
    "limit_kg",
    "tolerance_kg",
    "judged_kg",
    "overload_kg",
    "fine_steps",
    "fine_yuan",
    "hundred_tonne",
    "serious",
)


def _bases(worst: pl.DataFrame, tables: records.RuleTables) -> pl.DataFrame:
    """The articles of each kind of determination in the findings. law.overload.assess judges one record of
    each kind, so the articles are its own — and its numbers must be the vectorised ones, or nothing is
    written: a finding must never rest on arithmetic that differs from the law module's."""
    book, rows = rulebook(), []
    for sample in worst.unique(BASIS_KEY, keep="first").iter_rows(named=True):
        vehicle = overload.Vehicle(
            sample["axles"], sample["judged_combination"], sample["judged_single_drive"]
        )
        result = overload.assess(vehicle, sample["gross_kg"], overload.Measurement.WIM, book, sample["day"])
        expected = {k: getattr(result, k) for k in CHECKED} | {
            "outcome": str(result.outcome),
            "overload_rate_scaled": int(result.overload_rate.scaleb(overload.RATE_DECIMALS)),
        }
        if any(sample[k] != v for k, v in expected.items()):
            raise RuntimeError(
                f"vectorised determination differs from law.overload.assess for {sample['record_id']}"
            )
        rows.append({**{k: sample[k] for k in BASIS_KEY}, "basis": result.basis})
    schema = {**{k: worst.schema[k] for k in BASIS_KEY}, "basis": BASIS}
    return pl.DataFrame(rows, schema=schema)


STATION = pl.Struct(
    {
        "code": pl.String,
        "name": pl.String,
        "org_unit": pl.String,
        "kind": pl.String,
        "road": pl.String,
        "direction": pl.String,
        "stake": pl.String,
        "lat": pl.Float64,
        "lon": pl.Float64,
        "lanes": pl.Int64,
        "speed_min_kmh": pl.Int64,
        "speed_max_kmh": pl.Int64,
        "accuracy_class": pl.String,
        "published_on": pl.String,
    }
)
CALIBRATION = pl.Struct(
    {
        "certificate_no": pl.String,
        "issued_by": pl.String,
        "valid_from": pl.String,
        "valid_to": pl.String,
        "certificate_sha256": pl.String,
    }
)


def _pack() -> pl.Expr:
    """The evidence pack, field by field in a fixed order: the same finding always packs to the same bytes."""
    local = c("passed_at").dt.convert_time_zone(SHANGHAI).dt.to_string("%+")
    record = pl.struct(*[local.alias(n) if n == "passed_at" else c(n) for n in records.COLUMNS])
    determination = pl.struct(
        c("limit_kg"),
        c("overload_kg"),
        (c("overload_rate_scaled") / 10**overload.RATE_DECIMALS).alias("overload_rate"),
        pl.lit(True).alias("is_overload"),
        c("outcome"),
        c("fine_yuan"),
        c("basis"),
        c("gross_kg"),
        pl.lit(str(overload.Measurement.WIM)).alias("measurement"),
        c("day").dt.to_string("%Y-%m-%d").alias("measured_on"),
        c("tolerance_kg"),
        c("judged_kg"),
        c("hundred_tonne"),
        c("serious"),
        pl.struct(
            c("axles"),
            c("judged_combination").alias("combination"),
            c("judged_single_drive").alias("single_drive_axle"),
        ).alias("vehicle"),
    )
    items = pl.concat_list(
        *[pl.struct(pl.lit(n).alias("kind"), c(n).alias("sha256")) for n in records.REFERENCES],
        pl.struct(
            pl.lit("calibration_certificate").alias("kind"),
            c("calibration").struct.field("certificate_sha256").alias("sha256"),
        ),
    ).list.eval(
        pl.element().filter(
            (pl.element().struct.field("kind") != "video") | pl.element().struct.field("sha256").is_not_null()
        )
    )
    return pl.struct(
        pl.lit(PACK_FORMAT).alias("format"),
        record.alias("record"),
        c("station"),
        c("calibration"),
        determination.alias("determination"),
        items.alias("items"),
    )


def _insert(model: type[models.Model], rows: pl.DataFrame) -> None:
    """INSERT rows, given as a frame of field values named by attname — by COPY on PostgreSQL, elsewhere with
    executemany DB_BATCH at a time: what bulk_create does, minus a model instance per row and a trip through
    its field per value. The values the database adapter can't take as they are (JSON, and on SQLite times)
    are put in its form in Polars, a column at a time. Fields left out take their default. Call inside the
    caller's transaction: a COPY that fails leaves nothing behind with it."""
    if rows.is_empty():
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    values: list[Iterable[Any]] = []
    for f in fields:
        if f.attname in rows.columns:
            values.append(rows.select(_db_form(f, rows.schema[f.attname])).to_series().to_list())
        else:
            auto = getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
            default = now if auto else f.get_default()
            values.append(itertools.repeat(f.get_db_prep_save(default, connection), rows.height))
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream instead of a statement per row
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in zip(*values, strict=False):
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        for chunk in _batched(list(zip(*values, strict=False)), DB_BATCH):
            cursor.executemany(sql, chunk)


def _db_form(field: models.Field[Any, Any], dtype: pl.DataType) -> pl.Expr:
    """A column of field values as the database adapter takes them, the way the field's get_db_prep_save
    would give them one by one: JSON as its text; an aware time, on SQLite, as the naive UTC text Django
    stores (`str()` of the time: no fraction when it has no microseconds)."""
    value = c(field.attname)
    kind = field.get_internal_type()
    if kind == "JSONField" and dtype != pl.String():
        prefix = f'{{"{field.attname}":'  # Polars encodes structs: take the value out of {"name":value}
        wrapped = pl.struct(value).struct.json_encode()
        inner = wrapped.str.slice(len(prefix), wrapped.str.len_chars() - len(prefix) - 1)
        return pl.when(value.is_not_null()).then(inner)
    if kind == "DateTimeField" and isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        if connection.vendor != "sqlite":
            return value  # aware times go to the adapter as they are
        utc = value.dt.convert_time_zone("UTC")
        whole, fraction = utc.dt.to_string("%Y-%m-%d %H:%M:%S"), utc.dt.to_string("%Y-%m-%d %H:%M:%S%.6f")
        return pl.when(utc.dt.microsecond() == 0).then(whole).otherwise(fraction)
    if kind in PREPARED_TYPES and dtype != pl.String():  # text is taken as it is: JSON, a decimal
        raise ValueError(f"{field.attname}: no vectorised form for {kind} from {dtype}")
    return value


PREPARED_TYPES = {"DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField", "UUIDField"}


def _finding_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The findings' field values, by attname."""
    return rows.select(
        "record_id",
        "record_ids",
        c("station_pk").alias("station_id"),
        "org_unit_id",
        "passed_at",
        "plate",
        "plate_color",
        "axles",
        "gross_kg",
        "limit_kg",
        "tolerance_kg",
        "overload_kg",
        records.overload_rate(c("overload_rate_scaled")).alias("overload_rate"),
        "outcome",
        "fine_yuan",
        "hundred_tonne",
        "serious",
        "basis",
        c("pack_archive").alias("pack_archive_id"),
        "pack_offset",
        "pack_length",
        "pack_sha256",
        pl.lit(None, pl.String).alias("evidence_id"),  # a redetermined finding's own pack is in the archive
    )


def _create(rows: pl.DataFrame) -> int:
    _insert(Finding, _finding_frame(rows))
    return rows.height
