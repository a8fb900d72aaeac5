import pytest

from amina.reports.tests.data import make_displacement


@pytest.fixture
def displacement(reference_geography):
    return make_displacement()
