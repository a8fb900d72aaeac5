"""The folding rule inside a query: a database column folded by the SQL twin of
``amina.lib.arabic.normalise_arabic`` matches Arabic and Kurdish spellings alike (issue 19).

Here rather than beside the rule in ``amina.lib``: the library imports no app."""

import pytest

from amina.lib.arabic import Folded, normalise_arabic


@pytest.mark.django_db
def test_a_query_filtered_on_folded_names_matches_both_spellings(reference_geography):
    from amina.geo.models import Governorate

    def found(text):
        return set(
            Governorate.objects.alias(folded=Folded("name_ckb"))
            .filter(folded=normalise_arabic(text))
            .values_list("pcode", flat=True)
        )

    assert found("دهوك") == found("دهۆک") == {"IQG09"}
    assert found("كركوك") == {"IQG13"}
