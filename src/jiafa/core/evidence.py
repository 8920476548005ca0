"""The evidence store: files kept under JIAFA_DATA_DIR/evidence by their SHA-256, written once, never
overwritten; `verify()` re-hashes every stored file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

from jiafa.core import rows
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import EvidenceBlob

CHUNK = 1024 * 1024


def _chunks(f: IO[bytes]) -> Iterator[bytes]:
    while chunk := f.read(CHUNK):
        yield chunk


def sha256_of(chunks: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def store(f: IO[bytes], content_type: str) -> EvidenceBlob:
    """Stream the file into the store; the same content twice yields the same blob and one file."""
    root = Path(settings.EVIDENCE_DIR)
    tmp_dir = root / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    h, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    with os.fdopen(fd, "wb") as tmp:
        try:
            for chunk in _chunks(f):
                size += len(chunk)
                if size > settings.EVIDENCE_MAX_BYTES:
                    raise JiafaError(
                        ErrorCode.EVIDENCE_TOO_LARGE,
                        f"证据文件超过 {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB 上限",
                    )
                h.update(chunk)
                tmp.write(chunk)
            tmp.flush()
            os.fsync(fd)
        except BaseException:
            os.unlink(tmp_name)
            raise
    if size == 0:
        os.unlink(tmp_name)
        raise JiafaError(ErrorCode.EVIDENCE_EMPTY)
    digest = h.hexdigest()
    blob = EvidenceBlob(sha256=digest, size=size, content_type=content_type[:100])
    if not rows.insert(blob, keep_existing=True):  # the same content stored before: its row stands
        blob = EvidenceBlob.objects.get(pk=digest)
    _place(Path(tmp_name), blob.path)
    return blob


def _place(tmp: Path, final: Path) -> None:
    """Move a finished temp file to its content address, unless that content is already there."""
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(tmp, final)  # fails if the file exists: an existing file is never replaced
        os.chmod(final, 0o444)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


@dataclass
class Problem:
    sha256: str
    reason: str


def verify() -> tuple[int, list[Problem]]:
    checked, problems = 0, []
    for blob in EvidenceBlob.objects.order_by("sha256").iterator(chunk_size=2000):
        checked += 1
        try:
            with open(blob.path, "rb") as f:
                actual = sha256_of(_chunks(f))
        except FileNotFoundError:
            problems.append(Problem(blob.sha256, "文件缺失"))
            continue
        if actual != blob.sha256:
            problems.append(Problem(blob.sha256, f"文件内容被改动（现哈希 {actual[:12]}…）"))
    return checked, problems
