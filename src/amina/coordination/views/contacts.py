"""The contacts directory: phones and e-mails shown only with the personal-data permission."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import log_access
from amina.coordination.forms import ContactForm
from amina.coordination.models import Contact
from amina.coordination.services.contacts import mask, save_contact
from amina.coordination.views.common import form_errors, page_of


def readable(user):
    return access.scoped(user, Contact.objects.all(), detail=False, national_records=True)


def contact_list(request):
    qs = (
        readable(request.user)
        .select_related("organisation", "governorate")
        .prefetch_related("sectors")
    )
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(organisation__name_en__icontains=q)
            | Q(organisation__acronym__icontains=q)
            | Q(title__icontains=q)
        )
    if gov := request.GET.get("governorate"):
        qs = qs.filter(governorate__pcode=gov)
    if sector := request.GET.get("sector"):
        qs = qs.filter(sectors__code=sector).distinct()
    page = page_of(request, qs)
    full = access.can_view_personal_data(request.user)
    for contact in page:
        contact.shown_phone = contact.phone if full else mask(contact.phone)
        contact.shown_email = contact.email if full else mask(contact.email)
    if full and len(page):
        log_access(
            request.user, Contact, [c.pk for c in page], "view", purpose="contacts directory"
        )
    from amina.needs.queries import sectors

    return render(
        request,
        "coordination/contact_list.html",
        {
            "page": page,
            "full": full,
            "q": q,
            "can_edit": access.allowed(request.user, "contact.manage"),
            "governorates": access.governorates_in_scope(request.user),
            "sectors": sectors(),
            "query": request.GET.urlencode(),
        },
    )


@access.requires("contact.manage")
def contact_add(request):
    return _contact_form(request, None)


@access.requires("contact.edit")
def contact_edit(request, pk):
    """Editing shows the number: ``contact.edit`` needs the personal-data permission."""
    contact = get_object_or_404(readable(request.user), pk=pk)
    access.check(request.user, "contact.edit", contact.governorate)
    return _contact_form(request, contact)


def _contact_form(request, contact):
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            save_contact(request.user, form.instance, form.cleaned_data["sectors"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("coordination:contact-list")
    if contact is not None:
        log_access(request.user, Contact, [contact.pk], "view", purpose="edit contact")
    return render(request, "coordination/form.html", {"form": form, "title": _("Contact")})
