"""The hand-over letter (移交函): issued with the hand-over, numbered, stored; every download the same
file."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jiafa.cases.rendering import docx_text
from jiafa.core.models import AuditEntry
from jiafa.core.roles import Role
from jiafa.waterway import letters
from jiafa.waterway.models import Finding
from tests.conftest import HAINING, TONGXIANG
from tests.waterway.river import River

pytestmark = pytest.mark.django_db


def _hand_over(client: Client, f: Finding, **form: str) -> Any:
    data = {
        "to": "海宁市综合行政执法局",
        "check_note": "登船检查：船舱已空，船员承认在消纳点外卸载",
        "version": "1",
    }
    return client.post(f"/waterway/findings/{f.pk}/hand-over/", data | form)


def test_handing_over_issues_a_letter_kept_byte_for_byte(
    river: River, make_user: Any, web_as: Any, api_as: Any
) -> None:
    officer = make_user("hn_officer", HAINING, Role.OFFICER)
    client = web_as(officer)
    assert _hand_over(client, river.dumped).status_code == 302
    f = Finding.objects.get(pk=river.dumped.pk)
    assert (f.status, f.handed_over_to, f.letter_number) == (
        "handed_over",
        "海宁市综合行政执法局",
        "嘉交执移交〔2025〕第00001号",
    )
    page = client.get(f"/waterway/findings/{f.pk}/").content.decode()
    assert "下载移交函 嘉交执移交〔2025〕第00001号" in page and f.letter_id in page

    first = client.get(f"/waterway/findings/{f.pk}/hand-over-letter/")
    second = client.get(f"/waterway/findings/{f.pk}/hand-over-letter/")
    api = api_as(officer).get(f"/waterway/findings/{f.pk}/hand-over-letter")
    assert first.status_code == second.status_code == api.status_code == 200
    assert first.content == second.content == api.content
    assert hashlib.sha256(first.content).hexdigest() == f.letter_id == first["X-Content-SHA256"]
    assert "attachment" in first["Content-Disposition"]

    entry = AuditEntry.objects.get(action="finding.waterway.hand_over")
    assert (entry.detail["letter"], entry.detail["sha256"]) == (f.letter_number, f.letter_id)

    text = docx_text(first.content)
    for words in (
        "嘉兴市交通运输局",
        "水上交通违法线索移交函",
        "嘉交执移交〔2025〕第00001号",
        "海宁市综合行政执法局：",
        "浙嘉渣0101",
        "413000101",
        "嘉兴某渣土运输有限公司",
        "2025年6月2日10时00分至10时25分",
        "在装载点和消纳点以外停泊 25 分钟，阈值 10 分钟",
        "登船检查：船舱已空",
        "《嘉兴市建筑垃圾管理条例》第九条",
        "《嘉兴市建筑垃圾管理条例》第二十条",
        "依法由综合行政执法部门查处",
        "AIS 轨迹片段：28 个位置报告（2025-06-02 09:55 至 10:26）",
        "2025年6月2日",
    ):
        assert words in text, words


def test_a_second_hand_over_gets_the_next_number_and_another_bureau(
    river: River, make_user: Any, web_as: Any
) -> None:
    client = web_as(make_user("hn_officer", HAINING, Role.OFFICER))
    _hand_over(client, river.dumped)
    _hand_over(
        client, river.dark, to="other", to_other="嘉兴市港航管理服务中心", check_note="卡口照片与船舶一致"
    )
    dark = Finding.objects.get(pk=river.dark.pk)
    assert (dark.handed_over_to, dark.letter_number) == (
        "嘉兴市港航管理服务中心",
        "嘉交执移交〔2025〕第00002号",
    )
    text = docx_text(letters.stored(dark).data)
    assert (
        "卡口抓拍记录 KK01-20250602-0042（长安卡口，识别船名“浙桐乡货0202”，照片 SHA-256 " + "ab" * 32 in text
    )


def test_hand_over_refusals_change_nothing(river: River, make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("hn_officer", HAINING, Role.OFFICER))
    nobody = _hand_over(client, river.dumped, to="other", to_other="")
    assert nobody.status_code == 422 and "请填写移交单位和核查情况" in nobody.content.decode()
    f = Finding.objects.get(pk=river.dumped.pk)
    assert (f.status, f.letter, f.letter_number) == ("pending", None, "")
    assert _hand_over(client, river.dumped).status_code == 302
    # the number refused above was not used up
    assert Finding.objects.get(pk=river.dumped.pk).letter_number.endswith("第00001号")


def test_a_letter_whose_file_was_altered_is_not_handed_out(
    river: River, make_user: Any, web_as: Any, api_as: Any
) -> None:
    officer = make_user("hn_officer", HAINING, Role.OFFICER)
    _hand_over(web_as(officer), river.dumped)
    f = Finding.objects.get(pk=river.dumped.pk)
    assert f.letter is not None
    path = Path(f.letter.path)
    path.chmod(0o644)
    path.write_bytes(b"changed")
    page = web_as(officer).get(f"/waterway/findings/{f.pk}/hand-over-letter/")
    assert page.status_code == 500 and "哈希值不符" in page.content.decode()
    api = api_as(officer).get(f"/waterway/findings/{f.pk}/hand-over-letter")
    assert (api.status_code, api.json()["code"]) == (409, "conflict")


def test_only_the_district_gets_the_letter(river: River, make_user: Any, web_as: Any, api_as: Any) -> None:
    _hand_over(web_as(make_user("hn_officer", HAINING, Role.OFFICER)), river.dumped)
    other = make_user("tx_officer", TONGXIANG, Role.OFFICER)
    assert web_as(other).get(f"/waterway/findings/{river.dumped.pk}/hand-over-letter/").status_code == 404
    assert api_as(other).get(f"/waterway/findings/{river.dumped.pk}/hand-over-letter").status_code == 404
    pending = api_as(other).get(f"/waterway/findings/{river.elsewhere.pk}/hand-over-letter")
    assert (pending.status_code, pending.json()["message"]) == (404, "该线索没有移交函")


def test_the_packaged_template_is_what_the_code_writes(tmp_path: Path) -> None:
    written = letters.generate(tmp_path)
    assert written.read_bytes() == (letters.PACKAGED / written.name).read_bytes()
