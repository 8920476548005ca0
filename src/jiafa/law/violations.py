"""The violation catalogue (违法行为库): each item's legal basis, the penalties the law allows, its discretion
tiers (裁量基准), whether it may be enforced non-site (非现场执法事项库) and its first-violation exemption
(首违不罚). The format of a catalogue document is described in data/violations/README.md.

Pure code: no database, no clock, no Django. `parse_catalogue` turns a document into `Item`s or refuses it
with a `CatalogueFormatError` naming the item and the field; `select_tier` picks the tier the facts fall in;
`check_penalty` refuses a proposed penalty the tier or the law does not allow, citing the article.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from itertools import product
from typing import Any, ClassVar, Protocol

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.ruledata import DataFormatError

FactValue = int | bool | str
Facts = Mapping[str, FactValue]


class Domain(StrEnum):
    OVERLOAD = "overload"
    DIMENSION = "dimension"
    ROAD_TRANSPORT = "road_transport"
    PASSENGER = "passenger"
    HAZARDOUS_GOODS = "hazardous_goods"
    WATERWAY = "waterway"
    PORT = "port"
    MUCK = "muck"
    RIDE_HAILING = "ride_hailing"


# Label, and the prefix every item code of the domain carries ("CX-01").
DOMAINS: dict[Domain, tuple[str, str]] = {
    Domain.OVERLOAD: ("公路治超", "CX"),
    Domain.DIMENSION: ("车货外廓尺寸超限", "CC"),
    Domain.ROAD_TRANSPORT: ("道路运输", "DY"),
    Domain.PASSENGER: ("道路客运与两客一危", "KY"),
    Domain.HAZARDOUS_GOODS: ("道路危险货物运输", "WH"),
    Domain.WATERWAY: ("水上交通", "SL"),
    Domain.PORT: ("港口", "GK"),
    Domain.MUCK: ("渣土（建筑垃圾）运输", "ZT"),
    Domain.RIDE_HAILING: ("网络预约出租汽车", "WY"),
}


class Party(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


PARTY_LABELS = {Party.PERSON: "自然人", Party.ORGANISATION: "法人或其他组织"}


class PenaltyKind(StrEnum):
    """The kinds of administrative penalty of 行政处罚法 Art. 9 a transport bureau may impose."""

    WARNING = "warning"
    PUBLIC_CRITICISM = "public_criticism"
    FINE = "fine"
    CONFISCATION_OF_ILLEGAL_GAINS = "confiscation_of_illegal_gains"
    CONFISCATION_OF_ILLEGAL_PROPERTY = "confiscation_of_illegal_property"
    LICENCE_SUSPENSION = "licence_suspension"
    QUALIFICATION_DOWNGRADE = "qualification_downgrade"
    LICENCE_REVOCATION = "licence_revocation"
    BUSINESS_RESTRICTION = "business_restriction"
    SUSPENSION_ORDER = "suspension_order"
    CLOSURE_ORDER = "closure_order"
    PRACTICE_RESTRICTION = "practice_restriction"


PENALTY_LABELS = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.PUBLIC_CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATION_OF_ILLEGAL_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATION_OF_ILLEGAL_PROPERTY: "没收非法财物",
    PenaltyKind.LICENCE_SUSPENSION: "暂扣许可证件",
    PenaltyKind.QUALIFICATION_DOWNGRADE: "降低资质等级",
    PenaltyKind.LICENCE_REVOCATION: "吊销许可证件",
    PenaltyKind.BUSINESS_RESTRICTION: "限制开展生产经营活动",
    PenaltyKind.SUSPENSION_ORDER: "责令停产停业（停业整顿）",
    PenaltyKind.CLOSURE_ORDER: "责令关闭",
    PenaltyKind.PRACTICE_RESTRICTION: "限制从业",
}


class FactType(StrEnum):
    INT = "int"
    BOOL = "bool"
    CHOICE = "choice"


class CatalogueErrorCode(StrEnum):
    FORMAT = "format"
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_DOMAIN = "unknown_domain"
    UNKNOWN_PENALTY_KIND = "unknown_penalty_kind"
    UNKNOWN_PARTY = "unknown_party"
    UNKNOWN_FINE_KIND = "unknown_fine_kind"
    UNKNOWN_FACT = "unknown_fact"
    BAD_CODE = "bad_code"
    DUPLICATE = "duplicate"
    MISSING_ARTICLE = "missing_article"
    BAD_DATE = "bad_date"
    NEGATIVE = "negative"
    FINE_RANGE = "fine_range"
    INCONSISTENT = "inconsistent"
    TIER_OVERLAP = "tier_overlap"
    TIER_GAP = "tier_gap"
    TOO_COMPLEX = "too_complex"


class CatalogueFormatError(DataFormatError):
    """A catalogue document that can't be trusted; `message` (Chinese) names the item and the field to fix."""


# --- Provisions and facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provision:
    law: str
    article: str

    def as_dict(self) -> dict[str, str]:
        return {"law": self.law, "article": self.article}

    def cite(self) -> str:
        return f"《{self.law}》{self.article}"


def cite(provisions: Iterable[Provision]) -> str:
    return "；".join(p.cite() for p in provisions)


@dataclass(frozen=True)
class Fact:
    """A fact the officer or a detector supplies for this item (超限重量, 近12个月同类违法次数 …)."""

    key: str
    label: str
    type: FactType
    unit: str = ""
    min: int = 0
    max: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, Chinese label)

    def show(self, value: FactValue) -> str:
        if self.type is FactType.BOOL:
            return f"{self.label}：{'是' if value else '否'}"
        if self.type is FactType.CHOICE:
            return f"{self.label}：{dict(self.choices).get(str(value), value)}"
        return f"{self.label}：{value}{self.unit}"


# --- Conditions and selectors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IntRange:
    min: int | None = None
    max: int | None = None

    def matches(self, value: FactValue) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def starts(self) -> set[int]:
        """Where the condition's truth can change: each point starts a stretch on which it is constant."""
        return {v for v in (self.min, None if self.max is None else self.max + 1) if v is not None}

    def to_document(self) -> dict[str, int]:
        return {k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None}


@dataclass(frozen=True)
class IsTrue:
    value: bool

    def matches(self, value: FactValue) -> bool:
        return value is self.value

    def to_document(self) -> bool:
        return self.value


@dataclass(frozen=True)
class OneOf:
    values: frozenset[str]

    def matches(self, value: FactValue) -> bool:
        return value in self.values

    def to_document(self) -> list[str]:
        return sorted(self.values)


Condition = IntRange | IsTrue | OneOf
Group = tuple[tuple[str, Condition], ...]  # all must hold (sorted by key)


@dataclass(frozen=True)
class Selector:
    """Machine-checkable conditions on facts: any of the groups, each a conjunction of conditions."""

    groups: tuple[Group, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for group in self.groups for key, _ in group)

    def matches(self, facts: Mapping[str, FactValue]) -> bool:
        return any(all(cond.matches(facts[key]) for key, cond in group) for group in self.groups)

    def to_document(self) -> dict[str, Any]:
        docs = [{key: cond.to_document() for key, cond in group} for group in self.groups]
        return {"when": docs[0]} if len(docs) == 1 else {"when_any": docs}


ALWAYS = Selector(((),))


# --- Fines ------------------------------------------------------------------------------------------------


class FineKind(StrEnum):
    RANGE = "range"
    FIXED = "fixed"
    PER_1000KG_OVER = "per_1000kg_over"
    MULTIPLE_OF_ILLEGAL_GAINS = "multiple_of_illegal_gains"


class FineRule(Protocol):
    kind: ClassVar[FineKind]
    fact_key: ClassVar[str | None]  # the fact a formula needs

    def bounds(self, facts: Mapping[str, FactValue]) -> tuple[int, int]: ...
    def describe(self) -> str: ...
    def fits_within(self, outer: FineRule) -> bool: ...
    def to_document(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class RangeFine:
    """罚款 min_yuan 元以上 max_yuan 元以下; min_yuan 0 for "…元以下"."""

    min_yuan: int
    max_yuan: int
    kind: ClassVar[FineKind] = FineKind.RANGE
    fact_key: ClassVar[str | None] = None

    def bounds(self, facts: Mapping[str, FactValue]) -> tuple[int, int]:
        return max(self.min_yuan, 1), self.max_yuan

    def describe(self) -> str:
        if self.min_yuan == 0:
            return f"{self.max_yuan}元以下"
        return f"{self.min_yuan}元以上{self.max_yuan}元以下"

    def fits_within(self, outer: FineRule) -> bool:
        return (
            isinstance(outer, RangeFine)
            and outer.min_yuan <= self.min_yuan <= self.max_yuan <= outer.max_yuan
        )

    def to_document(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "min_yuan": self.min_yuan, "max_yuan": self.max_yuan}


@dataclass(frozen=True)
class FixedFine:
    yuan: int
    kind: ClassVar[FineKind] = FineKind.FIXED
    fact_key: ClassVar[str | None] = None

    def bounds(self, facts: Mapping[str, FactValue]) -> tuple[int, int]:
        return self.yuan, self.yuan

    def describe(self) -> str:
        return f"{self.yuan}元"

    def fits_within(self, outer: FineRule) -> bool:
        if isinstance(outer, FixedFine):
            return outer.yuan == self.yuan
        return isinstance(outer, RangeFine) and outer.min_yuan <= self.yuan <= outer.max_yuan

    def to_document(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "yuan": self.yuan}


@dataclass(frozen=True)
class PerTonneFine:
    """每超1000千克罚款 yuan_per_1000kg 元，最高 max_yuan 元 (超限规定 Art. 43). Whether a part-tonne
    counts is not stated by the law: `rounding` says floor (default) or ceil."""

    yuan_per_1000kg: int
    max_yuan: int
    rounding: str = "floor"
    kind: ClassVar[FineKind] = FineKind.PER_1000KG_OVER
    fact_key: ClassVar[str | None] = "overload_kg"

    def bounds(self, facts: Mapping[str, FactValue]) -> tuple[int, int]:
        kg = int(facts["overload_kg"])
        tonnes = math.ceil(kg / 1000) if self.rounding == "ceil" else kg // 1000
        amount = min(tonnes * self.yuan_per_1000kg, self.max_yuan)
        return amount, amount

    def describe(self) -> str:
        part = "不足1000千克的部分按1000千克计" if self.rounding == "ceil" else "不足1000千克的部分不计"
        return f"每超1000千克罚款{self.yuan_per_1000kg}元，最高{self.max_yuan}元（{part}）"

    def fits_within(self, outer: FineRule) -> bool:
        return (
            isinstance(outer, PerTonneFine)
            and outer.yuan_per_1000kg == self.yuan_per_1000kg
            and outer.rounding == self.rounding
            and self.max_yuan <= outer.max_yuan
        )

    def to_document(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "yuan_per_1000kg": self.yuan_per_1000kg,
            "max_yuan": self.max_yuan,
            "rounding": self.rounding,
        }


@dataclass(frozen=True)
class GainsMultipleFine:
    """处违法所得 min_multiple 倍以上 max_multiple 倍以下的罚款."""

    min_multiple: int
    max_multiple: int
    kind: ClassVar[FineKind] = FineKind.MULTIPLE_OF_ILLEGAL_GAINS
    fact_key: ClassVar[str | None] = "illegal_gains_yuan"

    def bounds(self, facts: Mapping[str, FactValue]) -> tuple[int, int]:
        gains = int(facts["illegal_gains_yuan"])
        return self.min_multiple * gains, self.max_multiple * gains

    def describe(self) -> str:
        return f"违法所得{self.min_multiple}倍以上{self.max_multiple}倍以下"

    def fits_within(self, outer: FineRule) -> bool:
        return (
            isinstance(outer, GainsMultipleFine)
            and outer.min_multiple <= self.min_multiple <= self.max_multiple <= outer.max_multiple
        )

    def to_document(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "min_multiple": self.min_multiple, "max_multiple": self.max_multiple}


@dataclass(frozen=True)
class StatutoryFine:
    """One fine the law allows for the item, for one party kind or (None) for every party."""

    rule: FineRule
    party: Party | None = None

    def to_document(self) -> dict[str, Any]:
        doc = self.rule.to_document()
        return doc if self.party is None else {**doc, "party": self.party.value}


# --- Tiers and items --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    """A discretion tier (裁量阶次): the facts it covers and the penalties it imposes."""

    code: str
    name: str  # 轻微 / 一般 / 较重 / 严重 …
    description: str
    selector: Selector
    penalties: frozenset[PenaltyKind]  # must all be imposed
    optional_penalties: frozenset[PenaltyKind]  # may be added
    fines: tuple[tuple[Party, FineRule], ...]  # by party; empty when the tier imposes no fine
    penalty_zh: str = ""

    def fine_for(self, party: Party) -> FineRule | None:
        return dict(self.fines).get(party)

    @property
    def allowed_kinds(self) -> frozenset[PenaltyKind]:
        return self.penalties | self.optional_penalties


@dataclass(frozen=True)
class Exemption:
    """首违不罚 (行政处罚法 Art. 33(1)): whether the item allows it, and on which facts."""

    allowed: bool
    conditions_zh: str = ""
    selector: Selector | None = None
    commitment_letter: bool = False  # 承诺书 required


NO_EXEMPTION = Exemption(allowed=False)


@dataclass(frozen=True)
class Item:
    code: str
    effective_from: date
    name: str
    domain: Domain
    violated: tuple[Provision, ...]
    penalty_basis: tuple[Provision, ...]
    penalty_zh: str
    parties: frozenset[Party]
    penalty_kinds: frozenset[PenaltyKind]
    fines: tuple[StatutoryFine, ...]
    facts: tuple[Fact, ...]
    tiers: tuple[Tier, ...]
    non_site: bool
    first_violation_exemption: Exemption
    verified: bool
    handover_to: str = ""  # the authority that punishes instead of the transport bureau (移送)
    note: str = ""

    @property
    def basis(self) -> list[dict[str, str]]:
        """Violated provisions, then penalty provisions: what a document cites."""
        return [p.as_dict() for p in (*self.violated, *self.penalty_basis)]

    @property
    def tier_fact_keys(self) -> frozenset[str]:
        return frozenset(key for tier in self.tiers for key in tier.selector.keys)

    def fact(self, key: str) -> Fact:
        return next(f for f in self.facts if f.key == key)

    def tier(self, code: str) -> Tier:
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise JiafaError(ErrorCode.INVALID_INPUT, f"{self.code} 没有编号为“{code}”的裁量阶次")


# --- Using an item ----------------------------------------------------------------------------------------


def select_tier(item: Item, facts: Facts) -> Tier:
    """The one tier whose conditions the facts meet. Facts beyond the tiers' keys are ignored."""
    values = _checked_facts(item, item.tier_fact_keys, facts)
    matched = [tier for tier in item.tiers if tier.selector.matches(values)]
    if len(matched) != 1:  # parse_catalogue proved every combination falls in exactly one tier
        shown = "，".join(item.fact(k).show(v) for k, v in sorted(values.items()))
        raise JiafaError(
            ErrorCode.VIOLATION_FACTS_INVALID, f"{item.code} 没有与事实（{shown}）相符的裁量阶次"
        )
    return matched[0]


def first_violation_exemption_allowed(item: Item, facts: Facts) -> bool:
    """Whether the facts meet the item's 首违不罚 conditions; False when the item allows no exemption."""
    exemption = item.first_violation_exemption
    if not exemption.allowed or exemption.selector is None:
        return False
    values = _checked_facts(item, exemption.selector.keys, facts)
    return exemption.selector.matches(values)


def fine_bounds(
    item: Item, tier: Tier, party_kind: str, facts: Facts | None = None
) -> tuple[int, int] | None:
    """The lowest and highest fine the tier allows this party (None: the tier imposes no fine on it).
    A formula fine (per 1000 kg, multiple of illegal gains) needs its fact."""
    if not _is_member(Party, party_kind):
        raise JiafaError(ErrorCode.INVALID_INPUT, f"当事人类型“{party_kind}”无效")
    rule = tier.fine_for(Party(party_kind))
    if rule is None:
        return None
    if rule.fact_key is None:
        return rule.bounds({})
    if facts is None or rule.fact_key not in facts:
        label = item.fact(rule.fact_key).label
        raise JiafaError(
            ErrorCode.VIOLATION_FACTS_INVALID,
            f"“{tier.name}”阶次的罚款按{label}计算（{rule.describe()}），请提供{label}",
        )
    return rule.bounds(_checked_facts(item, {rule.fact_key}, facts))


def check_penalty(
    item: Item,
    tier: Tier,
    *,
    party_kind: str,
    kinds: set[str],
    fine_yuan: int,
    facts: Facts | None = None,
) -> None:
    """Refuse (JiafaError `penalty_not_allowed`, in Chinese, citing the article) a penalty the law or the tier
    does not allow. `facts` are needed only when the tier's fine is a formula."""

    def refuse(message: str) -> JiafaError:
        return JiafaError(ErrorCode.PENALTY_NOT_ALLOWED, f"{message}；依据：{cite(item.penalty_basis)}")

    if item.handover_to:
        raise refuse(f"“{item.name}”由{item.handover_to}实施处罚，本机关应当移送")
    if tier not in item.tiers:
        raise refuse(f"“{tier.name}”不是 {item.code} 的裁量阶次")
    if not _is_member(Party, party_kind) or Party(party_kind) not in item.parties:
        allowed = "、".join(PARTY_LABELS[p] for p in sorted(item.parties))
        raise refuse(f"“{item.name}”的处罚对象为{allowed}，不适用于当事人类型“{party_kind}”")
    unknown = sorted(str(k) for k in kinds if not _is_member(PenaltyKind, k))
    if unknown:
        raise refuse(f"不认识的处罚种类：{'、'.join(unknown)}")
    proposed = {PenaltyKind(k) for k in kinds}
    if not proposed:
        raise refuse("未提出任何处罚种类")
    beyond_law = proposed - item.penalty_kinds
    if beyond_law:
        raise refuse(
            f"“{item.name}”依法不能给予{_labels(beyond_law)}（可给予：{_labels(item.penalty_kinds) or '无'}）"
        )
    beyond_tier = proposed - tier.allowed_kinds
    if beyond_tier:
        raise refuse(
            f"“{tier.name}”阶次不包括{_labels(beyond_tier)}（本阶次：{_labels(tier.allowed_kinds) or '无'}）"
        )
    missing = tier.penalties - proposed
    if missing:
        raise refuse(f"“{tier.name}”阶次应当给予{_labels(missing)}")
    if fine_yuan < 0:
        raise refuse(f"罚款数额不能为负数（{fine_yuan}元）")
    if PenaltyKind.FINE not in proposed:
        if fine_yuan:
            raise refuse(f"未给予罚款却填写了罚款数额 {fine_yuan} 元")
        return
    bounds = fine_bounds(item, tier, party_kind, facts)
    rule = tier.fine_for(Party(party_kind))
    if bounds is None or rule is None:
        raise refuse(f"“{tier.name}”阶次对{PARTY_LABELS[Party(party_kind)]}不处罚款")
    low, high = bounds
    if not low <= fine_yuan <= high or fine_yuan == 0:
        amount = f"{low}元" if low == high else f"{low}元至{high}元"
        raise refuse(
            f"罚款 {fine_yuan} 元不在“{tier.name}”阶次的幅度内（{rule.describe()}，本案应为{amount}）"
        )


def _labels(kinds: Iterable[PenaltyKind]) -> str:
    return "、".join(PENALTY_LABELS[k] for k in sorted(kinds))


def _checked_facts(item: Item, keys: Iterable[str], facts: Facts) -> dict[str, FactValue]:
    values: dict[str, FactValue] = {}
    for key in sorted(keys):
        fact = item.fact(key)
        if key not in facts:
            raise JiafaError(
                ErrorCode.VIOLATION_FACTS_INVALID, f"{item.code} 缺少事实“{fact.label}”（{key}）"
            )
        value = facts[key]
        problem = _fact_problem(fact, value)
        if problem:
            raise JiafaError(ErrorCode.VIOLATION_FACTS_INVALID, f"{item.code} 事实“{fact.label}”{problem}")
        values[key] = value
    return values


def _fact_problem(fact: Fact, value: object) -> str:
    if fact.type is FactType.BOOL:
        return "" if isinstance(value, bool) else "应为是或否"
    if fact.type is FactType.CHOICE:
        options = dict(fact.choices)
        return "" if isinstance(value, str) and value in options else f"应为{'、'.join(options)}之一"
    if not isinstance(value, int) or isinstance(value, bool):
        return "应为整数"
    if value < fact.min:
        return f"不能小于{fact.min}{fact.unit}（所给 {value}）"
    if fact.max is not None and value > fact.max:
        return f"不能大于{fact.max}{fact.unit}（所给 {value}）"
    return ""


# --- Parsing ----------------------------------------------------------------------------------------------

CODE = re.compile(r"[A-Z]{2}-\d{2,3}")
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Fact combinations checked for overlaps and gaps; more means the tiers are too tangled to review anyway.
MAX_COMBINATIONS = 4096
_ABSENT = object()


def parse_catalogue(document: object) -> list[Item]:
    """One catalogue document (a file): {"domain"?, "source"?, "items": [...]}. All or nothing."""
    top = _Obj(document, "文件")
    default_domain = top.text("domain", required=False)
    top.text("source", required=False)
    entries = top.array("items")
    top.finish()
    if not entries:
        raise CatalogueFormatError(CatalogueErrorCode.MISSING_FIELD, "文件：items 不能为空")
    items, seen = [], set()
    for i, entry in enumerate(entries):
        item = parse_item(entry, where=f"第 {i + 1} 项", default_domain=default_domain)
        key = (item.code, item.effective_from)
        if key in seen:
            raise CatalogueFormatError(
                CatalogueErrorCode.DUPLICATE,
                f"事项 {item.code}：施行日期 {item.effective_from} 的版本重复出现",
            )
        seen.add(key)
        items.append(item)
    return items


def parse_item(entry: object, *, where: str = "事项", default_domain: str = "") -> Item:
    o = _Obj(entry, where)
    code = o.text("code")
    if not CODE.fullmatch(code):
        raise CatalogueFormatError(
            CatalogueErrorCode.BAD_CODE, f"{where}：编号“{code}”应为两个大写字母-两位数字，如 CX-01"
        )
    o.where = where = f"事项 {code}"
    domain = _enum(Domain, o.text("domain", required=not default_domain) or default_domain, where, "领域")
    if default_domain and domain != default_domain:
        raise CatalogueFormatError(
            CatalogueErrorCode.UNKNOWN_DOMAIN, f"{where}：领域 {domain} 与文件的领域 {default_domain} 不一致"
        )
    prefix = DOMAINS[domain][1]
    if not code.startswith(prefix + "-"):
        raise CatalogueFormatError(
            CatalogueErrorCode.BAD_CODE, f"{where}：{DOMAINS[domain][0]}领域的编号应以 {prefix}- 开头"
        )
    facts = _facts(o.obj("facts", required=False), where)
    parties = frozenset(
        _enum(Party, p, where, "处罚对象") for p in _strings(o.array("parties"), where, "parties")
    )
    if not parties:
        raise CatalogueFormatError(CatalogueErrorCode.MISSING_FIELD, f"{where}：parties 不能为空")
    kinds = frozenset(_kinds(o.array("penalty_kinds"), where))
    fines = tuple(
        _statutory_fine(f, f"{where} 法定罚款第 {i + 1} 项", facts) for i, f in enumerate(o.array("fines"))
    )
    item = Item(
        code=code,
        effective_from=_day(o.text("effective_from"), where),
        name=o.text("name"),
        domain=domain,
        violated=_provisions(o.array("violated"), f"{where} 违反条款"),
        penalty_basis=_provisions(o.array("penalty_basis"), f"{where} 处罚依据"),
        penalty_zh=o.text("penalty_zh"),
        parties=parties,
        penalty_kinds=kinds,
        fines=fines,
        facts=tuple(facts.values()),
        tiers=(),
        non_site=o.flag("non_site"),
        first_violation_exemption=NO_EXEMPTION,
        verified=o.flag("verified", required=True),
        handover_to=o.text("handover_to", required=False),
        note=o.text("note", required=False),
    )
    tier_entries = o.array("tiers")
    exemption = o.obj("first_violation_exemption", required=False)
    o.finish()
    _check_statutory_fines(item, where)
    tiers = tuple(_tier(t, f"{where} 第 {i + 1} 个裁量阶次", item) for i, t in enumerate(tier_entries))
    if not tiers:
        raise CatalogueFormatError(CatalogueErrorCode.MISSING_FIELD, f"{where}：至少要有一个裁量阶次")
    if len({t.code for t in tiers}) != len(tiers):
        raise CatalogueFormatError(CatalogueErrorCode.DUPLICATE, f"{where}：裁量阶次编号重复")
    _check_partition(tiers, facts, where)
    return replace(item, tiers=tiers, first_violation_exemption=_exemption(exemption, facts, where))


def to_document(item: Item) -> dict[str, Any]:
    """The canonical document of an item: `parse_item(to_document(item)) == item`; the database keeps it."""
    doc: dict[str, Any] = {
        "code": item.code,
        "effective_from": item.effective_from.isoformat(),
        "name": item.name,
        "domain": item.domain.value,
        "violated": [p.as_dict() for p in item.violated],
        "penalty_basis": [p.as_dict() for p in item.penalty_basis],
        "penalty_zh": item.penalty_zh,
        "parties": sorted(p.value for p in item.parties),
        "penalty_kinds": sorted(k.value for k in item.penalty_kinds),
        "fines": [f.to_document() for f in item.fines],
        "facts": {f.key: _fact_document(f) for f in item.facts},
        "tiers": [_tier_document(t) for t in item.tiers],
        "non_site": item.non_site,
        "verified": item.verified,
    }
    exemption = item.first_violation_exemption
    if exemption.allowed and exemption.selector is not None:
        doc["first_violation_exemption"] = {
            "allowed": True,
            "conditions_zh": exemption.conditions_zh,
            **exemption.selector.to_document(),
            "commitment_letter": exemption.commitment_letter,
        }
    if item.handover_to:
        doc["handover_to"] = item.handover_to
    if item.note:
        doc["note"] = item.note
    return doc


def canonical_json(item: Item) -> str:
    return json.dumps(to_document(item), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _fact_document(fact: Fact) -> dict[str, Any]:
    doc: dict[str, Any] = {"label": fact.label, "type": fact.type.value}
    if fact.unit:
        doc["unit"] = fact.unit
    if fact.type is FactType.INT:
        doc["min"] = fact.min
        if fact.max is not None:
            doc["max"] = fact.max
    if fact.type is FactType.CHOICE:
        doc["choices"] = dict(fact.choices)
    return doc


def _tier_document(tier: Tier) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": tier.code,
        "name": tier.name,
        "description": tier.description,
        **({} if tier.selector == ALWAYS else tier.selector.to_document()),
        "penalties": sorted(k.value for k in tier.penalties),
    }
    if tier.optional_penalties:
        doc["optional_penalties"] = sorted(k.value for k in tier.optional_penalties)
    rules = {rule for _, rule in tier.fines}
    if len(rules) == 1:
        doc["fine"] = next(iter(rules)).to_document()
    elif rules:
        doc["fine_by_party"] = {party.value: rule.to_document() for party, rule in tier.fines}
    if tier.penalty_zh:
        doc["penalty_zh"] = tier.penalty_zh
    return doc


class _Obj:
    """A JSON object being read: typed getters that say where a problem is, and a check for unknown fields."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{where}：应为对象（{{…}}）")
        self.data: dict[Any, Any] = value
        self.where = where
        self.read: set[str] = set()

    def _get(self, key: str, required: bool) -> Any:
        self.read.add(key)
        if key not in self.data:
            if required:
                raise CatalogueFormatError(CatalogueErrorCode.MISSING_FIELD, f"{self.where}：缺少 {key}")
            return _ABSENT
        return self.data[key]

    def text(self, key: str, *, required: bool = True) -> str:
        value = self._get(key, required)
        if value is _ABSENT:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{self.where}：{key} 应为非空文字")
        return value.strip()

    def integer(self, key: str, *, required: bool = True) -> int | None:
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{self.where}：{key} 应为整数")
        if value < 0:
            raise CatalogueFormatError(CatalogueErrorCode.NEGATIVE, f"{self.where}：{key} 不能为负数")
        return value

    def flag(self, key: str, *, required: bool = False) -> bool:
        value = self._get(key, required)
        if value is _ABSENT:
            return False
        if not isinstance(value, bool):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{self.where}：{key} 应为 true 或 false")
        return value

    def array(self, key: str, *, required: bool = True) -> list[Any]:
        value = self._get(key, required)
        if value is _ABSENT:
            return []
        if not isinstance(value, list):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{self.where}：{key} 应为列表（[…]）")
        return value

    def obj(self, key: str, *, required: bool = True) -> dict[Any, Any] | None:
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        if not isinstance(value, dict):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{self.where}：{key} 应为对象（{{…}}）")
        return value

    def raw(self, key: str) -> Any:
        return self._get(key, False)

    def finish(self) -> None:
        unknown = [str(k)[:40] for k in self.data if k not in self.read]
        if unknown:
            raise CatalogueFormatError(
                CatalogueErrorCode.UNKNOWN_FIELD, f"{self.where}：不认识的字段 {'、'.join(sorted(unknown))}"
            )


_UNKNOWN: dict[type[StrEnum], CatalogueErrorCode] = {
    Domain: CatalogueErrorCode.UNKNOWN_DOMAIN,
    Party: CatalogueErrorCode.UNKNOWN_PARTY,
    PenaltyKind: CatalogueErrorCode.UNKNOWN_PENALTY_KIND,
    FineKind: CatalogueErrorCode.UNKNOWN_FINE_KIND,
    FactType: CatalogueErrorCode.FORMAT,
}


def _is_member(enum: type[StrEnum], value: object) -> bool:
    return isinstance(value, str) and value in {m.value for m in enum}


def _enum(enum: type[Any], value: object, where: str, what: str) -> Any:
    if not _is_member(enum, value):
        options = "、".join(m.value for m in enum)
        raise CatalogueFormatError(
            _UNKNOWN[enum], f"{where}：不认识的{what}“{str(value)[:40]}”（可用：{options}）"
        )
    return enum(value)


def _strings(values: list[Any], where: str, key: str) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{where}：{key} 的每一项应为文字")
    return values


def _kinds(values: list[Any], where: str) -> list[PenaltyKind]:
    return [_enum(PenaltyKind, k, where, "处罚种类") for k in _strings(values, where, "处罚种类")]


def _day(text: str, where: str) -> date:
    try:
        if not DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as e:
        raise CatalogueFormatError(
            CatalogueErrorCode.BAD_DATE,
            f"{where}：effective_from 应为 YYYY-MM-DD 格式的日期（所给“{text[:20]}”）",
        ) from e


def _provisions(entries: list[Any], where: str) -> tuple[Provision, ...]:
    if not entries:
        raise CatalogueFormatError(CatalogueErrorCode.MISSING_ARTICLE, f"{where}：至少要有一个条款")
    provisions = []
    for i, entry in enumerate(entries):
        o = _Obj(entry, f"{where}第 {i + 1} 条")
        law = o.text("law")
        article = o.raw("article")
        o.finish()
        if not isinstance(article, str) or not article.strip():
            raise CatalogueFormatError(
                CatalogueErrorCode.MISSING_ARTICLE, f"{where}第 {i + 1} 条：缺少条款号 article"
            )
        provisions.append(Provision(law, article.strip()))
    return tuple(provisions)


def _facts(doc: dict[Any, Any] | None, where: str) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    # Sorted: PostgreSQL's jsonb does not keep key order, and a stored item must parse to the same Item.
    for key, decl in sorted((doc or {}).items(), key=lambda pair: str(pair[0])):
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise CatalogueFormatError(
                CatalogueErrorCode.FORMAT, f"{where}：事实名“{str(key)[:40]}”应为小写英文字母、数字和下划线"
            )
        o = _Obj(decl, f"{where} 事实 {key}")
        kind = _enum(FactType, o.text("type"), o.where, "事实类型")
        label, unit = o.text("label"), o.text("unit", required=False)
        low = o.integer("min", required=False) if kind is FactType.INT else None
        high = o.integer("max", required=False) if kind is FactType.INT else None
        choices = o.obj("choices") if kind is FactType.CHOICE else None
        o.finish()
        if low is not None and high is not None and low > high:
            raise CatalogueFormatError(CatalogueErrorCode.INCONSISTENT, f"{o.where}：min 大于 max")
        options: tuple[tuple[str, str], ...] = ()
        if choices is not None:
            if not choices or not all(isinstance(k, str) and isinstance(v, str) for k, v in choices.items()):
                raise CatalogueFormatError(
                    CatalogueErrorCode.FORMAT, f"{o.where}：choices 应为非空的 {{值: 中文名}}"
                )
            options = tuple(sorted(choices.items()))
        facts[key] = Fact(key, label, kind, unit, low or 0, high, options)
    return facts


def _fine_rule(
    doc: object, where: str, facts: Mapping[str, Fact], *, party_allowed: bool
) -> tuple[FineRule, str]:
    o = _Obj(doc, where)
    kind = _enum(FineKind, o.text("kind"), where, "罚款方式")
    party = o.text("party", required=False) if party_allowed else ""
    rule: FineRule
    if kind is FineKind.RANGE:
        low, high = o.integer("min_yuan"), o.integer("max_yuan")
        assert low is not None and high is not None
        if low > high:
            raise CatalogueFormatError(
                CatalogueErrorCode.FINE_RANGE, f"{where}：罚款下限 {low} 元大于上限 {high} 元"
            )
        if high == 0:
            raise CatalogueFormatError(CatalogueErrorCode.FINE_RANGE, f"{where}：罚款上限不能为 0")
        rule = RangeFine(low, high)
    elif kind is FineKind.FIXED:
        yuan = o.integer("yuan")
        if not yuan:
            raise CatalogueFormatError(CatalogueErrorCode.FINE_RANGE, f"{where}：固定罚款数额应大于 0")
        rule = FixedFine(yuan)
    elif kind is FineKind.PER_1000KG_OVER:
        per, cap = o.integer("yuan_per_1000kg"), o.integer("max_yuan")
        rounding = o.text("rounding", required=False) or "floor"
        if rounding not in ("floor", "ceil"):
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{where}：rounding 应为 floor 或 ceil")
        if not per or not cap:
            raise CatalogueFormatError(CatalogueErrorCode.FINE_RANGE, f"{where}：每吨罚款和最高罚款应大于 0")
        rule = PerTonneFine(per, cap, rounding)
    else:
        low, high = o.integer("min_multiple"), o.integer("max_multiple")
        assert low is not None and high is not None
        if not 0 < low <= high:
            raise CatalogueFormatError(CatalogueErrorCode.FINE_RANGE, f"{where}：倍数应满足 0 < 下限 ≤ 上限")
        rule = GainsMultipleFine(low, high)
    o.finish()
    if rule.fact_key is not None:
        fact = facts.get(rule.fact_key)
        if fact is None or fact.type is not FactType.INT:
            raise CatalogueFormatError(
                CatalogueErrorCode.UNKNOWN_FACT, f"{where}：按公式计算的罚款需要声明整数事实 {rule.fact_key}"
            )
    return rule, party


def _statutory_fine(doc: object, where: str, facts: Mapping[str, Fact]) -> StatutoryFine:
    rule, party = _fine_rule(doc, where, facts, party_allowed=True)
    return StatutoryFine(rule, _enum(Party, party, where, "处罚对象") if party else None)


def _check_statutory_fines(item: Item, where: str) -> None:
    if (PenaltyKind.FINE in item.penalty_kinds) != bool(item.fines):
        raise CatalogueFormatError(
            CatalogueErrorCode.INCONSISTENT,
            f"{where}：penalty_kinds 含罚款时必须写明法定罚款 fines，反之亦然",
        )
    for fine in item.fines:
        if fine.party is not None and fine.party not in item.parties:
            raise CatalogueFormatError(
                CatalogueErrorCode.INCONSISTENT,
                f"{where}：法定罚款针对的{PARTY_LABELS[fine.party]}不在处罚对象中",
            )


def _tier(doc: object, where: str, item: Item) -> Tier:
    o = _Obj(doc, where)
    code = o.text("code")
    if not KEY.fullmatch(code):
        raise CatalogueFormatError(
            CatalogueErrorCode.BAD_CODE, f"{where}：阶次编号应为小写英文字母、数字和下划线"
        )
    facts = {f.key: f for f in item.facts}
    selector = _selector(o, where, facts) or ALWAYS
    penalties = frozenset(_kinds(o.array("penalties"), where))
    optional = frozenset(_kinds(o.array("optional_penalties", required=False), where))
    fine_doc, by_party = o.raw("fine"), o.obj("fine_by_party", required=False)
    tier_name, description, penalty_zh = (
        o.text("name"),
        o.text("description"),
        o.text("penalty_zh", required=False),
    )
    o.finish()
    beyond = (penalties | optional) - item.penalty_kinds
    if beyond:
        raise CatalogueFormatError(
            CatalogueErrorCode.INCONSISTENT,
            f"{where}：处罚种类 {_labels(beyond)} 不在该事项依法可给予的种类中",
        )
    if penalties & optional:
        raise CatalogueFormatError(CatalogueErrorCode.INCONSISTENT, f"{where}：同一处罚种类不能既必须又可选")
    fines = _tier_fines(fine_doc, by_party, where, item)
    if (PenaltyKind.FINE in penalties | optional) != bool(fines):
        raise CatalogueFormatError(
            CatalogueErrorCode.INCONSISTENT, f"{where}：含罚款的阶次必须写明 fine 或 fine_by_party，反之亦然"
        )
    return Tier(code, tier_name, description, selector, penalties, optional, fines, penalty_zh)


def _tier_fines(
    fine_doc: object, by_party: dict[Any, Any] | None, where: str, item: Item
) -> tuple[tuple[Party, FineRule], ...]:
    facts = {f.key: f for f in item.facts}
    if fine_doc is not _ABSENT and by_party is not None:
        raise CatalogueFormatError(
            CatalogueErrorCode.INCONSISTENT, f"{where}：fine 与 fine_by_party 只能写一个"
        )
    if fine_doc is not _ABSENT:
        rule, _ = _fine_rule(fine_doc, f"{where} 罚款", facts, party_allowed=False)
        rules = {party: rule for party in item.parties}
    elif by_party is not None:
        rules = {}
        for key, doc in by_party.items():
            party = _enum(Party, key, where, "处罚对象")
            rules[party], _ = _fine_rule(
                doc, f"{where} 对{PARTY_LABELS[party]}的罚款", facts, party_allowed=False
            )
        if set(rules) != item.parties:
            raise CatalogueFormatError(
                CatalogueErrorCode.INCONSISTENT, f"{where}：fine_by_party 应对每一种处罚对象各写一项"
            )
    else:
        return ()
    for party, rule in rules.items():
        statutory = [f.rule for f in item.fines if f.party in (None, party)]
        if not any(rule.fits_within(outer) for outer in statutory):
            allowed = "；".join(r.describe() for r in statutory) or "无"
            raise CatalogueFormatError(
                CatalogueErrorCode.FINE_RANGE,
                f"{where}：对{PARTY_LABELS[party]}的罚款（{rule.describe()}）超出法定幅度（{allowed}）",
            )
    return tuple(sorted(rules.items(), key=lambda pr: pr[0]))


def _selector(o: _Obj, where: str, facts: Mapping[str, Fact]) -> Selector | None:
    one, anyof = o.obj("when", required=False), o.array("when_any", required=False)
    if one is not None and anyof:
        raise CatalogueFormatError(CatalogueErrorCode.INCONSISTENT, f"{where}：when 与 when_any 只能写一个")
    docs = [one] if one is not None else anyof
    if not docs:
        return None
    groups = []
    for doc in docs:
        if not isinstance(doc, dict) or not doc:
            raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{where}：条件应为非空对象 {{事实: 条件}}")
        conditions = (_condition(key, cond, where, facts) for key, cond in doc.items())
        groups.append(tuple(sorted(conditions, key=lambda kv: kv[0])))
    return Selector(tuple(groups))


def _condition(key: object, doc: object, where: str, facts: Mapping[str, Fact]) -> tuple[str, Condition]:
    fact = facts.get(key) if isinstance(key, str) else None
    if fact is None:
        raise CatalogueFormatError(
            CatalogueErrorCode.UNKNOWN_FACT, f"{where}：条件中的事实“{str(key)[:40]}”未在 facts 中声明"
        )
    if fact.type is FactType.BOOL:
        if not isinstance(doc, bool):
            raise CatalogueFormatError(
                CatalogueErrorCode.FORMAT, f"{where}：{fact.key} 的条件应为 true 或 false"
            )
        return fact.key, IsTrue(doc)
    if fact.type is FactType.CHOICE:
        values = [doc] if isinstance(doc, str) else doc
        options = dict(fact.choices)
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v in options for v in values)
        ):
            raise CatalogueFormatError(
                CatalogueErrorCode.FORMAT,
                f"{where}：{fact.key} 的条件应为 {'、'.join(options)} 中的一个或几个",
            )
        return fact.key, OneOf(frozenset(values))
    o = _Obj(doc, f"{where} 条件 {fact.key}")
    low, high = o.integer("min", required=False), o.integer("max", required=False)
    o.finish()
    if low is None and high is None:
        raise CatalogueFormatError(CatalogueErrorCode.FORMAT, f"{o.where}：应至少写 min 或 max")
    if low is not None and high is not None and low > high:
        raise CatalogueFormatError(
            CatalogueErrorCode.INCONSISTENT, f"{o.where}：min {low} 大于 max {high}，条件自相矛盾"
        )
    return fact.key, IntRange(low, high)


def _exemption(doc: dict[Any, Any] | None, facts: Mapping[str, Fact], where: str) -> Exemption:
    if doc is None:
        return NO_EXEMPTION
    o = _Obj(doc, f"{where} 首违不罚")
    allowed = o.flag("allowed", required=True)
    conditions = o.text("conditions_zh", required=allowed)
    selector = _selector(o, o.where, facts)
    letter = o.flag("commitment_letter")
    o.finish()
    if not allowed:
        return NO_EXEMPTION
    if selector is None:
        raise CatalogueFormatError(
            CatalogueErrorCode.MISSING_FIELD, f"{o.where}：允许首违不罚时应写明条件 when"
        )
    return Exemption(True, conditions, selector, letter)


def _check_partition(tiers: tuple[Tier, ...], facts: Mapping[str, Fact], where: str) -> None:
    """Every combination of facts falls in exactly one tier, and every tier is reachable. Conditions are
    constant between their boundaries, so one representative per stretch decides it exactly."""
    keys = sorted({key for tier in tiers for key in tier.selector.keys})
    axes = [_representatives(facts[key], tiers) for key in keys]
    if math.prod(len(axis) for axis in axes) > MAX_COMBINATIONS:
        raise CatalogueFormatError(
            CatalogueErrorCode.TOO_COMPLEX, f"{where}：裁量条件组合过多，请简化阶次划分"
        )
    reached: set[str] = set()
    for cell in product(*axes):
        values = dict(zip(keys, cell, strict=True))
        matched = [tier for tier in tiers if tier.selector.matches(values)]
        shown = "，".join(facts[k].show(v) for k, v in values.items()) or "任何情形"
        if not matched:
            raise CatalogueFormatError(
                CatalogueErrorCode.TIER_GAP, f"{where}：事实为（{shown}）时没有适用的裁量阶次"
            )
        if len(matched) > 1:
            names = "、".join(f"“{t.name}”" for t in matched)
            raise CatalogueFormatError(
                CatalogueErrorCode.TIER_OVERLAP, f"{where}：事实为（{shown}）时 {names} 同时适用，阶次重叠"
            )
        reached.add(matched[0].code)
    for tier in tiers:
        if tier.code not in reached:
            raise CatalogueFormatError(
                CatalogueErrorCode.INCONSISTENT, f"{where}：阶次“{tier.name}”的条件永远不会满足"
            )


def _representatives(fact: Fact, tiers: tuple[Tier, ...]) -> list[FactValue]:
    if fact.type is FactType.BOOL:
        return [False, True]
    if fact.type is FactType.CHOICE:
        return [value for value, _ in fact.choices]
    starts = {fact.min}
    for tier in tiers:
        for group in tier.selector.groups:
            for key, cond in group:
                if key == fact.key and isinstance(cond, IntRange):
                    starts |= cond.starts()
    return sorted(v for v in starts if v >= fact.min and (fact.max is None or v <= fact.max))
