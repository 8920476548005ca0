"""What the demo world's officers decide on an on-site case: the facts they find and record, and the
penalty they propose, always within the catalogue item's discretion tiers (law.violations) — the case actions
check the same, so a simulated proposal the law doesn't allow would be refused like anyone's. Pure: an item
and a random generator in, facts and penalty out."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from jiafa.law.violations import FactType, IntRange, IsTrue, Item, OneOf, Tier, fine_bounds
from jiafa.simulate import params

SPAN = 20  # how far above its lower bound an open-ended number is drawn (in the fact's unit)


@dataclass(frozen=True)
class Proposal:
    facts: dict[str, Any]
    kinds: list[str]
    fine_yuan: int
    tier: str


def baseline(item: Item) -> dict[str, Any]:
    """Every fact of the item at its mildest value."""
    facts: dict[str, Any] = {}
    for fact in item.facts:
        if fact.type is FactType.BOOL:
            facts[fact.key] = False
        elif fact.type is FactType.CHOICE:
            facts[fact.key] = fact.choices[0][0]
        else:
            facts[fact.key] = fact.min
    return facts


def meeting(item: Item, groups: Any, rng: random.Random) -> dict[str, Any]:
    """Facts that meet one of a selector's groups (the others at their mildest)."""
    facts = baseline(item)
    for key, condition in rng.choice(groups):
        if isinstance(condition, IntRange):
            low = condition.min if condition.min is not None else item.fact(key).min
            high = condition.max if condition.max is not None else low + SPAN * _unit_step(item, key)
            facts[key] = rng.randint(low, high)
        elif isinstance(condition, IsTrue):
            facts[key] = condition.value
        elif isinstance(condition, OneOf):
            facts[key] = rng.choice(sorted(condition.values))
    return facts


def _unit_step(item: Item, key: str) -> int:
    return 1000 if item.fact(key).unit in ("千克", "kg") else 1


def tier_of(item: Item, rng: random.Random, serious: bool | None = None) -> Tier:
    """The tier officers find: drawn by TIER_WEIGHTS, or for an item of SERIOUS the heaviest where the case
    was drawn serious and the lightest otherwise."""
    if serious is not None:
        return item.tiers[-1] if serious else item.tiers[0]
    chosen = params.TIER_WEIGHTS
    weights = list(chosen[: len(item.tiers)]) + [0.05] * (len(item.tiers) - len(chosen))
    return rng.choices(item.tiers, weights)[0]


def penalty(item: Item, party_kind: str, rng: random.Random, serious: bool | None = None) -> Proposal | None:
    """A penalty within a tier: its required kinds, with a fine drawn within the tier's bounds for the party
    (most near the lower end). None when no tier of the item can be imposed on this party."""
    tiers = [t for t in item.tiers if t.penalties or t.optional_penalties]
    if not tiers:
        return None
    tier = tier_of(item, rng, serious)
    facts = meeting(item, tier.selector.groups, rng)
    kinds = {str(k) for k in tier.penalties}
    fine = 0
    bounds = fine_bounds(item, tier, party_kind, facts)
    if bounds is not None:
        low, high = bounds
        kinds.add("fine")
        fine = _round_fine(low + rng.random() ** 2 * (high - low), low, high)
    elif "fine" in kinds:
        return None
    if not kinds:
        return None
    return Proposal(facts, sorted(kinds), fine, tier.code)


def _round_fine(amount: float, low: int, high: int) -> int:
    """To whole hundreds of yuan, as decisions are written, where the bounds leave room for it."""
    rounded = round(amount / 100) * 100
    if low <= rounded <= high:
        return rounded
    up = -(-low // 100) * 100
    return up if up <= high else low


def exemption(item: Item, rng: random.Random) -> dict[str, Any] | None:
    """Facts meeting the item's first-violation conditions (首违不罚), or None if it allows none."""
    rule = item.first_violation_exemption
    if not rule.allowed or rule.selector is None:
        return None
    return meeting(item, rule.selector.groups, rng)
