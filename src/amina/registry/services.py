"""Use cases of the registry. Every write happens here, in one transaction, with audit.

Importing (``importing.py``) and de-duplication (``dedupe.py``) are their own modules;
they call ``save_candidates`` and the bulk writer below.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import diff, record_bulk, record_change, snapshot
from amina.registry import names, review, vulnerability
from amina.registry.models import (
    Criterion,
    DuplicateCandidate,
    Household,
    Member,
    VulnerabilityWeight,
)

HOUSEHOLD_FLAGS = [c.value for c in Criterion]


def build_member(household: Household | None, data: dict, number: int, *, head: bool) -> Member:
    """A ``Member`` from cleaned values, with its comparison keys and birth year."""
    member = Member(
        household=household,
        member_no=number,
        is_head=head,
        relationship=Member.Relationship.HEAD if head else (data.get("relationship") or "other"),
        first_name_ar=(data.get("first_name_ar") or "").strip(),
        father_name_ar=(data.get("father_name_ar") or "").strip(),
        grandfather_name_ar=(data.get("grandfather_name_ar") or "").strip(),
        family_name_ar=(data.get("family_name_ar") or "").strip(),
        name_latin=(data.get("name_latin") or "").strip(),
        sex=data.get("sex") or "",
        birth_date=data.get("birth_date"),
        birth_year=data.get("birth_year")
        or (data["birth_date"].year if data.get("birth_date") else None),
        document_type=data.get("document_type") or Member.Document.NONE,
        document_number=(data.get("document_number") or "").strip(),
        phone=(data.get("phone") or "").strip(),
        disability=bool(data.get("disability")),
        chronic_illness=bool(data.get("chronic_illness")),
    )
    names.set_keys(member)
    return member


def apply_score(household: Household, current: dict[str, int] | None = None) -> None:
    flags = vulnerability.derive_flags(
        {f: getattr(household, f) for f in HOUSEHOLD_FLAGS}, household.size
    )
    for flag, value in flags.items():
        setattr(household, flag, bool(value))
    household.vulnerability_score, household.vulnerability_reasons = vulnerability.score(
        flags, current
    )


@transaction.atomic
def register_household(user, data: dict, head: dict, members: list[dict]) -> Household:
    """Register one household with its head and members, as the form or API sends them.

    ``data`` holds the household's fields (location, shelter, origin, dates, size, flags,
    consent); the governorate is the location's. Consent is required: without it nothing
    is stored but the refusal.
    """
    location = data["location"]
    access.check(user, "registry.register", location.governorate_id)
    if not data.get("consent"):
        raise ValidationError(_("The household has not given consent: nothing was recorded."))
    ref = (data.get("household_ref") or "").strip() or next_reference()
    if Household.objects.filter(household_ref=ref).exists():
        raise ValidationError(
            _("The household reference %(ref)s is already registered.") % {"ref": ref}
        )
    household = Household(
        household_ref=ref,
        location=location,
        governorate_id=location.governorate_id,
        origin_governorate=data.get("origin_governorate"),
        displacement_date=data.get("displacement_date"),
        shelter=data.get("shelter"),
        size=max(int(data.get("size") or 1), 1 + len(members)),
        consent=True,
        consent_date=data.get("consent_date") or timezone.localdate(),
        consent_by=data.get("consent_by") or user.get_username(),
        registration_date=timezone.localdate(),
        registered_team=data.get("registered_team") or str(getattr(user, "organisation", "") or ""),
        registered_by=user if getattr(user, "pk", None) else None,
        **{f: bool(data.get(f)) for f in HOUSEHOLD_FLAGS},
    )
    apply_score(household)
    household.save()
    people = [build_member(household, head, 1, head=True)]
    people += [build_member(household, m, i, head=False) for i, m in enumerate(members, 2)]
    Member.objects.bulk_create(people)
    record_change(user, household, "create", {"members": [None, len(people)]})
    return household


def next_reference() -> str:
    """A new reference for a household registered in Amina (imports bring their own)."""
    stamp = timezone.now().strftime("%y%m%d")
    count = Household.objects.filter(household_ref__startswith=f"AM-{stamp}-").count()
    while True:
        count += 1
        ref = f"AM-{stamp}-{count:05d}"
        if not Household.objects.filter(household_ref=ref).exists():
            return ref


@transaction.atomic
def close_household(user, household: Household, reason: str) -> Household:
    access.check(user, "registry.close", household.governorate_id)
    if reason not in Household.CloseReason.values:
        raise ValidationError(_("Unknown reason for closing."))
    if household.status == Household.Status.CLOSED:
        raise ValidationError(_("This household is already closed."))
    before = snapshot(household, exclude=["vulnerability_reasons"])
    household.status = Household.Status.CLOSED
    household.close_reason = reason
    household.closed_at = timezone.now()
    household.save(update_fields=["status", "close_reason", "closed_at"])
    record_change(
        user,
        household,
        "update",
        diff(before, snapshot(household, exclude=["vulnerability_reasons"])),
    )
    return household


@transaction.atomic
def set_weights(user, new: dict[str, int]) -> int:
    """Store the admin's weights and recompute every household's score; returns how many."""
    access.check(user, "reference.manage")
    before = vulnerability.weights()
    for criterion, weight in new.items():
        if criterion not in Criterion.values:
            raise ValidationError(_("Unknown criterion %(c)s.") % {"c": criterion})
        if not 0 <= int(weight) <= 100:
            raise ValidationError(_("A weight is between 0 and 100."))
        VulnerabilityWeight.objects.update_or_create(
            criterion=criterion, defaults={"weight": int(weight)}
        )
    after = vulnerability.weights()
    updated = vulnerability.recompute_all(after)
    record_bulk(
        user,
        VulnerabilityWeight,
        "update",
        {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]},
        "vulnerability weights",
    )
    return updated


# ------------------------------------------------------------------ de-duplication


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@transaction.atomic
def save_candidates(
    pairs: list[dict],
    governorates: dict[int, int],
    withdraw_in: list[int] | str | None = None,
    user=None,
) -> dict:
    """Store the pairs of a de-duplication run.

    A pair already decided (confirmed or rejected) is left as it is, so a rejected pair
    never comes back; a pending one gets the new kind, probability and fields. ``pairs``
    hold ``a``, ``b`` (household ids), ``probability``, ``cluster``, ``agreeing``,
    ``disagreeing`` and ``kind`` (default the same head); ``governorates`` maps household
    id → governorate id. With ``withdraw_in`` (governorate ids the run covered, or
    ``"all"``), pending pairs inside that scope that this run did not find are withdrawn:
    a pair an earlier model proposed (namesakes, a weak chain) must not wait in the queue
    for someone to merge it.
    """
    keys = [ordered(p["a"], p["b"]) for p in pairs]
    existing = _existing_candidates(keys)
    new, updated, kept = _new_and_updated(pairs, keys, existing, governorates)
    withdrawn = _withdraw_stale(set(keys), withdraw_in) if withdraw_in else 0
    DuplicateCandidate.objects.bulk_create(new, batch_size=2000)
    DuplicateCandidate.objects.bulk_update(updated, _CANDIDATE_FIELDS, batch_size=2000)
    if withdrawn:
        record_bulk(
            user,
            DuplicateCandidate,
            "delete",
            {"withdrawn": withdrawn},
            f"{withdrawn} pending duplicate pairs no longer found",
        )
    return {
        "new": len(new),
        "updated": len(updated),
        "already_decided": kept,
        "withdrawn": withdrawn,
    }


#: What a new run sets on a pending pair it finds again.
_CANDIDATE_FIELDS = ["probability", "cluster", "agreeing", "disagreeing", "kind"]


def _existing_candidates(
    keys: list[tuple[int, int]],
) -> dict[tuple[int, int], DuplicateCandidate]:
    """Stored pairs among ``keys`` by (a, b), read 5,000 lower ids at a time so that no
    query carries more parameters than a database accepts."""
    existing = {}
    lows = sorted({a for a, _b in keys})
    for chunk_start in range(0, len(lows), 5000):
        chunk = lows[chunk_start : chunk_start + 5000]
        for cand in DuplicateCandidate.objects.filter(household_a__in=chunk).only(
            "pk", "household_a_id", "household_b_id", "decision"
        ):
            existing[(cand.household_a_id, cand.household_b_id)] = cand
    return existing


def _new_and_updated(
    pairs: list[dict],
    keys: list[tuple[int, int]],
    existing: dict[tuple[int, int], DuplicateCandidate],
    governorates: dict[int, int],
) -> tuple[list[DuplicateCandidate], list[DuplicateCandidate], int]:
    """The pairs to create, the pending pairs to update, and how many were already
    decided (left as they are, so a rejected pair never comes back)."""
    new, updated, kept = [], [], 0
    for pair, (a, b) in zip(pairs, keys, strict=True):
        values = {
            "probability": pair["probability"],
            "cluster": pair["cluster"],
            "agreeing": pair["agreeing"],
            "disagreeing": pair["disagreeing"],
            "kind": pair.get("kind") or DuplicateCandidate.Kind.SAME_HEAD,
        }
        found = existing.get((a, b))
        if found is not None:
            if found.decision != DuplicateCandidate.Decision.PENDING:
                kept += 1
                continue
            for name, value in values.items():
                setattr(found, name, value)
            updated.append(found)
            continue
        new.append(
            DuplicateCandidate(
                household_a_id=a, household_b_id=b, governorate_id=governorates[a], **values
            )
        )
    return new, updated, kept


def _withdraw_stale(found_now: set[tuple[int, int]], withdraw_in: list[int] | str) -> int:
    """Delete the pending pairs inside ``withdraw_in`` (governorate ids, or ``"all"``)
    that this run did not find; returns how many."""
    pending = DuplicateCandidate.objects.filter(decision=DuplicateCandidate.Decision.PENDING)
    if withdraw_in != "all":
        pending = pending.filter(
            household_a__governorate__in=withdraw_in, household_b__governorate__in=withdraw_in
        )
    stale = [
        pk
        for pk, a, b in pending.values_list("pk", "household_a_id", "household_b_id").iterator(
            chunk_size=20_000
        )
        if (a, b) not in found_now
    ]
    withdrawn = 0
    for start in range(0, len(stale), 5000):
        batch = DuplicateCandidate.objects.filter(pk__in=stale[start : start + 5000])
        withdrawn += batch.delete()[0]
    return withdrawn


def _check_candidate(user, candidate: DuplicateCandidate) -> None:
    for household in (candidate.household_a, candidate.household_b):
        access.check(user, "registry.review_duplicates", household.governorate_id)
    if candidate.decision != DuplicateCandidate.Decision.PENDING:
        raise ValidationError(_("This pair has already been decided."))


#: Relations a merge does not move: the members stay with their registration (history),
#: the review queue keeps the pair it decided, and a merge pointer is rewritten below.
_NOT_MOVED = {
    (Member, "household"),
    (DuplicateCandidate, "household_a"),
    (DuplicateCandidate, "household_b"),
}


@transaction.atomic
def reject_candidate(user, candidate: DuplicateCandidate) -> DuplicateCandidate:
    _check_candidate(user, candidate)
    candidate.decision = DuplicateCandidate.Decision.REJECTED
    candidate.decided_by, candidate.decided_at = user, timezone.now()
    candidate.save(update_fields=["decision", "decided_by", "decided_at"])
    record_change(user, candidate, "update", {"decision": ["pending", "rejected"]})
    return candidate


@transaction.atomic
def confirm_candidate(
    user, candidate: DuplicateCandidate, keep: Household | None = None
) -> Household:
    """Merge the pair into one household: the one kept (by default the earlier
    registration) receives every record of other apps that pointed to the other one
    (distributions, entitlements … found generically through the model's reverse
    relations), and the other is closed as a duplicate with ``merged_into`` set, keeping
    its members and history. Returns the household kept."""
    _check_candidate(user, candidate)
    pair = [candidate.household_a, candidate.household_b]
    survivor = (
        keep
        if keep in pair
        else min(pair, key=lambda h: (h.registration_date or datetime.date.max, h.pk))
    )
    duplicate = pair[1] if survivor == pair[0] else pair[0]
    if survivor.status != Household.Status.OPEN:
        survivor, duplicate = duplicate, survivor
    moved = merge_records(duplicate, survivor)
    added = merge_members(
        duplicate, survivor, other_head=candidate.kind == candidate.Kind.OTHER_HEAD
    )
    before = snapshot(duplicate, exclude=["vulnerability_reasons"])
    duplicate.merged_into = survivor
    if duplicate.status == Household.Status.OPEN:
        duplicate.status = Household.Status.CLOSED
        duplicate.close_reason = Household.CloseReason.DUPLICATE
        duplicate.closed_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "status", "close_reason", "closed_at"])
    # Flags either registration recorded stay with the family.
    for flag in HOUSEHOLD_FLAGS:
        if getattr(duplicate, flag) and not getattr(survivor, flag):
            setattr(survivor, flag, True)
    survivor.size = max(survivor.size, survivor.members.count())
    apply_score(survivor)
    survivor.save(
        update_fields=[*HOUSEHOLD_FLAGS, "size", "vulnerability_score", "vulnerability_reasons"]
    )
    candidate.decision = DuplicateCandidate.Decision.CONFIRMED
    candidate.decided_by, candidate.decided_at = user, timezone.now()
    candidate.save(update_fields=["decision", "decided_by", "decided_at"])
    record_change(user, candidate, "update", {"decision": ["pending", "confirmed"]})
    record_change(
        user,
        duplicate,
        "update",
        {
            **diff(before, snapshot(duplicate, exclude=["vulnerability_reasons"])),
            "records_moved": [None, moved],
        },
        label=f"{duplicate} merged into {survivor}",
    )
    record_change(
        user,
        survivor,
        "update",
        {"merged_from": [None, duplicate.household_ref], "members_added": [None, added]},
    )
    return survivor


def merge_members(duplicate: Household, survivor: Household, *, other_head: bool) -> int:
    """Copy into the survivor the people only the duplicate registration lists, so the
    family kept has everyone either registration knew (a baby born since, the spouse
    one team left out). Returns how many were added.

    The duplicate keeps its own members (its registration stays as it was). Its head is
    the survivor's head in a same-head merge and is not copied; in an other-head merge
    (the wife registered while the husband was away) the other head joins the survivor
    as its head's spouse, unless the survivor already lists that person.
    """
    have = list(survivor.members.all())
    number = max((m.member_no for m in have), default=0)
    added = []
    for member in duplicate.members.order_by("member_no"):
        if member.is_head and not other_head:
            continue
        if any(review.same_person(member, known) for known in have):
            continue
        number += 1
        copy = Member(
            household=survivor,
            member_no=number,
            is_head=False,
            relationship=Member.Relationship.SPOUSE if member.is_head else member.relationship,
        )
        for field in Member._meta.concrete_fields:
            if field.name not in ("id", "household", "member_no", "is_head", "relationship"):
                setattr(copy, field.attname, getattr(member, field.attname))
        added.append(copy)
        have.append(copy)
    Member.objects.bulk_create(added)
    return len(added)


def reverse_relations() -> list:
    """Every relation of any app that points to a household, hidden ones included
    (``related_name="+"`` hides a relation from ``_meta.related_objects``, not from here)."""
    return [
        f
        for f in Household._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one or f.many_to_many)
    ]


def merge_records(duplicate: Household, survivor: Household) -> dict[str, int]:
    """Repoint every record of any app that refers to ``duplicate`` to ``survivor``.

    A record that cannot move because the survivor already has its twin (a unique
    constraint such as one distribution per item and period) stays with the duplicate,
    which keeps pointing to the survivor through ``merged_into``: nothing is lost, and
    ``queries.duplicate_group`` still joins them.
    """
    moved: dict[str, int] = {}
    for relation in reverse_relations():
        model, field = relation.related_model, relation.field
        if (model, field.name) in _NOT_MOVED or model is Household:
            continue
        if relation.many_to_many:
            through = field.remote_field.through
            column = next(
                f.name
                for f in through._meta.fields
                if getattr(f, "related_model", None) is Household
            )
            rows = through._base_manager.filter(**{column: duplicate})
            name = column
        else:
            rows = model._base_manager.filter(**{field.name: duplicate})
            name = field.name
            through = model
        try:
            with transaction.atomic():
                count = rows.update(**{name: survivor})
        except IntegrityError:
            count = 0
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        count += through._base_manager.filter(pk=pk).update(**{name: survivor})
                except IntegrityError:
                    continue  # its twin is already on the survivor: it stays where it is
        if count:
            moved[through._meta.label_lower] = count
    # Households merged earlier into the duplicate now point to the survivor.
    Household.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    return moved


# ------------------------------------------------------------------ retention


@transaction.atomic
def anonymise_closed(user, older_than_days: int) -> int:
    """Erase the personal data of households closed more than ``older_than_days`` ago.

    Names, documents, phones, birth dates (the year is kept) and keys are blanked;
    location, governorate, size, sex, year of birth, vulnerability flags and score, and
    every record of other apps stay, so every aggregate is unchanged.
    """
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    ids = list(
        Household.objects.filter(
            status=Household.Status.CLOSED,
            closed_at__lt=cutoff,
            anonymised_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        Member.objects.filter(household__in=chunk).update(
            first_name_ar="",
            father_name_ar="",
            grandfather_name_ar="",
            family_name_ar="",
            name_latin="",
            birth_date=None,
            document_number="",
            phone="",
            key_first="",
            key_father="",
            key_grandfather="",
            key_family="",
            key_latin="",
            key_phone="",
            key_document="",
        )
        Household.objects.filter(pk__in=chunk).update(anonymised_at=timezone.now(), consent_by="")
    record_bulk(
        user,
        Household,
        "update",
        {"anonymised": len(ids), "older_than_days": older_than_days},
        f"anonymised {len(ids)} households closed before {cutoff.date()}",
    )
    return len(ids)
