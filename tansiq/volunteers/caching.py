"""Every cache key the volunteers app uses, how long it is kept, and what forgets it.

The matching arrays (``queries/matching.py``) are built from the whole table of open
opportunities or of volunteers, so they are kept between requests and forgotten when what they
hold changes: an opportunity, a shift or a booked place (opportunities), a volunteer's profile
(volunteers). They carry the day in their key too, because ages, qualifications' expiry and which
shifts lie in the future change with the date.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

MATCHING_SECONDS = 6 * 3600  # forgotten on every change anyway; the day is in the key
# The secretariat's shared list of opportunities waiting for review ("needs my action"), read with
# the home page's other entries; forgotten whenever an opportunity is saved.
REVIEW_QUEUE_KEY = "tansiq:volunteers:review-queue"
REVIEW_QUEUE_SECONDS = 24 * 3600


def opportunities_arrays_key() -> str:
    return f"tansiq:volunteers:matching:opportunities:{timezone.localdate().isoformat()}"


def volunteers_arrays_key() -> str:
    return f"tansiq:volunteers:matching:volunteers:{timezone.localdate().isoformat()}"


def forget_opportunities_arrays() -> None:
    transaction.on_commit(lambda: cache.delete(opportunities_arrays_key()))


def forget_volunteers_arrays() -> None:
    transaction.on_commit(lambda: cache.delete(volunteers_arrays_key()))


def matching_keys_of_request(request) -> list[str]:
    """For ``core.cache.read_on_every_request``: the pages that ask matching questions read the
    arrays' tokens with the request's first cache statement."""
    path = request.path
    if path.endswith("/opportunities/recommended/"):
        return [opportunities_arrays_key()]
    if path.endswith("/candidates/"):
        return [volunteers_arrays_key()]
    return []


def forget_review_queue() -> None:
    transaction.on_commit(lambda: cache.delete(REVIEW_QUEUE_KEY))
