"""Detection over the lake into findings, once; verification: confirm into a case, hand over, dismiss."""

from typing import Any

import pytest

from jiafa.cases.models import Source
from jiafa.core.errors import JiafaError
from jiafa.core.models import AuditEntry
from jiafa.core.roles import Role
from jiafa.waterway import actions
from jiafa.waterway.models import Finding, Vessel
from tests.conftest import HAINING, run_command


def test_detect_records_a_finding_once(berthed: Vessel) -> None:
    code, out, err = run_command("waterway", "detect", "--json")
    assert code == 0, err
    assert '"created": 1' in out
    finding = Finding.objects.get()
    assert finding.zone is not None and finding.zone.code == "JT-01"
    assert (finding.rule, finding.vessel) == ("illegal_berthing", berthed)
    assert finding.value == pytest.approx(45) and finding.threshold == 30
    assert finding.org_unit.code == HAINING
    assert actions.detect().created == 0
    assert AuditEntry.objects.filter(action="waterway.detect").count() == 2


def test_confirming_registers_a_waterway_case_against_the_owner(berthed: Vessel, make_user: Any) -> None:
    actions.detect()
    finding = Finding.objects.get()
    officer = make_user("officer1", HAINING, Role.OFFICER)
    officer.certificate_no = "33040000101"
    officer.save()
    with pytest.raises(JiafaError) as e:
        actions.confirm(finding, actor=officer, check_note=" ")
    assert e.value.code == "invalid_input"
    with pytest.raises(JiafaError) as alone:  # Art. 42: two certified officers handle a case
        actions.confirm(finding, actor=officer, check_note="现场核查：船舶在禁停区内系泊，船长在场")
    assert alone.value.code == "step_not_ready"
    partner = make_user("officer2", HAINING, Role.OFFICER)
    partner.certificate_no = "33040000102"
    partner.save()
    case = actions.confirm(finding, actor=officer, check_note="现场核查：船舶在禁停区内系泊，船长在场")
    assert set(case.officers.all()) == {officer, partner}
    assert (case.source, case.violation_code, case.party_name, case.vessel_name) == (
        Source.WATERWAY,
        "SL-01",
        "海宁某航运有限公司",
        "浙海宁货0007",
    )
    finding.refresh_from_db()
    assert (finding.status, finding.case, finding.version) == (Finding.Status.CONFIRMED, case, 2)
    with pytest.raises(JiafaError) as again:
        actions.dismiss(finding, actor=officer, reason="误报")
    assert again.value.code == "illegal_step"


def test_dismissing_keeps_the_reason_and_auditors_may_not_verify(berthed: Vessel, make_user: Any) -> None:
    actions.detect()
    finding = Finding.objects.get()
    with pytest.raises(JiafaError) as e:
        actions.dismiss(finding, actor=make_user("audit1", HAINING, Role.AUDITOR), reason="误报")
    assert e.value.code == "forbidden"
    officer = make_user("officer1", HAINING, Role.OFFICER)
    with pytest.raises(JiafaError) as stale:
        actions.dismiss(finding, actor=officer, reason="误报", version=7)
    assert stale.value.code == "conflict"
    actions.dismiss(finding, actor=officer, reason="船舶因故障临时停泊，已报海事")
    finding.refresh_from_db()
    assert (finding.status, finding.dismiss_reason) == (
        Finding.Status.DISMISSED,
        "船舶因故障临时停泊，已报海事",
    )


def test_a_muck_finding_is_handed_over_not_confirmed(berthed: Vessel, make_user: Any) -> None:
    actions.detect()
    finding = Finding.objects.get()
    Finding.objects.filter(pk=finding.pk).update(rule="muck_outside_dumping_zone")
    finding.refresh_from_db()
    officer = make_user("officer1", HAINING, Role.OFFICER)
    with pytest.raises(JiafaError) as e:
        actions.confirm(finding, actor=officer, check_note="已核查")
    assert e.value.code == "step_not_ready"
    actions.hand_over(
        finding, actor=officer, to="海宁市综合行政执法局", check_note="船舱已空，卸载地点在消纳点外"
    )
    finding.refresh_from_db()
    assert (finding.status, finding.handed_over_to) == (Finding.Status.HANDED_OVER, "海宁市综合行政执法局")
