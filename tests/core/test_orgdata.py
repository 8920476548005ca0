"""The org tree and jurisdictions come from a data file a bureau can edit."""

import json

import pytest
from django.core.management import call_command

from jiafa.core import orgdata
from jiafa.core.errors import JiafaError
from jiafa.core.models import OrgUnit
from tests.conftest import ORG_FILE

pytestmark = pytest.mark.django_db


def test_jiaxing_tree_has_the_report_units(org):
    detachment = org["330400-ZFD"]
    squadrons = {u.short_name for u in detachment.children.all()}
    assert squadrons == {
        "南湖区",
        "秀洲区",
        "嘉善县",
        "平湖市",
        "海盐县",
        "海宁市",
        "桐乡市",
        "水上运输",
        "道路运输",
    }
    assert org["330400"].subtree().count() == 11
    assert list(org["330481"].subtree()) == [org["330481"]]
    assert org["330481"].parent == detachment and detachment.parent == org["330400"]


def test_loading_again_changes_nothing(org):
    before = list(OrgUnit.objects.values_list("id", "path", "name"))
    orgdata.load(json.loads(ORG_FILE.read_text(encoding="utf-8")))
    assert list(OrgUnit.objects.values_list("id", "path", "name")) == before


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([], "非空的 units"),
        ([{"code": "1", "name": "局", "short_name": "局", "kind": "ministry"}], "类别“ministry”无效"),
        ([{"code": "1", "name": "局", "kind": "bureau"}], "缺少字段“short_name”"),
        (
            [
                {
                    "code": "1",
                    "name": "局",
                    "short_name": "局",
                    "kind": "bureau",
                    "children": [{"code": "1", "name": "队", "short_name": "队", "kind": "detachment"}],
                }
            ],
            "代码 1 重复",
        ),
    ],
)
def test_bad_org_file_is_refused_whole(db, units, message):
    with pytest.raises(JiafaError) as e:
        orgdata.load({"units": units})
    assert message in e.value.message
    assert OrgUnit.objects.count() == 0


def test_cli_refuses_a_broken_file_with_exit_code_2(tmp_path, capsys, db):
    path = tmp_path / "org.json"
    path.write_text('{"units": [{"code": "1"', encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        call_command("org", "load", str(path))
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "无法读取" in err and "org_data_invalid" in err
    assert OrgUnit.objects.count() == 0


def test_cli_loads_the_file(capsys, db):
    call_command("org", "load", str(ORG_FILE), "--json")
    assert json.loads(capsys.readouterr().out) == {"units": 11}
