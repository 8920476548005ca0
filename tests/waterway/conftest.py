"""The waterway tests' shared world: a registered vessel that stayed in a no-berthing zone."""

from datetime import timedelta
from typing import Any

import polars as pl
import pytest
from django.utils import timezone

from jiafa.core.roles import Role
from jiafa.waterway import pipeline
from jiafa.waterway.models import Vessel, Zone
from tests.conftest import HAINING
from tests.waterway.river import NOW, River, build
from tests.waterway.tracks import BOX, lake_positions, stay


@pytest.fixture
def berthed(org: dict[str, Any]) -> Vessel:
    """A registered vessel that stayed 45 minutes in a no-berthing zone an hour ago."""
    vessel = Vessel.objects.create(
        mmsi=413_000_007,
        name="浙海宁货0007",
        owner_name="海宁某航运有限公司",
        owner_id_no="91330481MA2B000007",
        org_unit=org[HAINING],
    )
    Zone.objects.create(
        code="JT-01", name="长山河禁停区", kind="no_berthing", geometry=BOX.wkt, org_unit=org[HAINING]
    )
    track = stay(vessel.mmsi, 45)
    shift = timezone.now() - timedelta(hours=1) - track["time"].min()
    track = track.with_columns(pl.col("time") + shift)
    pipeline.add(pipeline.lake_root(), {pipeline.POSITIONS: lake_positions(track)})
    return vessel


@pytest.fixture
def river(org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> River:
    """The hand-made river (river.py), with the clock at river.NOW."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return build(org)


@pytest.fixture
def partner(make_user: Any) -> Any:
    """A certified officer of Haining: the second officer a confirmed finding's case needs (Art. 42)."""
    officer = make_user("hn_partner", HAINING, Role.OFFICER)
    officer.certificate_no = "33040000109"
    officer.save()
    return officer
