"""Arabic formats, day first everywhere.

Django's Arabic formats leave ``DATETIME_FORMAT`` and ``SHORT_DATETIME_FORMAT`` unset, so they fall
back to the American month-first defaults ("12/08/2026"). The separators are CLDR's for Arabic with
Latin digits; with Arabic-Indic digits the ``num`` tag uses the Arabic separators (٬ and ٫).
"""

DATE_FORMAT = "j F، Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F، Y، g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"  # right-to-left marks keep the day on the right
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
