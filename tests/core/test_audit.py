"""The audit trail: every login and change is recorded; tampering behind the application's back is found."""

import pytest
from django.db import connection

from jiafa.core import audit
from jiafa.core.models import AppendOnlyError, AuditEntry
from tests.conftest import PASSWORD, run_command

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEntry]:
    return [
        audit.record("test.step", object_type="thing", object_id=str(i), detail={"i": i}) for i in range(n)
    ]


def _run_verify() -> tuple[int, str]:
    code, out, _ = run_command("audit", "verify")
    return code, out


def test_intact_chain_verifies():
    _chain(5)
    assert audit.verify().ok
    code, out = _run_verify()
    assert code == 0
    assert "共校验 5 条" in out


def test_edited_row_is_caught_and_named():
    entries = _chain(5)
    with connection.cursor() as c:
        c.execute("UPDATE core_auditentry SET object_id = 'forged' WHERE seq = %s", [entries[2].seq])
    result = audit.verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    code, out = _run_verify()
    assert code == 1
    assert "第 3 条" in out and "改动" in out


def test_rehashed_edit_is_still_caught_by_the_next_entry():
    """A forger who also recomputes the edited row's own hash breaks the link from the row after it."""
    entries = _chain(4)
    target = entries[1]
    target.detail = {"i": 999}
    new_hash = audit.entry_hash(audit._hashed_fields(target), target.prev_hash)
    with connection.cursor() as c:
        c.execute(
            "UPDATE core_auditentry SET detail = %s, entry_hash = %s WHERE seq = %s",
            ['{"i": 999}', new_hash, target.seq],
        )
    assert audit.verify().broken_seq == 3


def test_deleted_middle_row_is_caught():
    entries = _chain(5)
    with connection.cursor() as c:
        c.execute("DELETE FROM core_auditentry WHERE seq = %s", [entries[1].seq])
    result = audit.verify()
    assert (result.ok, result.broken_seq) == (False, 2)
    assert "缺失" in result.reason
    assert _run_verify()[0] == 1


def test_deleted_last_row_is_caught():
    entries = _chain(3)
    with connection.cursor() as c:
        c.execute("DELETE FROM core_auditentry WHERE seq = %s", [entries[-1].seq])
    result = audit.verify()
    assert not result.ok and result.broken_seq == 3


def test_entries_cannot_be_changed_or_deleted_through_the_application():
    entry = _chain(1)[0]
    entry.action = "other"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_web_login_failed_login_and_logout_are_recorded_with_address(client, make_user):
    make_user("hn1")
    client.post("/login/", {"username": "hn1", "password": "wrong"}, REMOTE_ADDR="10.8.0.7")
    client.post("/login/", {"username": "hn1", "password": PASSWORD}, REMOTE_ADDR="10.8.0.7")
    client.post("/logout/", REMOTE_ADDR="10.8.0.7")
    rows = list(AuditEntry.objects.values_list("action", "object_id", "actor_name", "ip"))
    assert rows == [
        ("login_failed", "hn1", "", "10.8.0.7"),
        ("login", "hn1", "hn1", "10.8.0.7"),
        ("logout", "hn1", "hn1", "10.8.0.7"),
    ]
    assert audit.verify().ok
