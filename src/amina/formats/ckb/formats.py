"""Central Kurdish (Sorani) number and date formats: "3,232,728", "32.5", "4 حوزەیران 2015".

Digits: Western (0-9), as on the Arabic and English pages. Kurdish print in Iraq uses
both; we chose the Western digits because the Kurdish-language media and KRG bodies that
Amina's readers work with (and IOM DTM, UNHCR and OCHA, whose figures Amina imports)
print tables with them, because a p-code, a phone number or a figure must read the same
on every page whoever opens it (a team in Erbil compares the Kurdish page with the Arabic
PDF from Baghdad), and because Django formats numbers without turning digits. Forms
accept Eastern Arabic and Persian digits (٠-٩, ۰-۹) anyway (``amina.lib.forms``).

Months: the Iraqi names (کانوونی دووەم … کانوونی یەکەم) that Kurdish in Iraq uses for the
Gregorian months, from the project catalogue; Django's own Kurdish catalogue gives the
Kurdish solar months (ڕێبەندان …), which do not fall on Gregorian months at all.
Other formats fall back to Django's ``ckb`` module.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# One date format on every page and in every report, as in Arabic and English:
# "4 حوزەیران 2015", "4 حوزەیران 2015، 14:30".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
