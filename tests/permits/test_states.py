"""Every row of the permit transition table: allowed from its sources, refused from every other status."""

import pytest

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.permits.states import TRANSITIONS, PermitStatus, transition

CASES = [(row.action, status) for row in TRANSITIONS for status in [None, *PermitStatus]]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_each_row_from_each_status(action: str, status: PermitStatus | None) -> None:
    row = next(r for r in TRANSITIONS if r.action == action)
    allowed = status is None if not row.sources else status in row.sources
    if allowed:
        assert transition(action, status) is row
    else:
        with pytest.raises(JiafaError) as e:
            transition(action, status)
        assert e.value.code is ErrorCode.ILLEGAL_STEP and row.label in e.value.message


def test_unknown_step_and_terminal_statuses() -> None:
    with pytest.raises(JiafaError) as e:
        transition("teleport", PermitStatus.APPROVED)
    assert e.value.code is ErrorCode.NOT_FOUND
    sources = {s for row in TRANSITIONS for s in row.sources}
    assert PermitStatus.REJECTED not in sources and PermitStatus.REVOKED not in sources
