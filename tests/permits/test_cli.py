"""`jiafa permits`: the bridge check from the command line, refusals with exit code 2, the demo register."""

import json

import pytest

from jiafa.permits.models import Bridge
from tests.conftest import run_command

STANDARD = ("--axles-kn", "30,120,120,140,140", "--spacings-m", "3,1.4,7,1.4")


def test_bridge_check_json_and_text():
    code, out, err = run_command(
        "permits", "bridge-check", *STANDARD, "--span", "20", "--span", "20", "--json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["passes"] is True and data["bridges"][0]["vehicle_moment_knm"] == 1647.36
    code, out, _ = run_command("permits", "bridge-check", *STANDARD, "--span", "20", "--red-line", "0.85")
    assert code == 0 and "控制效应为剪力" in out and "不通过" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--axles-kn", "100,100", "--spacings-m", "", "--span", "20"), "应有 1 个轴距"),
        (("--axles-kn", "100,abc", "--spacings-m", "3", "--span", "20"), "以逗号分隔的数字"),
        ((*STANDARD, "--span", "20", "--design-load", "汽车-10级"), "桥梁工程师"),
    ],
)
def test_refusals_exit_2_in_chinese(args, words):
    code, out, err = run_command("permits", "bridge-check", *args)
    assert code == 2 and out == "" and words in err


@pytest.mark.django_db
def test_load_demo_bridges(org):
    code, out, _ = run_command("permits", "load-demo-bridges", "--json")
    assert code == 0 and json.loads(out) == {"added": 210, "unit": "330400"}
    assert Bridge.objects.filter(org_unit__code="330400").count() == 210
    assert json.loads(run_command("permits", "load-demo-bridges", "--json")[1])["added"] == 0
