"""`jiafa demo` builds the demo bureau, deterministically, and never on top of a real bureau's data."""

import json

import pytest
from django.core.management import call_command

from jiafa.core.models import OrgUnit, User
from jiafa.simulate.people import staff

pytestmark = pytest.mark.django_db


def _demo(capsys, *args: str) -> dict:
    """The people only (scale 0): the simulated year has its own tests (test_year.py)."""
    call_command("demo", "--json", "--scale", "0", *args)
    return json.loads(capsys.readouterr().out)


def test_demo_builds_units_and_officers_in_every_squadron(capsys):
    out = _demo(capsys)
    assert OrgUnit.objects.count() == 11
    for squadron in OrgUnit.objects.filter(kind="squadron"):
        officers = User.objects.filter(org_unit=squadron, role="officer")
        assert officers.count() >= 2  # Art. 42: enforcement by at least two certified officers
        assert all(o.certificate_no for o in officers)
    usernames = {a["username"] for a in out["accounts"]}
    assert {"admin", "leader", "auditor", "fazhi", "haining_officer1", "tongxiang_officer1"} <= usernames
    assert User.objects.get(username="haining_officer1").check_password(out["password"])


def test_same_seed_same_people_different_seed_different_names():
    assert staff(7) == staff(7)
    assert [p.full_name for p in staff(7)] != [p.full_name for p in staff(8)]
    assert [p.username for p in staff(7)] == [p.username for p in staff(8)]


def test_second_run_keeps_the_world_and_lists_the_accounts(capsys):
    first = _demo(capsys, "--seed", "5")
    second = _demo(capsys, "--if-empty")
    assert second == first
    assert User.objects.count() == len(first["accounts"])


def test_demo_refuses_a_database_that_is_not_a_demo(org, capsys):
    with pytest.raises(SystemExit) as e:
        call_command("demo", "--reset", "--scale", "0")
    assert e.value.code == 2
    assert "拒绝清空" in capsys.readouterr().err
    assert OrgUnit.objects.count() == 11 and not User.objects.exists()


# flush truncates tables, which PostgreSQL refuses inside a transaction
@pytest.mark.django_db(transaction=True)
def test_reset_rebuilds_with_a_new_seed(capsys):
    _demo(capsys, "--seed", "1")
    name_before = User.objects.get(username="leader").full_name
    _demo(capsys, "--reset", "--seed", "2")
    assert User.objects.get(username="leader").full_name == next(
        p.full_name for p in staff(2) if p.username == "leader"
    )
    assert name_before == next(p.full_name for p in staff(1) if p.username == "leader")
