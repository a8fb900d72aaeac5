"""Forms of the supply pages; numbers accept Eastern Arabic digits (``amina.lib.forms``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.geo.models import Location
from amina.lib.forms import Form, ModelForm
from amina.supply.models import Item, Warehouse


def warehouses_for(user, queryset=None):
    """Warehouses the user may read (the access policy), active ones first."""
    return access.scoped(user, queryset or Warehouse.objects.filter(active=True)).select_related(
        "governorate"
    )


class ItemForm(ModelForm):
    class Meta:
        model = Item
        fields = [
            "code",
            "name_en",
            "name_ar",
            "unit",
            "weight_kg",
            "volume_m3",
            "is_kit",
            "low_stock_level",
            "active",
        ]


class KitComponentsForm(Form):
    components = forms.CharField(
        label=_("Kit components"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line: item code and quantity, e.g. "soap 4".'),
    )

    def parsed(self) -> list[tuple[Item, int]]:
        from amina.lib.arabic import to_western_digits

        out, errors = [], []
        for n, raw in enumerate(self.cleaned_data.get("components", "").splitlines(), start=1):
            parts = to_western_digits(raw).split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) <= 0:
                errors.append(_("Line %(n)s: write an item code and a quantity.") % {"n": n})
                continue
            item = Item.objects.filter(code=parts[0]).first()
            if item is None:
                errors.append(
                    _("Line %(n)s: no item with code %(code)s.") % {"n": n, "code": parts[0]}
                )
                continue
            out.append((item, int(parts[1])))
        if errors:
            raise forms.ValidationError(errors)
        return out


class WarehouseForm(ModelForm):
    class Meta:
        model = Warehouse
        fields = [
            "code",
            "name_en",
            "name_ar",
            "kind",
            "governorate",
            "location",
            "capacity_m3",
            "managers",
            "active",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].queryset = access.governorates_in_scope(user)
        self.fields["location"].queryset = access.scoped(user, Location)
        self.fields["location"].widget = forms.NumberInput(attrs={"class": "form-control"})
        self.fields["location"].help_text = _("Location id (optional), from the geography pages.")
        from amina.accounts.models import User

        self.fields["managers"].queryset = User.objects.filter(
            is_active=True, role__in=["logistics", "admin"]
        ).order_by("username")
        self.fields["managers"].required = False


class ReceiptForm(Form):
    item = forms.ModelChoiceField(Item.objects.filter(active=True), label=_("Item"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    donor = forms.CharField(label=_("Donor or supplier"), max_length=160)
    reference = forms.CharField(
        label=_("Reference (goods received note)"), max_length=120, required=False
    )


class LossForm(Form):
    item = forms.ModelChoiceField(Item.objects.filter(active=True), label=_("Item"))
    quantity = forms.IntegerField(label=_("Quantity lost or damaged"), min_value=1)
    reason = forms.CharField(label=_("What happened"), max_length=300)


class CountForm(Form):
    item = forms.ModelChoiceField(Item.objects.filter(active=True), label=_("Item"))
    counted = forms.IntegerField(label=_("Quantity counted"), min_value=0)
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReverseForm(Form):
    reason = forms.CharField(label=_("Why is this entry reversed?"), max_length=300)


class WaybillForm(Form):
    origin = forms.ModelChoiceField(Warehouse.objects.none(), label=_("From"))
    destination = forms.ModelChoiceField(Warehouse.objects.filter(active=True), label=_("To"))
    transporter = forms.CharField(label=_("Transporter"), max_length=120, required=False)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=60, required=False)
    driver = forms.CharField(label=_("Driver"), max_length=120, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    LINES = 5

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = warehouses_for(user)
        self.fields["destination"].queryset = Warehouse.objects.filter(active=True).select_related(
            "governorate"
        )
        items = Item.objects.filter(active=True)
        for n in range(1, self.LINES + 1):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(
                items, required=n == 1, label=_("Item")
            )
            self.fields[f"quantity_{n}"] = forms.IntegerField(
                min_value=1, required=n == 1, label=_("Quantity")
            )
        # The widgets of the fields added above get their classes too.
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")

    def clean(self):
        data = super().clean()
        lines = []
        for n in range(1, self.LINES + 1):
            item, quantity = data.get(f"item_{n}"), data.get(f"quantity_{n}")
            if item and not quantity:
                self.add_error(f"quantity_{n}", _("Enter the quantity."))
            elif quantity and not item:
                self.add_error(f"item_{n}", _("Choose the item."))
            elif item and quantity:
                lines.append((item, quantity))
        data["lines"] = lines
        return data

    def line_rows(self):
        return [(self[f"item_{n}"], self[f"quantity_{n}"]) for n in range(1, self.LINES + 1)]


class PlanForm(Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    site = forms.ModelChoiceField(Warehouse.objects.none(), label=_("Distribution site"))
    item = forms.ModelChoiceField(Item.objects.filter(active=True), label=_("Item or kit"))
    period = forms.CharField(
        label=_("Entitlement period"),
        max_length=20,
        help_text=_("For example 2015-winter: one per household per period."),
    )
    need_identified_on = forms.DateField(
        label=_("Need identified on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    locations = forms.ModelMultipleChoiceField(
        Location.objects.none(), required=False, label=_("Households living in")
    )
    min_score = forms.IntegerField(label=_("Minimum vulnerability score"), min_value=0, initial=0)
    priority_floor = forms.IntegerField(
        label=_("Priority floor (must be served)"), min_value=0, required=False
    )
    capacity_kg = forms.DecimalField(
        label=_("Transport capacity (kg)"), min_value=0, required=False
    )
    capacity_m3 = forms.DecimalField(
        label=_("Transport capacity (m³)"), min_value=0, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = warehouses_for(user).filter(
            kind__in=[Warehouse.Kind.SITE, Warehouse.Kind.HUB]
        )
        self.fields["locations"].queryset = access.scoped(user, Location).order_by("name_en")
        self.fields["locations"].widget.attrs["size"] = 6


class OverrideForm(Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label=_("Decision"),
        choices=[("in", _("put in")), ("out", _("take out")), ("", _("clear the override"))],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ScanForm(Form):
    reference = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "dir": "ltr"}),
    )


class PurposeForm(Form):
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, help_text=_("Why you need the names; it is logged.")
    )
