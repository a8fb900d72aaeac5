"""Fixtures of the registry's tests: households made through the registration service."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent / "fixtures"


def head(
    first="أحمد",
    father="خالد",
    grandfather="محمود",
    family="العزاوي",
    latin="Ahmed Khalid Al-Azzawi",
    birth=datetime.date(1970, 5, 1),
    phone="07701234567",
    document="123456789012",
    sex="male",
) -> dict:
    return {
        "first_name_ar": first,
        "father_name_ar": father,
        "grandfather_name_ar": grandfather,
        "family_name_ar": family,
        "name_latin": latin,
        "birth_date": birth,
        "sex": sex,
        "document_type": "national_id" if document else "none",
        "document_number": document,
        "phone": phone,
    }


@pytest.fixture
def register(officer_a):
    from amina.registry.services import register_household

    def make(location, user=None, members=(), **kwargs):
        person = head(**{k: v for k, v in kwargs.items() if k in head.__code__.co_varnames})
        data = {
            "location": location,
            "size": kwargs.get("size", 1 + len(members)),
            "consent": True,
            **{
                k: v
                for k, v in kwargs.items()
                if k in ("female_headed", "disability", "household_ref", "chronic_illness")
            },
        }
        return register_household(user or officer_a, data, person, list(members))

    return make


@pytest.fixture
def household_a(register, location_a):
    return register(
        location_a,
        members=[
            {"first_name_ar": "زينب", "relationship": "child", "sex": "female", "birth_year": 2001}
        ],
    )


@pytest.fixture
def household_b(register, location_b, officer_b):
    return register(
        location_b,
        user=officer_b,
        first="فاطمة",
        father="كريم",
        family="الخزرجي",
        latin="Fatima Kareem",
        phone="07809876543",
        document="998877665544",
        sex="female",
        female_headed=True,
    )
