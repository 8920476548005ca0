"""The known year (world.py) under the case tests' frozen clock (2026-09-15, 10:30 in Shanghai)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jiafa.core.models import User
from tests.cases.conftest import frozen_clock  # noqa: F401  (autouse: the clock every case step reads)
from tests.reports.world import World, build


@pytest.fixture
def world(make_user: Callable[..., User], org: dict[str, Any]) -> World:
    return build(make_user, org)
