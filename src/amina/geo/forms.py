"""Forms of the geography pages: a location, within the editor's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.geo.models import District, Location
from amina.lib.forms import Form, ModelForm


class LocationForm(ModelForm):
    """A location's names, place in the hierarchy and coordinates.

    The governorate choices are the editor's scope; the district must belong to the
    governorate chosen (checked again by ``services.save_place``).
    """

    class Meta:
        model = Location
        fields = [
            "name_en",
            "name_ar",
            "kind",
            "governorate",
            "district",
            "pcode",
            "dtm_place_id",
            "centroid_lat",
            "centroid_lon",
            "needs_review",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].queryset = access.governorates_in_scope(user)
        self.fields["district"].queryset = District.objects.filter(
            governorate__in=access.governorates_in_scope(user)
        ).select_related("governorate")
        self.fields["district"].label_from_instance = lambda d: (
            f"{d.governorate.name} — {d.name} ({d.pcode})"
        )
        self.fields["governorate"].label_from_instance = lambda g: f"{g.name} ({g.pcode})"
        self.fields["name_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        for name in ("pcode", "dtm_place_id"):
            self.fields[name].widget.attrs["dir"] = "ltr"

    def clean_pcode(self):
        return self.cleaned_data["pcode"] or None

    def clean_dtm_place_id(self):
        return self.cleaned_data["dtm_place_id"] or None

    def clean(self):
        data = super().clean()
        gov, district = data.get("governorate"), data.get("district")
        if gov and district and district.governorate_id != gov.pk:
            self.add_error("district", _("This district is not in the governorate chosen."))
        for field in ("centroid_lat", "centroid_lon"):
            value = data.get(field)
            bounds = (28.0, 38.5) if field == "centroid_lat" else (38.0, 49.0)
            if value is not None and not bounds[0] <= value <= bounds[1]:
                self.add_error(field, _("This point is outside Iraq."))
        return data


class BoundaryUploadForm(Form):
    file = forms.FileField(
        label=_("Boundary file (GeoJSON)"),
        help_text=_("An OCHA COD-AB file of admin level 1 or 2, as published on HDX."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".geojson", ".json")):
            raise forms.ValidationError(_("Choose a .geojson file."))
        return upload
