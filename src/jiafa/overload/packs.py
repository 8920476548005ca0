"""The evidence packs of findings (证据包): written a detection run at a time, read a finding at a time.

Detection stores all packs of a run as one archive in the evidence store: JSON Lines, one pack per line, in
the order of the findings' record ids, so the same run always gives the same bytes. One EvidenceBlob row
registers the archive, and `jiafa evidence verify` re-hashes it like every stored file. Each Finding keeps
where its pack lies (`pack_archive`, `pack_offset`, `pack_length`) and the SHA-256 of the pack's own bytes
(`pack_sha256`), so one pack is read and checked without the others. A file and a row per pack cost more
than all the rest of detection.

When an officer confirms a finding, its pack becomes a blob of its own (`Finding.evidence`) through
core.evidence.store — one human action, one file — and that blob is what the case file attaches. Findings
detected before archives existed have such a blob only; `read` serves both.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import polars as pl
from django.conf import settings

from jiafa.core import evidence
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import EvidenceBlob
from jiafa.overload.models import Finding

PACK_TYPE = "application/json"
ARCHIVE_TYPE = "application/jsonl"


@dataclass(frozen=True)
class Archive:
    """A run's packs as one file: `offsets[i]` and `lengths[i]` locate pack i, `shas[i]` is its hash."""

    data: bytes
    sha256: str
    offsets: list[int]
    lengths: list[int]
    shas: list[str]


def archive(packs: pl.Series) -> Archive:
    """The packs, in the order given, one per line. A pack is one line of JSON: it never holds a newline."""
    lengths = packs.str.len_bytes().to_list()
    data = "".join(f"{p}\n" for p in packs.to_list()).encode()
    if data.count(b"\n") != len(lengths):
        raise ValueError("an evidence pack must be a single line of JSON")
    offsets = [0, *accumulate(n + 1 for n in lengths)][:-1]
    view = memoryview(data)
    return Archive(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        offsets=offsets,
        lengths=lengths,
        shas=[hashlib.sha256(view[o : o + n]).hexdigest() for o, n in zip(offsets, lengths, strict=True)],
    )


def store_archive(archive: Archive) -> EvidenceBlob:
    """The archive's file at its content address, created whole (written to a temporary name, synced, then
    linked into place), read-only and never overwritten — as core.evidence.store keeps files, without its
    upload limit: an archive is written by detection, not uploaded. Returns the blob row, unsaved: the caller
    saves it in the transaction that saves the findings, so a row always has its whole file. A file already
    in place with other bytes is what a run that stopped halfway left only if no row names it; with a row it
    is a stored file someone changed, which only `jiafa evidence verify` may judge — detection stops."""
    blob = EvidenceBlob(sha256=archive.sha256, size=len(archive.data), content_type=ARCHIVE_TYPE)
    final = Path(blob.path)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(settings.EVIDENCE_DIR) / "tmp"  # where core.evidence.store stages its files too
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / f"archive-{uuid.uuid4().hex}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        try:
            view = memoryview(archive.data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, final)
        except FileExistsError:
            if _content(final) != archive.data:
                if EvidenceBlob.objects.filter(sha256=archive.sha256).exists():
                    raise RuntimeError(
                        f"evidence file {archive.sha256} differs from its hash; run `jiafa evidence verify`"
                    ) from None
                os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return blob


def _content(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def has_pack(finding: Finding) -> bool:
    return finding.evidence_id is not None or finding.pack_archive_id is not None


def sha256(finding: Finding) -> str:
    """The pack's SHA-256 ("" without a pack): a blob of its own is named by it, an archived pack keeps it."""
    return finding.evidence_id or finding.pack_sha256


def size(finding: Finding) -> int | None:
    return finding.evidence.size if finding.evidence is not None else finding.pack_length


def read(finding: Finding) -> bytes:
    """The finding's pack, checked against its SHA-256: a JiafaError in Chinese when there is none, its file
    is gone, or its bytes are not the ones stored."""
    expected = sha256(finding)
    if finding.evidence_id is not None:
        path, offset, length = _path(finding.evidence_id), 0, None
    elif finding.pack_archive_id is not None and finding.pack_offset is not None:
        path, offset, length = _path(finding.pack_archive_id), finding.pack_offset, finding.pack_length
    else:
        raise JiafaError(ErrorCode.STEP_NOT_READY, "该线索没有证据包，不能作为非现场执法的证据")
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read() if length is None else f.read(length)
    except FileNotFoundError:
        missing = f"证据包文件缺失（SHA-256 {expected[:12]}…），请联系系统管理员核查证据存储"
        raise JiafaError(ErrorCode.STEP_NOT_READY, missing) from None
    if hashlib.sha256(data).hexdigest() != expected:
        changed = "证据包文件与登记的哈希值不符，请联系系统管理员核查证据存储（jiafa evidence verify）"
        raise JiafaError(ErrorCode.CONFLICT, changed)
    return data


def _path(sha256: str) -> Path:
    return Path(EvidenceBlob(sha256=sha256).path)


def materialise(finding: Finding) -> EvidenceBlob:
    """The finding's pack as a blob of its own (`Finding.evidence`, set here; the caller saves the finding):
    what a case file attaches. The pack is checked against its hash first. Called inside the caller's
    transaction: if that rolls back, the file stays without a row, and storing it again finds it in place."""
    if finding.evidence is not None:
        return finding.evidence
    blob = evidence.store(io.BytesIO(read(finding)), PACK_TYPE)
    finding.evidence = blob
    return blob
