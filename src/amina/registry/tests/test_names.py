from amina.registry import names


def test_arabic_letter_variants_give_one_key():
    assert names.arabic_part("أحمد") == names.arabic_part("احمد") == names.arabic_part("إحمد")
    assert names.arabic_part("فاطمة") == names.arabic_part("فاطمه")
    assert names.arabic_part("مصطفى") == names.arabic_part("مصطفي")
    assert names.arabic_part("مُحَمَّد") == names.arabic_part("محمد")
    assert names.arabic_part("محـــمد") == names.arabic_part("محمد")


def test_abd_compounds_are_one_name():
    assert names.arabic_part("عبد الله") == names.arabic_part("عبدالله")
    assert names.arabic_part("عبد ربه") == names.arabic_part("عبدربه")


def test_family_names_ignore_the_article():
    assert names.arabic_part("العزاوي", family=True) == names.arabic_part("عزاوي", family=True)
    assert names.arabic_part("العزاوي", family=True) != names.arabic_part("العبيدي", family=True)


def test_latin_transliterations_fold_common_variants():
    assert names.latin_key("Mohammed Al-Jubouri") == names.latin_key("Muhamad El Jubori")
    assert names.latin_key("Abdul Rahman") == names.latin_key("Abd Al-Rahman")
    assert names.latin_key("Fatima") == names.latin_key("Fatimah")
    assert names.latin_key("Ali") != names.latin_key("Omar")


def test_phones_become_one_iraqi_form():
    canonical = "07701234567"
    for written in (
        "0770 123 4567",
        "+964 770 123 4567",
        "00964-770-123-4567",
        "٠٧٧٠١٢٣٤٥٦٧",
        "7701234567",
    ):
        assert names.phone_key(written) == canonical


def test_documents_keep_letters_and_digits():
    assert names.document_key(" a-12 ٣٤ ") == "A1234"


def test_search_tokens_use_the_same_keys_as_members():
    keys = names.member_keys("أحمد", "", "", "العزاوي")
    tokens = names.name_tokens("احمد عزاوي")
    assert keys["key_first"] == tokens[0]
    assert names.arabic_part(tokens[1], family=True) == keys["key_family"]
