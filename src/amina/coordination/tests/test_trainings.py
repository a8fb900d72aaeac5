"""Training statistics equal an independent count; certificates are shaped Arabic RTL PDFs."""

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from amina.coordination import queries
from amina.coordination.models import Participant, Training
from amina.coordination.services.trainings import add_participant, record_results, save_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainings(orgs, gov_a, gov_b, sector):
    rng = random.Random(11)
    made = []
    for i, (gov, codes) in enumerate([(gov_a, [1, 2]), (gov_b, [1]), (gov_a, [4])]):
        t = Training.objects.create(
            title=f"Training {i}",
            start_date=datetime.date(2015, 6, 8 + i),
            end_date=datetime.date(2015, 6, 11 + i),
            place="Erbil",
            governorate=gov,
            organiser=orgs["IOM"],
            max_score=[100, 20, 50][i],
        )
        t.sectors.set([sector(c) for c in codes])
        for j in range(rng.randint(5, 12)):
            pre = rng.choice([None, rng.randint(0, t.max_score // 2)])
            Participant.objects.create(
                training=t,
                name=f"Official {i}-{j}",
                organisation=rng.choice(list(orgs.values())),
                governorate=rng.choice([gov_a, gov_b]),
                sex=rng.choice("fm"),
                pre_score=pre,
                post_score=None if pre is None else rng.randint(pre, t.max_score),
            )
        made.append(t)
    return made


def test_counts_by_institution_governorate_sex_and_topic_match_a_recount(trainings):
    people = list(Participant.objects.select_related("training"))
    stats = queries.training_statistics()

    assert stats["participants"] == len(people)
    assert stats["trainings"] == 3
    assert dict((o.pk, n) for o, n in stats["by_institution"]) == Counter(
        p.organisation_id for p in people
    )
    assert dict((g.pk, n) for g, n in stats["by_governorate"]) == Counter(
        p.governorate_id for p in people
    )
    assert stats["by_sex"] == Counter(p.sex for p in people)
    topics = Counter()
    for p in people:
        for s in p.training.sectors.all():
            topics[s.code] += 1
    assert {s.code: n for s, n in stats["by_topic"]} == topics


def test_learning_gain_is_the_mean_difference_and_hakes_normalised_gain(trainings):
    pairs = [
        (100 * p.pre_score / p.training.max_score, 100 * p.post_score / p.training.max_score)
        for p in Participant.objects.select_related("training")
        if p.pre_score is not None and p.post_score is not None
    ]
    pre = sum(a for a, _b in pairs) / len(pairs)
    post = sum(b for _a, b in pairs) / len(pairs)

    gain = queries.training_statistics()["gain"]

    assert gain["tested"] == len(pairs)
    assert gain["mean_gain"] == pytest.approx(post - pre)
    assert gain["normalised_gain"] == pytest.approx((post - pre) / (100 - pre))


def test_the_summary_for_reports_is_scoped_by_the_participants_governorate(trainings, gov_a):
    people = Participant.objects.filter(governorate=gov_a)

    summary = queries.training_summary([gov_a.pk])

    assert summary["participants"] == people.count()
    assert summary["female"] == people.filter(sex="f").count()
    assert summary["by_institution_kind"] == dict(Counter(p.organisation.kind for p in people))
    assert summary["trainings"] == len({p.training_id for p in people})


def test_scores_above_the_maximum_are_refused_and_nothing_changes(officer_a, trainings):
    training = trainings[0]
    first, second = training.participants.all()[:2]
    days = set(training.days())

    with pytest.raises(ValidationError):
        record_results(officer_a, training, {first.pk: (10, 90, days), second.pk: (10, 101, days)})

    first.refresh_from_db()
    assert first.post_score != 90 or first.attendance.count() == 0
    assert not first.attendance.exists()


def test_an_officer_cannot_run_a_training_outside_their_governorate(officer_b, trainings):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record_results(officer_b, trainings[0], {})
    with pytest.raises(PermissionDenied):
        add_participant(
            officer_b,
            trainings[0],
            Participant(
                name="X",
                sex="f",
                organisation=trainings[0].organiser,
                governorate=trainings[0].governorate,
            ),
        )


def test_a_certificate_is_two_pages_with_the_arabic_name_in_logical_order(
    officer_a, orgs, gov_a, sector
):
    from pypdf import PdfReader

    from amina.coordination.pdf import certificate

    training = save_training(
        officer_a,
        Training(
            title="The MCOF for provincial authorities",
            title_ar="إطار عمليات الهجرة في الأزمات",
            start_date=datetime.date(2015, 6, 8),
            end_date=datetime.date(2015, 6, 11),
            place="Erbil",
            governorate=gov_a,
            organiser=orgs["IOM"],
        ),
        [sector(1)],
    )
    person = add_participant(
        officer_a,
        training,
        Participant(
            name="Fatima Hussein Kadhim",
            name_ar="فاطمة حسين كاظم",
            organisation=orgs["MoMD"],
            governorate=gov_a,
            sex="f",
        ),
    )

    reader = PdfReader(io.BytesIO(certificate(person)))

    assert len(reader.pages) == 2
    arabic, english = (page.extract_text() for page in reader.pages)
    assert "فاطمة حسين كاظم" in arabic
    assert "إطار عمليات الهجرة في الأزمات" in arabic
    assert "شهادة مشاركة" in arabic
    assert "Fatima Hussein Kadhim" in english and "Certificate of participation" in english
