"""The household registry: households, their members, vulnerability weights, and the
de-duplication review queue.

A household's ``governorate`` copies its location's governorate so that the access
policy filters a million rows on one indexed column. The normalised name, phone and
document keys on ``Member`` are written by ``amina.registry.names`` only, so search,
import and de-duplication compare the same forms; they are indexed for the
registration-time duplicate warning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    """The vulnerability criteria a household is registered with."""

    FEMALE_HEADED = "female_headed", _("female-headed household")
    ELDERLY_HEADED = "elderly_headed", _("elderly-headed household")
    CHILD_HEADED = "child_headed", _("child-headed household")
    DISABILITY = "disability", _("person with a disability")
    CHRONIC_ILLNESS = "chronic_illness", _("chronic illness")
    PREGNANT_LACTATING = "pregnant_lactating", _("pregnant or lactating woman")
    UNACCOMPANIED_CHILDREN = "unaccompanied_children", _("unaccompanied or separated children")
    LARGE_HOUSEHOLD = "large_household", _("large household")


#: Default weights (points out of 100), used until an admin sets others.
DEFAULT_WEIGHTS = {
    Criterion.FEMALE_HEADED: 20,
    Criterion.ELDERLY_HEADED: 15,
    Criterion.CHILD_HEADED: 25,
    Criterion.DISABILITY: 15,
    Criterion.CHRONIC_ILLNESS: 10,
    Criterion.PREGNANT_LACTATING: 10,
    Criterion.UNACCOMPANIED_CHILDREN: 25,
    Criterion.LARGE_HOUSEHOLD: 10,
}

#: A household of at least this many people counts as large.
LARGE_HOUSEHOLD_SIZE = 8


class Household(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class CloseReason(models.TextChoices):
        RETURNED = "returned", _("returned home")
        RELOCATED = "relocated", _("relocated")
        DECEASED = "deceased", _("deceased")
        DUPLICATE = "duplicate", _("duplicate registration")

    household_ref = models.CharField(_("household reference"), max_length=40, unique=True)
    location = models.ForeignKey(
        "geo.Location", models.PROTECT, related_name="households", verbose_name=_("location")
    )
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        related_name="households",
        verbose_name=_("governorate"),
    )
    origin_governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("governorate of origin"),
    )
    displacement_date = models.DateField(_("displacement date"), null=True, blank=True)
    shelter = models.ForeignKey(
        "tracking.ShelterType",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shelter"),
    )
    size = models.PositiveSmallIntegerField(_("household size"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=12, blank=True, choices=CloseReason.choices
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    consent = models.BooleanField(_("consent given"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    consent_by = models.CharField(_("consent recorded by"), max_length=150, blank=True)

    female_headed = models.BooleanField(_("female-headed"), default=False)
    elderly_headed = models.BooleanField(_("elderly-headed"), default=False)
    child_headed = models.BooleanField(_("child-headed"), default=False)
    disability = models.BooleanField(_("disability"), default=False)
    chronic_illness = models.BooleanField(_("chronic illness"), default=False)
    pregnant_lactating = models.BooleanField(_("pregnant or lactating"), default=False)
    unaccompanied_children = models.BooleanField(
        _("unaccompanied or separated children"), default=False
    )
    large_household = models.BooleanField(_("large household"), default=False)
    vulnerability_score = models.PositiveSmallIntegerField(_("vulnerability score"), default=0)
    vulnerability_reasons = models.JSONField(_("vulnerability reasons"), default=list, blank=True)

    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    registered_team = models.CharField(_("registration team"), max_length=150, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    merged_into = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    scope_field = "governorate"

    class Meta:
        ordering = ["household_ref"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["governorate", "status"]),
            models.Index(fields=["status", "closed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="household_closed_has_reason",
                condition=Q(status="open", close_reason="", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False) & ~Q(close_reason=""),
            ),
            models.CheckConstraint(name="household_size_positive", condition=Q(size__gte=1)),
            models.CheckConstraint(
                name="household_not_merged_into_itself", condition=~Q(merged_into=F("pk"))
            ),
        ]

    def __str__(self) -> str:
        return self.household_ref

    @property
    def flags(self) -> list[str]:
        return [c.value for c in Criterion if getattr(self, c.value)]


class Member(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")

    class Relationship(models.TextChoices):
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("son or daughter")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("brother or sister")
        GRANDCHILD = "grandchild", _("grandchild")
        OTHER_RELATIVE = "relative", _("other relative")
        OTHER = "other", _("not related")

    class Document(models.TextChoices):
        NONE = "none", _("none")
        NATIONAL_ID = "national_id", _("national ID card")
        CIVIL_ID = "civil_id", _("civil status ID")
        NATIONALITY = "nationality", _("nationality certificate")
        PASSPORT = "passport", _("passport")
        OTHER = "other", _("other document")

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="members", verbose_name=_("household")
    )
    member_no = models.PositiveSmallIntegerField(_("member number"), default=1)
    is_head = models.BooleanField(_("head of household"), default=False)
    relationship = models.CharField(
        _("relationship to the head"),
        max_length=12,
        choices=Relationship.choices,
        default=Relationship.HEAD,
    )
    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=60, blank=True)
    father_name_ar = models.CharField(_("father's name (Arabic)"), max_length=60, blank=True)
    grandfather_name_ar = models.CharField(
        _("grandfather's name (Arabic)"), max_length=60, blank=True
    )
    family_name_ar = models.CharField(_("family name (Arabic)"), max_length=60, blank=True)
    name_latin = models.CharField(_("name (Latin script)"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    document_type = models.CharField(
        _("identity document"), max_length=12, choices=Document.choices, default=Document.NONE
    )
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    disability = models.BooleanField(_("disability"), default=False)
    chronic_illness = models.BooleanField(_("chronic illness"), default=False)

    # Comparison keys, written by amina.registry.names.member_keys (never by hand).
    key_first = models.CharField(max_length=60, blank=True, editable=False)
    key_father = models.CharField(max_length=60, blank=True, editable=False)
    key_grandfather = models.CharField(max_length=60, blank=True, editable=False)
    key_family = models.CharField(max_length=60, blank=True, editable=False)
    key_latin = models.CharField(max_length=150, blank=True, editable=False)
    key_phone = models.CharField(max_length=20, blank=True, editable=False)
    key_document = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        ordering = ["household", "member_no"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            # The blocking keys of the registration-time duplicate warning.
            models.Index(fields=["key_first", "key_family", "birth_year"], name="member_name_year"),
            models.Index(
                fields=["key_first", "key_father", "key_family"], name="member_three_names"
            ),
            models.Index(fields=["key_phone"], name="member_phone"),
            models.Index(fields=["key_document"], name="member_document"),
            # Search: an Arabic token may be any name part (key_first leads the two
            # above). PostgreSQL also gets a trigram index on key_latin (migration 0002).
            models.Index(fields=["key_father"], name="member_father"),
            models.Index(fields=["key_grandfather"], name="member_grandfather"),
            models.Index(fields=["key_family"], name="member_family"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_head=True),
                name="member_one_head_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.member_no}"

    @property
    def full_name_ar(self) -> str:
        parts = (
            self.first_name_ar,
            self.father_name_ar,
            self.grandfather_name_ar,
            self.family_name_ar,
        )
        return " ".join(p for p in parts if p)


class VulnerabilityWeight(models.Model):
    """How many points a criterion adds to a household's vulnerability score."""

    criterion = models.CharField(
        _("criterion"), max_length=30, choices=Criterion.choices, unique=True
    )
    weight = models.PositiveSmallIntegerField(_("weight"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["criterion"]
        verbose_name = _("vulnerability weight")
        verbose_name_plural = _("vulnerability weights")
        constraints = [
            models.CheckConstraint(name="weight_at_most_100", condition=Q(weight__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.weight}"


class DuplicateCandidate(models.Model):
    """A probable pair of registrations of the same family, and what a reviewer decided.

    The pair is stored ordered (``household_a_id < household_b_id``) and unique, so a
    rejected pair is never proposed again, whatever the next run finds. Pairs of one
    cluster share a ``cluster`` number (households strongly linked to one another in one
    run, ``dedupe.clusters``); a pair alone has a number of its own.
    """

    class Kind(models.TextChoices):
        SAME_HEAD = "same_head", _("same head of household")
        OTHER_HEAD = "other_head", _("same family, another head")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending review")
        CONFIRMED = "confirmed", _("confirmed: same family")
        REJECTED = "rejected", _("rejected: different families")

    household_a = models.ForeignKey(
        Household, models.CASCADE, related_name="+", verbose_name=_("household")
    )
    household_b = models.ForeignKey(
        Household, models.CASCADE, related_name="+", verbose_name=_("other household")
    )
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        related_name="+",
        verbose_name=_("governorate"),
        help_text=_("The first household's governorate, for scope."),
    )
    cluster = models.PositiveIntegerField(_("cluster"), default=0, db_index=True)
    # Same head: the two registrations' heads are one person (``probability`` is the
    # model's). Other head: the same children under another head, e.g. the wife while
    # the husband is missing (``probability`` is the share of children in common).
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SAME_HEAD)
    probability = models.FloatField(_("match probability"))
    agreeing = models.JSONField(_("agreeing fields"), default=list, blank=True)
    disagreeing = models.JSONField(_("disagreeing fields"), default=list, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    # A pair shows something of both families (their references, which personal fields
    # agree), so only a user who may see both households may see it: the access policy
    # requires every one of these governorates in scope. ``governorate`` (the first
    # household's, stored when the pair was found) only serves filters and the index.
    scope_fields = ("household_a__governorate", "household_b__governorate")

    class Meta:
        ordering = ["-probability", "pk"]
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        indexes = [models.Index(fields=["decision", "governorate"])]
        constraints = [
            models.UniqueConstraint(
                fields=["household_a", "household_b"], name="duplicate_pair_unique"
            ),
            models.CheckConstraint(
                name="duplicate_pair_ordered", condition=Q(household_a__lt=F("household_b"))
            ),
            models.CheckConstraint(
                name="duplicate_probability_range",
                condition=Q(probability__gte=0, probability__lte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_a_id}~{self.household_b_id} ({self.probability:.2f})"
