"""English number formats: grouped thousands, as in the Arabic pages."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
