"""Arabic number formats as Iraqi ministries print figures: "3,232,728" and "32.5".

Django's Arabic defaults group no digits and use a decimal comma, which makes large
figures hard to read and coordinates ambiguous. Other formats fall back to Django's.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# One date format on every page and in every report (templates use ``|date`` for a day and
# ``|date:"DATETIME_FORMAT"`` for a moment): "4 حزيران 2015", "4 حزيران 2015، 14:30".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
