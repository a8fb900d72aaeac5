import pytest
@pytest.mark.django_db
def test_demo(reference_geography):
    from amina.core.demo import generate
    from amina.reports.models import Publication
    summary = generate("small", 3)
    print(summary.get("reports"))
    assert Publication.objects.count() == 1
