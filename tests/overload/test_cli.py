"""`jiafa overload assess`: the contract's JSON, a Chinese summary, refusals on stderr with exit code 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

from tests.conftest import run_command

CONTRACT_FIELDS = {"limit_kg", "overload_kg", "overload_rate", "is_overload", "outcome", "fine_yuan", "basis"}


def _run(*args: str) -> tuple[int, str, str]:
    return run_command("overload", "assess", *args)


def test_json_output_carries_the_contract_fields():
    code, out, err = _run("--axles", "6", "--gross-kg", "60000", "--measurement", "wim", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) >= CONTRACT_FIELDS
    assert (data["limit_kg"], data["tolerance_kg"], data["overload_kg"], data["overload_rate"]) == (
        49000,
        3000,
        8000,
        0.1632,
    )
    assert (data["outcome"], data["fine_yuan"], data["is_overload"]) == ("fine", 4000, True)
    assert [b["article"] for b in data["basis"]] == [
        "第三条第一款第八项",
        "最大允许误差（按准确度等级）",
        "第四十三条第一款第二项",
    ]
    assert data["measured_on"] == timezone.localdate().isoformat()


def test_vehicle_flags_and_a_past_date():
    code, out, _ = _run(
        "--axles",
        "6",
        "--combination",
        "--single-drive-axle",
        "--gross-kg",
        "47500",
        "--date",
        "2020-03-01",
        "--json",
    )
    data = json.loads(out)
    assert (code, data["limit_kg"], data["outcome"], data["fine_yuan"]) == (0, 46000, "fine", 500)
    assert data["measured_on"] == "2020-03-01"


def test_human_output_is_a_short_chinese_summary():
    code, out, _ = _run("--axles", "2", "--gross-kg", "48780")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "结论：超限，罚款 15000 元"
    assert "超限率171%" in lines[1] and "属严重违法超限超载" in lines[1]
    law = "《超限运输车辆行驶公路管理规定》"
    assert lines[2] == f"依据：{law}第三条第一款第四项；{law}第四十三条第一款第二项"
    assert _run("--axles", "2", "--gross-kg", "18000")[1].startswith("结论：未超限")


def test_bad_axle_count_is_refused_on_stderr_with_exit_2():
    code, out, err = _run("--axles", "1", "--gross-kg", "20000")
    assert (code, out) == (2, "")
    assert "轴数应在 2 至 20 之间，收到 1" in err and "invalid_axle_count" in err
    code, _, err = _run("--axles", "1", "--gross-kg", "20000", "--json")
    assert code == 2 and json.loads(err)["code"] == "invalid_axle_count"


def test_single_drive_axle_without_a_combination_is_refused():
    code, _, err = _run("--axles", "6", "--single-drive-axle", "--gross-kg", "47000")
    assert code == 2 and "single_drive_axle_not_applicable" in err and "请核对轴数和车型" in err


def test_bad_or_future_dates_are_refused():
    code, _, err = _run("--axles", "2", "--gross-kg", "20000", "--date", "2024-13-01")
    assert code == 2 and "称重日期应为 YYYY-MM-DD" in err
    code, _, err = _run("--axles", "2", "--gross-kg", "20000", "--date", "2999-01-01")
    assert code == 2 and "称重日期不能晚于今天" in err


def test_the_installed_jiafa_command(tmp_path: Path):
    """The real executable, as a script would call it: JSON on stdout, refusals with exit code 2."""
    jiafa = str(Path(sys.executable).parent / "jiafa")
    env = {**os.environ, "JIAFA_DATA_DIR": str(tmp_path), "JIAFA_SECRET_KEY": "test"}
    ok = subprocess.run(
        [
            jiafa,
            "overload",
            "assess",
            "--axles",
            "6",
            "--gross-kg",
            "51000",
            "--measurement",
            "wim",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["outcome"] == "none"
    bad = subprocess.run(
        [jiafa, "overload", "assess", "--axles", "1", "--gross-kg", "20000"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "轴数应在 2 至 20 之间" in bad.stderr
