"""What a finding says in words: the measured value against its threshold for each rule, and its place."""

import pytest

from jiafa.waterway import findings
from jiafa.waterway.models import Checkpoint, Finding, Zone


@pytest.mark.parametrize(
    ("rule", "value", "threshold", "words"),
    [
        ("illegal_berthing", 47.4, 30.0, "停泊 47 分钟，阈值 30 分钟"),
        ("unlicensed_dock", 125.0, 30.0, "在无证码头停泊 2 小时 5 分钟，阈值 30 分钟"),
        ("ais_dark", 60.0, 30.0, "AIS 信号中断 1 小时，阈值 30 分钟"),
        ("ais_dark", None, 30.0, "卡口拍到该船时，前后均无 AIS 位置报告（中断超过 30 分钟即为线索）"),
        ("shared_mmsi", 85.26, 30.0, "相邻两次位置推算航速 85.3 节，阈值 30 节"),
        ("muck_no_permit", 45.0, 10.0, "无有效运输许可时停泊装卸 45 分钟，阈值 10 分钟"),
        ("muck_outside_dumping_zone", 28.0, 10.0, "在装载点和消纳点以外停泊 28 分钟，阈值 10 分钟"),
        ("muck_never_dumped", 0.0, 1.0, "装载后未在许可的消纳点停泊卸载"),
    ],
)
def test_the_measure_in_words(rule: str, value: float | None, threshold: float, words: str) -> None:
    assert findings.measure(Finding(rule=rule, value=value, threshold=threshold)) == words


def test_a_name_mismatch_names_both_names() -> None:
    f = Finding(
        rule="name_mismatch", value=0.93, threshold=0.8, seen_name="浙嘉善货0552", ais_name="浙嘉善货0522"
    )
    assert (
        findings.measure(f)
        == "卡口识别船名“浙嘉善货0552”（置信度 0.93，不低于 0.80），AIS 船名“浙嘉善货0522”"
    )


def test_the_place() -> None:
    zone = Zone(name="盐官渣土消纳点")
    assert (
        findings.place(Finding(rule="muck_outside_dumping_zone", lat=30.5, lon=120.6))
        == "北纬30.50000° 东经120.60000°"
    )
    assert findings.place(Finding(rule="illegal_berthing", zone=Zone(name="长山河禁停区"))) == "长山河禁停区"
    assert findings.place(Finding(rule="ais_dark", checkpoint=Checkpoint(name="长安卡口"))) == "长安卡口"
    # a vessel that never reached its dumping zone was not there
    never = Finding(rule="muck_never_dumped", lat=30.57663, lon=120.48676, zone=zone)
    assert findings.place(never) == "北纬30.57663° 东经120.48676°（装载后应至盐官渣土消纳点卸载）"
    assert not findings.in_zone(never)
