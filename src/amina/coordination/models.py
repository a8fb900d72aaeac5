"""Coordination: 4W activities, response plans, meetings, contacts and trainings.

Figures that can be derived (people reached in total, plan progress, learning gain) are
never stored twice: the total of an activity is checked by the database against its
breakdown, and progress is computed from the records by ``amina.coordination.queries``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import localised


class Activity(models.Model):
    """Who does what, where, when (4W): one organisation's activity in one place and sector.

    People reached are recorded by sex and age group (under 18, 18–59, 60+); a report
    that gives only a total per sex fills ``female_other``/``male_other``, one that gives
    only a grand total fills ``reached_other``.
    ``people_reached`` is their sum, checked by the database.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        COMPLETED = "completed", _("completed")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    sector = models.ForeignKey(
        "needs.Sector", models.PROTECT, related_name="activities", verbose_name=_("MCOF sector")
    )
    activity_type = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    governorate = models.ForeignKey(
        "geo.Governorate", models.PROTECT, related_name="activities", verbose_name=_("governorate")
    )
    district = models.ForeignKey(
        "geo.District",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("district"),
    )
    location = models.ForeignKey(
        "geo.Location",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("location"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    girls = models.PositiveIntegerField(_("girls (under 18)"), default=0)
    boys = models.PositiveIntegerField(_("boys (under 18)"), default=0)
    women = models.PositiveIntegerField(_("women (18–59)"), default=0)
    men = models.PositiveIntegerField(_("men (18–59)"), default=0)
    elderly_women = models.PositiveIntegerField(_("older women (60+)"), default=0)
    elderly_men = models.PositiveIntegerField(_("older men (60+)"), default=0)
    female_other = models.PositiveIntegerField(_("women and girls, age not given"), default=0)
    male_other = models.PositiveIntegerField(_("men and boys, age not given"), default=0)
    reached_other = models.PositiveIntegerField(
        _("not disaggregated"),
        default=0,
        help_text=_("People reached whom the report did not break down by sex and age."),
    )
    people_reached = models.PositiveIntegerField(_("people reached"), default=0, editable=False)
    distribution_ref = models.CharField(
        _("distribution reference"),
        max_length=60,
        blank=True,
        help_text=_("The supply distribution plan or waybill behind this activity, if any."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_field = "governorate"
    BREAKDOWN = (
        "girls",
        "boys",
        "women",
        "men",
        "elderly_women",
        "elderly_men",
        "female_other",
        "male_other",
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["sector", "governorate", "status"])]
        constraints = [
            models.CheckConstraint(
                name="activity_dates_ordered",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="activity_total_is_sum",
                condition=Q(
                    people_reached=F("girls")
                    + F("boys")
                    + F("women")
                    + F("men")
                    + F("elderly_women")
                    + F("elderly_men")
                    + F("female_other")
                    + F("male_other")
                    + F("reached_other")
                ),
            ),
            models.CheckConstraint(
                name="activity_status_valid",
                condition=Q(status__in=["planned", "ongoing", "completed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.activity_type}"

    def save(self, *args, **kwargs):
        self.people_reached = self.sum_reached()
        super().save(*args, **kwargs)

    def sum_reached(self) -> int:
        """What ``people_reached`` must hold (the database checks it): for ``save``, and
        for bulk writes, which do not call it."""
        return sum(getattr(self, f) or 0 for f in self.BREAKDOWN) + (self.reached_other or 0)

    @property
    def female(self) -> int:
        return self.girls + self.women + self.elderly_women + self.female_other

    @property
    def male(self) -> int:
        return self.boys + self.men + self.elderly_men + self.male_other

    @property
    def place(self):
        return self.location or self.district or self.governorate


# ------------------------------------------------------------------------- plans


class ResponsePlan(models.Model):
    """A response plan for the country (no governorate) or for one governorate."""

    title = models.CharField(_("title"), max_length=200)
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="response_plans",
        verbose_name=_("governorate"),
        help_text=_("Empty for the national plan."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_field = "governorate"

    class Meta:
        ordering = ["governorate__pcode", "-start_date"]
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")
        constraints = [
            models.CheckConstraint(
                name="plan_dates_ordered", condition=Q(end_date__gte=F("start_date"))
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    """What the plan wants to achieve in one MCOF phase and sector."""

    plan = models.ForeignKey(
        ResponsePlan, models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    phase = models.ForeignKey(
        "needs.Phase", models.PROTECT, related_name="+", verbose_name=_("MCOF phase")
    )
    sector = models.ForeignKey(
        "needs.Sector", models.PROTECT, related_name="+", verbose_name=_("MCOF sector")
    )
    text = models.TextField(_("objective"))

    class Meta:
        ordering = ["phase__order", "sector__code", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text[:80]


class Target(models.Model):
    """A number to reach in one sector and governorate by a deadline, and who leads it.

    What counts towards it is computed, never typed: people reached in 4W activities,
    officials trained, or households served by supply distributions (``measure``).
    """

    class Measure(models.TextChoices):
        PEOPLE_REACHED = "people_reached", _("people reached (4W)")
        OFFICIALS_TRAINED = "officials_trained", _("officials trained")
        HOUSEHOLDS_SERVED = "households_served", _("households served (distributions)")

    plan = models.ForeignKey(
        ResponsePlan, models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    objective = models.ForeignKey(
        Objective,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("objective"),
    )
    sector = models.ForeignKey(
        "needs.Sector", models.PROTECT, related_name="+", verbose_name=_("MCOF sector")
    )
    governorate = models.ForeignKey(
        "geo.Governorate", models.PROTECT, related_name="+", verbose_name=_("governorate")
    )
    measure = models.CharField(
        _("measured by"), max_length=20, choices=Measure.choices, default=Measure.PEOPLE_REACHED
    )
    quantity = models.PositiveIntegerField(_("target"))
    deadline = models.DateField(_("deadline"))
    lead = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("partner organisations"),
    )

    scope_field = "governorate"

    class Meta:
        ordering = ["sector__code", "governorate__pcode", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "sector", "governorate", "measure"], name="target_unique_per_plan"
            ),
            models.CheckConstraint(name="target_positive", condition=Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.sector} · {self.governorate}: {self.quantity}"


# ------------------------------------------------------------------------- meetings


class Meeting(models.Model):
    """A coordination meeting: agenda, who attended, what was decided."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("governorate"),
        help_text=_("Empty for a national meeting."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees (users)")
    )
    other_attendees = models.TextField(
        _("other attendees"), blank=True, help_text=_("One person per line.")
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="meetings",
        verbose_name=_("organisations present"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    scope_field = "governorate"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class ActionPoint(models.Model):
    """Something a meeting asked one person to do by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="action_points", verbose_name=_("meeting")
    )
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="action_points",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    scope_field = "meeting__governorate"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        constraints = [
            models.CheckConstraint(
                name="action_point_status_valid",
                condition=Q(status__in=["open", "done", "dropped"]),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_date < today


# ------------------------------------------------------------------------- contacts


class Contact(models.Model):
    """A focal point: who to call for an organisation, in a governorate, for a sector.

    Phone numbers and e-mail addresses are personal data: masked for users without the
    permission, and every showing of them is logged.
    """

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("governorate"),
        help_text=_("Empty for a national focal point."),
    )
    sectors = models.ManyToManyField(
        "needs.Sector", blank=True, related_name="contacts", verbose_name=_("MCOF sectors")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    scope_field = "governorate"

    class Meta:
        ordering = ["organisation__name_en", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------------- trainings


class Training(models.Model):
    """A capacity-building event: what was taught (MCOF sectors and topics), where, by whom."""

    title = models.CharField(_("title"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200)
    governorate = models.ForeignKey(
        "geo.Governorate", models.PROTECT, related_name="trainings", verbose_name=_("governorate")
    )
    organiser = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        related_name="trainings_organised",
        verbose_name=_("organiser"),
    )
    sectors = models.ManyToManyField(
        "needs.Sector", blank=True, related_name="trainings", verbose_name=_("MCOF sectors covered")
    )
    topics = models.TextField(_("topics"), blank=True, help_text=_("One topic per line."))
    trainers = models.TextField(_("trainers"), blank=True, help_text=_("One trainer per line."))
    max_score = models.PositiveSmallIntegerField(_("maximum test score"), default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    scope_field = "governorate"

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                name="training_dates_ordered", condition=Q(end_date__gte=F("start_date"))
            ),
            models.CheckConstraint(
                name="training_max_score_positive", condition=Q(max_score__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localised(self.title, self.title_ar)

    def days(self) -> list:
        import datetime

        n = (self.end_date - self.start_date).days
        return [self.start_date + datetime.timedelta(days=i) for i in range(n + 1)]


class Participant(models.Model):
    """An official who took part in a training, with their test scores."""

    class Sex(models.TextChoices):
        FEMALE = "f", _("female")
        MALE = "m", _("male")

    training = models.ForeignKey(
        Training, models.CASCADE, related_name="participants", verbose_name=_("training")
    )
    name = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    title = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        models.PROTECT,
        related_name="trainees",
        verbose_name=_("organisation"),
    )
    governorate = models.ForeignKey(
        "geo.Governorate", models.PROTECT, related_name="trainees", verbose_name=_("governorate")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    pre_score = models.PositiveSmallIntegerField(_("pre-test score"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("post-test score"), null=True, blank=True)

    scope_field = "training__governorate"

    class Meta:
        ordering = ["training", "name", "name_ar", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                name="participant_has_name", condition=~Q(name="") | ~Q(name_ar="")
            ),
            models.CheckConstraint(name="participant_sex_valid", condition=Q(sex__in=["f", "m"])),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self.name or self.name_ar, self.name_ar or self.name)


class Attendance(models.Model):
    """A participant present on one day of the training (absent days have no row)."""

    participant = models.ForeignKey(
        Participant, models.CASCADE, related_name="attendance", verbose_name=_("participant")
    )
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.day}"
