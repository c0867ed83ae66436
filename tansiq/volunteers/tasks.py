"""Volunteering's background work (idempotent: running twice changes nothing twice)."""

from __future__ import annotations

from tansiq.core.tasks import background


@background()
def flag_missing_checkouts() -> int:
    """The daily job: check-ins of shifts that ended before today without a check-out are flagged
    once and their organisation's coordinators are told; what waits for coordinators is refreshed."""
    from tansiq.volunteers.services.hours import flag_missing_checkouts as flag
    from tansiq.volunteers.services.hours import remember_all_work_waiting

    flagged = flag()
    # Once a day, every coordinator's summary is rebuilt (after a change of who approves hours, or
    # a cache that lost it).
    remember_all_work_waiting()
    return flagged
