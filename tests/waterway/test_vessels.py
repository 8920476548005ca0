"""The vessel code judged from the database (certificates, cases, fines, confirmed findings), and the public
check page a scanned card opens: colour, name and date only; a forged or altered token told apart."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from jiafa.cases.models import Case, PartyKind, Source
from jiafa.cases.states import CaseStatus
from jiafa.core.models import User
from jiafa.core.roles import Role
from jiafa.waterway import vessels
from jiafa.waterway.models import Finding, Vessel, VesselCertificate
from tests.conftest import HAINING, TONGXIANG
from tests.waterway.river import TODAY, River, certificates, finding

pytestmark = pytest.mark.django_db


def _judged(vessel: Vessel) -> tuple[str, list[str]]:
    code = vessels.code(vessel, TODAY)
    return code.colour.value, code.reasons


def _case(vessel: Vessel, user: User, status: CaseStatus, **fields: Any) -> Case:
    values = {
        "org_unit": vessel.org_unit,
        "source": Source.INSPECTION,
        "registered_by": user,
        "violation_code": "SL-01",
        "occurred_at": Finding.objects.filter(vessel=vessel).first().start,  # type: ignore[union-attr]
        "place": "长山河",
        "facts": "违章停泊",
        "party_kind": PartyKind.ORGANISATION,
        "party_name": vessel.owner_name,
        "party_id_no": vessel.owner_id_no or "未登记",
        "vessel_name": vessel.name,
        "status": status,
    }
    return Case.objects.create(**(values | fields))


def test_green_with_valid_certificates_and_a_clean_record(river: River) -> None:
    assert _judged(river.vessel) == ("green", ["证书有效，无未结案件、欠缴罚款和近期确认的违法线索"])


def test_the_latest_certificate_of_each_kind_counts(river: River) -> None:
    VesselCertificate.objects.create(
        vessel=river.vessel,
        kind="nationality",
        number="old",
        valid_from=date(2019, 1, 1),
        valid_to=date(2023, 12, 31),
    )
    assert _judged(river.vessel)[0] == "green"  # the renewed one holds
    VesselCertificate.objects.filter(vessel=river.vessel, kind="inspection").update(
        valid_to=TODAY + timedelta(days=20)
    )
    assert _judged(river.vessel) == ("yellow", ["船舶检验证书将于2025年06月22日到期"])
    VesselCertificate.objects.filter(vessel=river.vessel, kind="inspection").update(
        valid_to=TODAY - timedelta(days=1)
    )
    assert _judged(river.vessel) == ("red", ["船舶检验证书已于2025年06月01日过期"])
    VesselCertificate.objects.filter(vessel=river.vessel).delete()
    assert _judged(river.vessel) == ("red", ["无有效船舶证书登记"])


def test_confirmed_findings_make_it_yellow_then_red(river: River) -> None:
    Finding.objects.filter(pk=river.berthing.pk).update(status=Finding.Status.CONFIRMED)
    assert _judged(river.vessel) == ("yellow", ["近90天内经核查确认的违法线索1条"])
    handed = finding("illegal_berthing", river.vessel, river.zone.org_unit, -60 * 24 * 30, 40)
    Finding.objects.filter(pk=handed.pk).update(status=Finding.Status.HANDED_OVER)
    assert _judged(river.vessel) == ("red", ["近90天内经核查确认的违法线索2条"])
    Finding.objects.filter(pk=handed.pk).update(start=handed.start - timedelta(days=100))
    assert _judged(river.vessel)[0] == "yellow"  # outside the 90 days
    Finding.objects.filter(pk=river.berthing.pk).update(status=Finding.Status.DISMISSED)
    assert _judged(river.vessel)[0] == "green"  # a dismissed finding is nothing against the vessel


def test_cases_of_its_findings_and_against_it_by_name(river: River, make_user: Any) -> None:
    officer = make_user("hn_officer", HAINING, Role.OFFICER)
    by_name = _case(river.vessel, officer, CaseStatus.INVESTIGATING)
    assert _judged(river.vessel) == ("yellow", ["有1件案件正在办理"])
    other_owner = _case(river.vessel, officer, CaseStatus.INVESTIGATING, party_id_no="91330000XXXXXXXXXX")
    assert _judged(river.vessel)[1] == ["有1件案件正在办理"]  # same name, another owner: not this vessel's
    Case.objects.filter(pk__in=[by_name.pk, other_owner.pk]).update(status=CaseStatus.CLOSED)
    # A case of one of its findings, against an owner registered without an ID number
    unpaid = _case(
        river.muck,
        officer,
        CaseStatus.EXECUTING,
        fine_yuan=20_000,
        paid_yuan=5_000,
        payment_due=TODAY - timedelta(days=3),
    )
    Finding.objects.filter(pk=river.dumped.pk).update(case=unpaid, status=Finding.Status.CONFIRMED)
    colour, reasons = _judged(river.muck)
    assert colour == "red" and reasons == [
        "有1笔罚款逾期未缴",
        "近90天内经核查确认的违法线索1条",
        "有1件案件正在办理",
    ]
    Case.objects.filter(pk=unpaid.pk).update(payment_due=TODAY + timedelta(days=3))
    assert _judged(river.muck)[0] == "yellow"  # not yet due
    Case.objects.filter(pk=unpaid.pk).update(paid_yuan=20_000, status=CaseStatus.CLOSED)
    assert _judged(river.muck) == ("yellow", ["近90天内经核查确认的违法线索1条"])


def test_many_vessels_are_judged_in_a_few_queries(river: River, django_assert_max_num_queries: Any) -> None:
    for i in range(30):
        certificates(
            Vessel.objects.create(
                mmsi=414_000_000 + i, name=f"浙货{i:04d}", owner_name="某公司", org_unit=river.zone.org_unit
            ),
            TODAY,
        )
    fleet = list(Vessel.objects.all())
    with django_assert_max_num_queries(6):
        judged = vessels.codes(fleet, TODAY)
    assert len(judged) == 33 and judged[river.vessel.pk].colour == "green"
    assert {judged[v.pk].colour.value for v in fleet if v.mmsi >= 414_000_000} == {"yellow"}  # expiring today


# ── The public check ───────────────────────────────────────────────────────────────────────────────────


def test_the_public_page_shows_only_colour_name_and_date(river: River) -> None:
    Finding.objects.filter(pk=river.berthing.pk).update(status=Finding.Status.CONFIRMED)
    token = vessels.check_token(river.vessel)
    assert token == vessels.check_token(river.vessel)  # a printed card keeps working
    response = Client().get(f"/waterway/check/{token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["label"] == "黄码" and "浙海宁货0007" in page and "2025年6月2日" in page
    text = page.split("<main", 1)[1]
    for secret in ("海宁某航运", "413000007", "91330481", "0573", "线索", "证书", "长山河"):
        assert secret not in text, secret
    api = Client().get(f"/api/v1/waterway/check/{token}")
    assert api.json() == {
        "vessel_name": "浙海宁货0007",
        "colour": "yellow",
        "label": "黄码",
        "on": "2025-06-02",
    }


@pytest.mark.parametrize(
    "token",
    [
        "413000007",  # a bare MMSI
        "NDEzMDAwMDA3:forged-signature",
        "x" * 300,
        "%E6%B5%99",
    ],
)
def test_a_forged_token_is_told_apart_never_a_server_error(river: River, token: str) -> None:
    page = Client().get(f"/waterway/check/{token}/")
    assert page.status_code == 404 and "二维码无效" in page.content.decode()
    api = Client().get(f"/api/v1/waterway/check/{token}")
    assert (api.status_code, api.json()["code"]) == (404, "check_code_invalid")


def test_an_altered_token_is_refused(river: River) -> None:
    token = vessels.check_token(river.vessel)
    other = vessels.check_token(river.muck)
    swapped = other.split(":")[0] + ":" + token.split(":")[1]  # another vessel's number under this signature
    assert Client().get(f"/waterway/check/{swapped}/").status_code == 404
    sold = Vessel.objects.create(
        mmsi=413_999_999, name="浙海宁货9999", owner_name="某公司", org_unit=river.vessel.org_unit
    )
    token = vessels.check_token(sold)
    sold.delete()
    gone = Client().get(f"/waterway/check/{token}/")
    assert gone.status_code == 404 and "该船舶已不在登记中" in gone.content.decode()


# ── The vessel API ─────────────────────────────────────────────────────────────────────────────────────


def test_the_vessel_api_gives_the_register_and_the_code_with_reasons(
    river: River, make_user: Any, api_as: Any
) -> None:
    VesselCertificate.objects.filter(vessel=river.muck, kind="inspection").update(
        valid_to=TODAY - timedelta(days=1)
    )
    haining = api_as(make_user("hn_officer", HAINING, Role.OFFICER))
    body = haining.get("/waterway/vessels/413000101").json()
    assert (body["name"], body["kind"], body["owner_name"]) == (
        "浙嘉渣0101",
        "muck",
        "嘉兴某渣土运输有限公司",
    )
    assert body["code"] == {
        "colour": "red",
        "label": "红码",
        "reasons": ["船舶检验证书已于2025年06月01日过期"],
        "on": "2025-06-02",
    }
    assert [c["kind"] for c in body["certificates"]] == ["inspection", "nationality"]
    assert body["muck_permits"][0]["dumping_zone"] == "XN-01"
    assert body["check_path"] == f"/waterway/check/{vessels.check_token(river.muck)}/"
    tongxiang = api_as(make_user("tx_officer", TONGXIANG, Role.OFFICER))
    assert tongxiang.get("/waterway/vessels/413000101").status_code == 404
    assert Client().get("/api/v1/waterway/vessels/413000101").status_code == 401
