"""Arabic number formats as Iraqi ministries print figures: "3,232,728" and "32.5".

Django's Arabic defaults group no digits and use a decimal comma, which makes large
figures hard to read and coordinates ambiguous. Other formats fall back to Django's.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
