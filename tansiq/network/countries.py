"""Country names: the one source lives in core (search facets and the audit log need it too)."""

from tansiq.core.countries import country_choices, country_name
from tansiq.core.countries import vendored_names as _names

__all__ = ["_names", "country_choices", "country_name"]
