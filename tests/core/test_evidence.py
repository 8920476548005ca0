"""The evidence store: content-addressed, stored once, never overwritten, verifiable."""

import io
import os
import stat

import pytest
from django.conf import settings

from jiafa.core import actions, evidence
from jiafa.core.errors import JiafaError
from jiafa.core.models import AuditEntry, EvidenceBlob, EvidenceItem
from tests.conftest import run_command

pytestmark = pytest.mark.django_db


def _add(user, content: bytes = b"\xff\xd8 jpeg bytes", title: str = "车辆正面照") -> EvidenceItem:
    return actions.add_evidence(
        io.BytesIO(content),
        actor=user,
        title=title,
        original_name="front.jpg",
        content_type="image/jpeg",
        kind="photo",
    )


def _stored_files() -> list[str]:
    root = settings.EVIDENCE_DIR
    return sorted(f for _, _, files in os.walk(root) for f in files if "tmp" not in _)


def _verify_cli() -> tuple[int, str]:
    code, out, _ = run_command("evidence", "verify")
    return code, out


def test_same_evidence_uploaded_twice_is_stored_once(make_user):
    officer = make_user("hn1")
    first, second = _add(officer, title="第一次"), _add(officer, title="第二次")
    assert first.blob_id == second.blob_id
    assert EvidenceBlob.objects.count() == 1
    assert _stored_files() == [first.blob.sha256]
    assert EvidenceItem.objects.count() == 2  # two attachments, who and when each


def test_stored_file_is_named_by_its_sha256_and_read_only(make_user):
    import hashlib

    item = _add(make_user("hn1"), b"abc")
    assert item.blob.sha256 == hashlib.sha256(b"abc").hexdigest()
    assert item.blob.path.read_bytes() == b"abc"
    assert not os.stat(item.blob.path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert AuditEntry.objects.get(action="evidence.add").detail["sha256"] == item.blob.sha256


def test_existing_file_is_never_overwritten(make_user):
    officer = make_user("hn1")
    item = _add(officer, b"original")
    path = item.blob.path
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    _add(officer, b"original")  # uploading the genuine content again must not paper over the tampering
    assert path.read_bytes() == b"tampered"


def test_verify_catches_a_modified_file(make_user):
    item = _add(make_user("hn1"))
    assert _verify_cli()[0] == 0
    os.chmod(item.blob.path, 0o644)
    item.blob.path.write_bytes(b"edited photo")
    checked, problems = evidence.verify()
    assert checked == 1 and [p.sha256 for p in problems] == [item.blob.sha256]
    code, out = _verify_cli()
    assert code == 1 and "被改动" in out


def test_verify_catches_a_missing_file(make_user):
    item = _add(make_user("hn1"))
    os.remove(item.blob.path)
    code, out = _verify_cli()
    assert code == 1 and "文件缺失" in out


def test_empty_file_is_refused_and_nothing_is_written(make_user):
    with pytest.raises(JiafaError) as e:
        _add(make_user("hn1"), b"")
    assert e.value.code == "evidence_empty"
    assert (EvidenceBlob.objects.count(), EvidenceItem.objects.count(), _stored_files()) == (0, 0, [])


def test_oversized_file_is_refused_and_nothing_is_written(make_user, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(JiafaError) as e:
        _add(make_user("hn1"), b"x" * 11)
    assert e.value.code == "evidence_too_large" and "MB" in e.value.message
    assert (EvidenceBlob.objects.count(), EvidenceItem.objects.count(), _stored_files()) == (0, 0, [])


def test_blank_title_is_refused_and_nothing_is_recorded(make_user):
    with pytest.raises(JiafaError) as e:
        _add(make_user("hn1"), title="  ")
    assert e.value.message == "请填写证据名称"
    assert not AuditEntry.objects.filter(action="evidence.add").exists()
    assert EvidenceItem.objects.count() == 0
