"""The violation catalogue, pure: the packaged files, tier selection at every boundary, the penalty check, the
first-violation exemption, and a parser that refuses bad documents with a reason and never crashes."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import violations as v
from jiafa.law.violations import CatalogueErrorCode as C

DATA = Path(v.__file__).resolve().parent / "data" / "violations"
FILES = sorted(DATA.glob("*.json"))
SEED = {item.code: item for path in FILES for item in v.parse_catalogue(json.loads(path.read_text("utf-8")))}


def item(code: str) -> v.Item:
    return SEED[code]


def tier_code(code: str, **facts: Any) -> str:
    return v.select_tier(item(code), facts).code


# --- The packaged catalogue -------------------------------------------------------------------------------


def test_the_packaged_catalogue_parses_and_every_item_cites_its_articles():
    assert {p.stem for p in FILES} == {d.value for d in v.Domain}  # one file per domain
    assert 15 <= len(SEED) <= 25
    for it in SEED.values():
        assert it.penalty_basis and all(p.article.startswith("第") for p in it.penalty_basis), it.code
        assert it.violated and all(p.law and p.article for p in it.violated), it.code
        assert it.basis[0] == it.violated[0].as_dict() and it.basis[-1] == it.penalty_basis[-1].as_dict()
        assert it.code.startswith(v.DOMAINS[it.domain][1] + "-")
        assert it.verified or "核对" in it.note, f"{it.code}: an unverified item must say why"
        assert v.parse_item(v.to_document(it)) == it, it.code


def test_the_packaged_catalogue_holds_the_numbers_of_law_md():
    overload = item("CX-01")
    assert overload.non_site and overload.penalty_kinds == {v.PenaltyKind.WARNING, v.PenaltyKind.FINE}
    assert overload.fines[0].rule == v.PerTonneFine(500, 30000, "floor")
    ride = {code: item(code).fines[0].rule for code in ("WY-01", "WY-02", "WY-03")}
    assert ride == {
        "WY-01": v.RangeFine(10000, 30000),
        "WY-02": v.RangeFine(3000, 10000),
        "WY-03": v.RangeFine(200, 2000),
    }
    port = item("GK-01")
    assert {f.rule for f in port.fines} == {v.RangeFine(50000, 200000), v.GainsMultipleFine(2, 5)}
    assert item("CX-06").penalty_kinds == {v.PenaltyKind.SUSPENSION_ORDER, v.PenaltyKind.LICENCE_REVOCATION}
    assert {c for c, it in SEED.items() if it.non_site} == {"CX-01", "KY-02", "SL-02", "SL-03"}


# --- Tier selection at the boundaries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kg", "tier", "fine"),
    [(1, "warning", None), (1000, "warning", None), (1001, "per_tonne", 500), (1999, "per_tonne", 500),
     (2000, "per_tonne", 1000), (4200, "per_tonne", 2000), (60999, "per_tonne", 30000),
     (90000, "per_tonne", 30000)],
)  # fmt: skip
def test_overload_warning_up_to_1000_kg_then_500_yuan_per_whole_tonne_capped(kg, tier, fine):
    overload = item("CX-01")
    chosen = v.select_tier(overload, {"overload_kg": kg})
    assert chosen.code == tier
    bounds = v.fine_bounds(overload, chosen, "person", {"overload_kg": kg})
    assert bounds == (None if fine is None else (fine, fine))


@pytest.mark.parametrize(
    ("height", "width", "length", "band"),
    [(4200, 3000, 20000, "band_1"), (4000, 2550, 18100, "band_1"), (4201, 3000, 20000, "band_2"),
     (4200, 3001, 20000, "band_2"), (4200, 3000, 20001, "band_2"), (4500, 3750, 28000, "band_2"),
     (4501, 2550, 18000, "band_3"), (4000, 3751, 18000, "band_3"), (4000, 2550, 28001, "band_3"),
     (4600, 3800, 30000, "band_3")],
)  # fmt: skip
def test_dimension_bands_of_article_43(height, width, length, band):
    assert tier_code("CC-01", height_mm=height, width_mm=width, length_mm=length) == band


@pytest.mark.parametrize(
    ("code", "facts", "tier"),
    [
        ("KY-01", {"illegal_gains_yuan": 0, "repeat_12m": 0}, "general"),
        ("KY-01", {"illegal_gains_yuan": 20000, "repeat_12m": 0}, "general"),
        ("KY-01", {"illegal_gains_yuan": 20000, "repeat_12m": 1}, "heavier"),
        ("KY-01", {"illegal_gains_yuan": 20001, "repeat_12m": 0}, "gains"),
        ("GK-01", {"illegal_gains_yuan": 99999, "repeat_12m": 0}, "general"),
        ("GK-01", {"illegal_gains_yuan": 99999, "repeat_12m": 3}, "heavier"),
        ("GK-01", {"illegal_gains_yuan": 100000, "repeat_12m": 0}, "gains"),
        ("SL-02", {"ais_gap_minutes": 120, "repeat_12m": 0}, "minor"),
        ("SL-02", {"ais_gap_minutes": 121, "repeat_12m": 0}, "general"),
        ("SL-02", {"ais_gap_minutes": 120, "repeat_12m": 1}, "general"),
        ("SL-02", {"ais_gap_minutes": 121, "repeat_12m": 1}, "heavier"),
        ("SL-04", {"overload_pct": 10, "repeat_12m": 0}, "general"),
        ("SL-04", {"overload_pct": 11, "repeat_12m": 0}, "heavier"),
        ("SL-04", {"overload_pct": 30, "repeat_12m": 0}, "heavier"),
        ("SL-04", {"overload_pct": 31, "repeat_12m": 0}, "severe"),
        ("SL-04", {"overload_pct": 11, "repeat_12m": 1}, "severe"),
        ("CX-02", {"forced_through": False, "endangered": False, "repeat_12m": 0}, "general"),
        ("CX-02", {"forced_through": True, "endangered": False, "repeat_12m": 0}, "heavier"),
        ("CX-02", {"forced_through": True, "endangered": False, "repeat_12m": 1}, "severe"),
        ("CX-02", {"forced_through": False, "endangered": True, "repeat_12m": 0}, "severe"),
        ("CX-06", {"overload_share_bp": 1001, "serious": False}, "suspension"),
        ("CX-06", {"overload_share_bp": 1001, "serious": True}, "revocation"),
    ],
)
def test_tier_selection_at_each_boundary(code, facts, tier):
    assert v.select_tier(item(code), facts).code == tier


def test_facts_beyond_the_tiers_are_ignored_and_missing_or_bad_facts_are_refused():
    assert tier_code("CX-01", overload_kg=500, plate="浙F12345") == "warning"
    with pytest.raises(JiafaError) as missing:
        v.select_tier(item("KY-01"), {"illegal_gains_yuan": 0})
    assert missing.value.code is ErrorCode.VIOLATION_FACTS_INVALID
    assert "近12个月内同类违法行为已被处罚次数" in missing.value.message
    cases: list[tuple[dict[str, Any], str]] = [
        ({"overload_kg": 0}, "不能小于1"),
        ({"overload_kg": True}, "应为整数"),
        ({"overload_kg": "3t"}, "应为整数"),
    ]
    for bad, why in cases:
        with pytest.raises(JiafaError) as refused:
            v.select_tier(item("CX-01"), bad)
        assert why in refused.value.message
    with pytest.raises(JiafaError, match="不能小于4"):  # "more than 3 times": the 3rd time is not this item
        v.select_tier(item("CX-04"), {"vehicle_overloads_12m": 3})


# --- The penalty check ------------------------------------------------------------------------------------


def refusal(code: str, tier: str, **kwargs: Any) -> str:
    it = item(code)
    with pytest.raises(JiafaError) as refused:
        v.check_penalty(it, it.tier(tier), **kwargs)
    assert refused.value.code is ErrorCode.PENALTY_NOT_ALLOWED
    return refused.value.message


def test_a_fine_outside_the_tier_is_refused_naming_the_range_and_the_article():
    dimension = item("CC-01")
    band_2 = dimension.tier("band_2")
    v.check_penalty(dimension, band_2, party_kind="person", kinds={"fine"}, fine_yuan=200)
    v.check_penalty(dimension, band_2, party_kind="organisation", kinds={"fine"}, fine_yuan=1000)
    for fine in (199, 1001, 35000):
        message = refusal("CC-01", "band_2", party_kind="person", kinds={"fine"}, fine_yuan=fine)
        assert f"罚款 {fine} 元" in message and "200元以上1000元以下" in message
        assert "《超限运输车辆行驶公路管理规定》第四十三条第一款第一项" in message


def test_the_per_tonne_fine_must_be_the_computed_amount_and_needs_the_weight():
    overload, per_tonne = item("CX-01"), item("CX-01").tier("per_tonne")
    facts = {"overload_kg": 4200}
    v.check_penalty(
        overload, per_tonne, party_kind="organisation", kinds={"fine"}, fine_yuan=2000, facts=facts
    )
    message = refusal(
        "CX-01", "per_tonne", party_kind="organisation", kinds={"fine"}, fine_yuan=2500, facts=facts
    )
    assert "本案应为2000元" in message and "每超1000千克罚款500元" in message
    with pytest.raises(JiafaError, match="请提供超限重量"):
        v.check_penalty(overload, per_tonne, party_kind="person", kinds={"fine"}, fine_yuan=2000)


def test_a_multiple_of_illegal_gains_is_bounded_by_the_gains():
    gains = {"illegal_gains_yuan": 30000, "repeat_12m": 0}
    black_car = item("KY-01")
    tier = v.select_tier(black_car, gains)
    assert v.fine_bounds(black_car, tier, "person", gains) == (60000, 300000)
    kinds = {"fine", "confiscation_of_illegal_gains"}
    v.check_penalty(black_car, tier, party_kind="person", kinds=kinds, fine_yuan=60000, facts=gains)
    message = refusal("KY-01", "gains", party_kind="person", kinds=kinds, fine_yuan=59999, facts=gains)
    assert "违法所得2倍以上10倍以下" in message
    missing = refusal("KY-01", "gains", party_kind="person", kinds={"fine"}, fine_yuan=60000, facts=gains)
    assert "应当给予没收违法所得" in missing


@pytest.mark.parametrize(
    ("code", "tier", "kwargs", "expected"),
    [
        ("CX-01", "per_tonne",
         {"party_kind": "person", "kinds": {"fine", "licence_revocation"}, "fine_yuan": 500},
         "依法不能给予吊销许可证件"),
        ("CX-01", "warning", {"party_kind": "person", "kinds": {"fine"}, "fine_yuan": 500}, "阶次不包括罚款"),
        ("WY-03", "general", {"party_kind": "organisation", "kinds": {"warning", "fine"}, "fine_yuan": 500},
         "处罚对象为自然人"),
        ("WY-03", "general", {"party_kind": "company", "kinds": {"warning", "fine"}, "fine_yuan": 500},
         "不适用于当事人类型“company”"),
        ("WY-01", "general", {"party_kind": "organisation", "kinds": {"fine"}, "fine_yuan": 15000},
         "应当给予警告"),
        ("DY-01", "general", {"party_kind": "person", "kinds": {"fine"}, "fine_yuan": -5}, "不能为负数"),
        ("CX-01", "warning", {"party_kind": "person", "kinds": {"warning"}, "fine_yuan": 300}, "未给予罚款"),
        ("CX-01", "warning", {"party_kind": "person", "kinds": set(), "fine_yuan": 0}, "未提出任何处罚种类"),
        ("CX-01", "warning", {"party_kind": "person", "kinds": {"detention"}, "fine_yuan": 0},
         "不认识的处罚种类"),
        ("SL-01", "order", {"party_kind": "person", "kinds": {"fine"}, "fine_yuan": 1000}, "可给予：无"),
        ("ZT-02", "statutory", {"party_kind": "organisation", "kinds": {"fine"}, "fine_yuan": 100000},
         "由综合行政执法部门实施处罚"),
    ],
)  # fmt: skip
def test_penalties_the_law_or_the_tier_does_not_allow_are_refused(code, tier, kwargs, expected):
    message = refusal(code, tier, **kwargs)
    assert expected in message and "依据：《" in message


def test_a_lawful_penalty_passes_and_a_tier_of_another_item_does_not():
    ride = item("WY-01")
    v.check_penalty(
        ride, ride.tier("general"), party_kind="organisation", kinds={"warning", "fine"}, fine_yuan=10000
    )
    optional = item("CC-01").tier("band_1")  # 可以处200元以下：a fine may be added, or not
    v.check_penalty(item("CC-01"), optional, party_kind="person", kinds={"fine"}, fine_yuan=200)
    with pytest.raises(JiafaError, match="不是 WY-01 的裁量阶次"):
        v.check_penalty(ride, optional, party_kind="organisation", kinds={"fine"}, fine_yuan=100)


def test_fines_that_differ_by_party():
    muck = item("ZT-02")
    tier = muck.tier("statutory")
    assert v.fine_bounds(muck, tier, "person") == (5000, 50000)
    assert v.fine_bounds(muck, tier, "organisation") == (100000, 1000000)


# --- First-violation exemption ----------------------------------------------------------------------------


def test_first_violation_exemption_needs_every_condition():
    overload = item("CX-01")
    first = {"overload_kg": 800, "repeat_12m": 0, "corrected": True}
    assert v.first_violation_exemption_allowed(overload, first)
    assert not v.first_violation_exemption_allowed(overload, {**first, "repeat_12m": 1})
    assert not v.first_violation_exemption_allowed(overload, {**first, "corrected": False})
    assert not v.first_violation_exemption_allowed(overload, {**first, "overload_kg": 1001})
    assert overload.first_violation_exemption.commitment_letter
    assert not v.first_violation_exemption_allowed(item("KY-01"), {})  # unlicensed passenger transport: never
    with pytest.raises(JiafaError, match="已及时改正"):
        v.first_violation_exemption_allowed(overload, {"overload_kg": 800, "repeat_12m": 0})


# --- The parser refuses bad documents with a reason --------------------------------------------------------


def seed_document(code: str) -> dict[str, Any]:
    return {"items": [v.to_document(item(code))]}


def mutate(code: str, change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(seed_document(code))
    change(doc["items"][0])
    return doc


def set_(path: str, value: Any) -> Any:
    def change(entry: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = entry
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


def drop(path: str) -> Any:
    def change(entry: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = entry
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return change


@pytest.mark.parametrize(
    ("code", "change", "error", "words"),
    [
        ("CX-01", set_("domain", "aviation"), C.UNKNOWN_DOMAIN, "aviation"),
        ("CX-01", set_("penalty_kinds", ["warning", "fine", "flogging"]), C.UNKNOWN_PENALTY_KIND, "flogging"),
        ("CX-01", set_("parties", ["robot"]), C.UNKNOWN_PARTY, "robot"),
        ("CX-01", set_("fines.0.kind", "per_axle"), C.UNKNOWN_FINE_KIND, "per_axle"),
        ("CX-01", set_("tiers.0.when", {"overload_kg": {"max": 1500}}), C.TIER_OVERLAP, "1001"),
        ("CX-01", set_("tiers.0.when", {"overload_kg": {"max": 900}}), C.TIER_GAP, "901"),
        ("CC-01", set_("tiers.2.when_any", [{"height_mm": {"min": 4502}}, {"width_mm": {"min": 3751}},
                                            {"length_mm": {"min": 28001}}]), C.TIER_GAP, "4501"),
        ("DY-01", set_("tiers.1.fine.min_yuan", 3000), C.FINE_RANGE, "3000"),
        ("DY-01", set_("fines.0.max_yuan", 100), C.FINE_RANGE, "下限"),
        ("DY-01", set_("tiers.0.fine.min_yuan", -200), C.NEGATIVE, "负数"),
        ("DY-01", set_("penalty_basis.0.article", " "), C.MISSING_ARTICLE, "article"),
        ("DY-01", drop("penalty_basis.0.article"), C.MISSING_ARTICLE, "article"),
        ("DY-01", set_("penalty_basis", []), C.MISSING_ARTICLE, "处罚依据"),
        ("DY-01", set_("effective_from", "2022-02-30"), C.BAD_DATE, "2022-02-30"),
        ("DY-01", set_("effective_from", "1 May 2022"), C.BAD_DATE, "YYYY-MM-DD"),
        ("DY-01", set_("code", "KY-01"), C.BAD_CODE, "DY-"),
        ("DY-01", set_("code", "dy-1"), C.BAD_CODE, "CX-01"),
        ("DY-01", set_("penalty_kind", ["fine"]), C.UNKNOWN_FIELD, "penalty_kind"),
        ("DY-01", drop("verified"), C.MISSING_FIELD, "verified"),
        ("DY-01", set_("tiers.0.when", {"repeat_12m": {"min": 2, "max": 1}}), C.INCONSISTENT, "自相矛盾"),
        ("DY-01", set_("tiers.0.when", {"repeats": {"max": 0}}), C.UNKNOWN_FACT, "repeats"),
        ("DY-01", set_("tiers.0.penalties", ["fine", "licence_revocation"]), C.INCONSISTENT, "吊销许可证件"),
        ("DY-01", drop("tiers.0.fine"), C.INCONSISTENT, "fine"),
        ("WY-04", set_("tiers.1.when", {"serious": False}), C.TIER_OVERLAP, "同时适用"),
        ("CX-02", set_("tiers.1.when_any", [{"forced_through": True, "endangered": False,
                                             "repeat_12m": {"min": 0, "max": 0}}]), C.TIER_GAP, "没有适用"),
        ("SL-02", set_("first_violation_exemption.when", {"corrected": "yes"}), C.FORMAT, "true 或 false"),
    ],
)  # fmt: skip
def test_bad_documents_are_refused_with_a_code_and_a_chinese_reason(code, change, error, words):
    with pytest.raises(v.CatalogueFormatError) as refused:
        v.parse_catalogue(mutate(code, change))
    assert refused.value.code is error
    message = refused.value.message
    assert words in message and ("事项" in message or message.startswith("第 1 项"))  # says where


def test_a_tier_that_can_never_apply_and_duplicate_versions_are_refused():
    doc = seed_document("CX-04")  # applies from the 4th time in a year: a tier for "3 times" is dead
    dead = copy.deepcopy(doc["items"][0]["tiers"][0])
    dead.update(code="third", name="第三次", when={"vehicle_overloads_12m": {"max": 3}})
    doc["items"][0]["tiers"].append(dead)
    with pytest.raises(v.CatalogueFormatError) as unreachable:
        v.parse_catalogue(doc)
    assert (
        unreachable.value.code is C.INCONSISTENT and "“第三次”的条件永远不会满足" in unreachable.value.message
    )
    twice = {"items": [v.to_document(item("DY-01")), v.to_document(item("DY-01"))]}
    with pytest.raises(v.CatalogueFormatError) as duplicate:
        v.parse_catalogue(twice)
    assert duplicate.value.code is C.DUPLICATE


# --- Property tests ---------------------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def parse_or_refuse(document: object) -> None:
    try:
        v.parse_catalogue(document)
    except v.CatalogueFormatError as e:
        assert e.message and e.code in C


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_random_documents_never_crash_the_parser(document):
    parse_or_refuse(document)
    parse_or_refuse({"items": [document]})


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found += paths(child, (*prefix, key))
    return found


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SEED)), st.data())
def test_damaged_seed_items_are_accepted_or_refused_never_crash(code, data):
    entry = v.to_document(item(code))
    target = data.draw(st.sampled_from(paths(entry)))
    parent: Any = entry
    for key in target[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[target[-1]]
    else:
        parent[target[-1]] = data.draw(JSON)
    parse_or_refuse({"items": [entry]})


def facts_for(it: v.Item) -> st.SearchStrategy[dict[str, Any]]:
    def one(fact: v.Fact) -> st.SearchStrategy[Any]:
        if fact.type is v.FactType.BOOL:
            return st.booleans()
        if fact.type is v.FactType.CHOICE:
            return st.sampled_from([value for value, _ in fact.choices])
        return st.integers(fact.min, fact.max if fact.max is not None else fact.min + 200_000)

    return st.fixed_dictionaries({f.key: one(f) for f in it.facts})


@settings(max_examples=300)
@given(st.sampled_from(sorted(SEED)).flatmap(lambda code: st.tuples(st.just(code), facts_for(item(code)))))
def test_any_facts_within_their_ranges_select_exactly_one_tier(case):
    code, facts = case
    tier = v.select_tier(item(code), facts)
    assert sum(t.selector.matches(facts) for t in item(code).tiers) == 1
    for party in item(code).parties:
        bounds = v.fine_bounds(item(code), tier, party, facts)
        assert bounds is None or 0 <= bounds[0] <= bounds[1]


@given(st.integers(1001, 10**7))
def test_the_overload_fine_is_500_per_whole_tonne_and_never_above_30000(kg):
    overload = item("CX-01")
    low, high = v.fine_bounds(overload, overload.tier("per_tonne"), "person", {"overload_kg": kg}) or (0, 0)
    assert low == high == min(500 * (kg // 1000), 30000)
