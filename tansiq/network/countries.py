"""Country names live in core (the global search names countries too); network imports them here."""

from tansiq.core.countries import _names, country_choices, country_name

__all__ = ["_names", "country_choices", "country_name"]
