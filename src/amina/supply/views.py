"""Supply pages: catalogue, warehouses, the ledger, waybills, pipeline and exports.

Thin: parse the form, call a service, render. Every read goes through the access
policy (``access.scoped`` / ``visible_waybills``); every write through ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.lib.commands import one_line
from amina.lib.downloads import file_response
from amina.supply import forms, services
from amina.supply.models import Item, StockBalance, StockMovement, Warehouse, Waybill
from amina.supply.services import pipeline as pipeline_service
from amina.supply.services.waybills import visible_waybills


def _fail(request, exc: Exception) -> None:
    messages.error(request, one_line(exc))


# ---------------------------------------------------------------- overview


def home(request):
    """Warehouses in scope with what they hold, and the waybills on the road."""
    user = request.user
    access.require_detail(user)
    warehouses = (
        forms.warehouses_for(user)
        .annotate(units=Sum("balances__quantity"), lines=Count("balances"))
        .order_by("governorate__pcode", "kind", "code")
    )
    on_road = (
        visible_waybills(user)
        .filter(status=Waybill.Status.DISPATCHED)
        .select_related("origin", "destination")[:20]
    )
    return render(
        request,
        "supply/home.html",
        {
            "warehouses": warehouses,
            "on_road": on_road,
            "can_write": access.allowed(user, "waybill.dispatch"),
        },
    )


# ---------------------------------------------------------------- catalogue


def item_list(request):
    access.require_detail(request.user)
    items = Item.objects.prefetch_related("components__component")
    return render(
        request,
        "supply/item_list.html",
        {"items": items, "can_write": access.allowed(request.user, "item.manage")},
    )


@access.requires("item.manage")
def item_edit(request, pk=None):
    item = get_object_or_404(Item, pk=pk) if pk else Item()
    initial = (
        "\n".join(f"{c.component.code} {c.quantity}" for c in item.components.all()) if pk else ""
    )
    form = forms.ItemForm(request.POST or None, instance=item)
    kit_form = forms.KitComponentsForm(request.POST or None, initial={"components": initial})
    if request.method == "POST" and form.is_valid() and kit_form.is_valid():
        try:
            components = kit_form.parsed()
            services.save_item(
                request.user,
                form.save(commit=False),
                components if (components or item.pk) else None,
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect("supply:item-list")
    return render(
        request,
        "supply/form.html",
        {
            "forms": [form, kit_form],
            "title": _("Item") if pk else _("New item"),
            "back": "supply:item-list",
        },
    )


# ---------------------------------------------------------------- warehouses


def warehouse_list(request):
    access.require_detail(request.user)
    qs = (
        forms.warehouses_for(request.user, Warehouse.objects.all())
        .annotate(units=Sum("balances__quantity"))
        .order_by("governorate__pcode", "kind", "code")
    )
    if kind := request.GET.get("kind"):
        qs = qs.filter(kind=kind)
    return render(
        request,
        "supply/warehouse_list.html",
        {
            "warehouses": qs,
            "kinds": Warehouse.Kind.choices,
            "can_write": access.allowed(request.user, "warehouse.manage"),
        },
    )


@access.requires("warehouse.manage")
def warehouse_edit(request, pk=None):
    user = request.user
    warehouse = access.get_scoped_or_404(user, Warehouse, pk=pk) if pk else Warehouse()
    if pk:
        access.check(user, "warehouse.manage", warehouse.governorate_id)
    form = forms.WarehouseForm(request.POST or None, instance=warehouse, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_warehouse(
                user, form.save(commit=False), form.cleaned_data["managers"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Warehouse saved."))
            return redirect("supply:warehouse-detail", saved.pk)
    return render(
        request,
        "supply/form.html",
        {
            "forms": [form],
            "title": _("Warehouse") if pk else _("New warehouse"),
            "back": "supply:warehouse-list",
        },
    )


def warehouse_detail(request, pk):
    user = request.user
    warehouse = access.get_scoped_or_404(
        user, Warehouse.objects.select_related("governorate", "location"), pk=pk
    )
    balances = StockBalance.objects.filter(warehouse=warehouse).select_related("item")
    movements = StockMovement.objects.filter(warehouse=warehouse).select_related(
        "item", "created_by", "waybill"
    )[:30]
    return render(
        request,
        "supply/warehouse_detail.html",
        {
            "warehouse": warehouse,
            "balances": balances,
            "movements": movements,
            "can_write": access.allowed(user, "stock.move", warehouse.governorate_id),
            "waybills": visible_waybills(user)
            .filter(origin=warehouse)
            .exclude(status=Waybill.Status.CLOSED)[:10],
            "incoming": visible_waybills(user).filter(
                destination=warehouse, status=Waybill.Status.DISPATCHED
            )[:10],
        },
    )


STOCK_ACTIONS = {
    "receipt": (forms.ReceiptForm, gettext_lazy("Record a receipt")),
    "loss": (forms.LossForm, gettext_lazy("Record a loss or damage")),
    "count": (forms.CountForm, gettext_lazy("Adjust after a count")),
}


@access.requires(dict.fromkeys(STOCK_ACTIONS, "stock.move"))
def stock_action(request, pk, action):
    """Receipt, loss and count forms of one warehouse."""
    user = request.user
    warehouse = access.get_scoped_or_404(user, Warehouse, pk=pk)
    access.check(user, "stock.move", warehouse.governorate_id)
    form_class, title = STOCK_ACTIONS[action]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "receipt":
                services.record_receipt(
                    user,
                    warehouse,
                    d["item"],
                    d["quantity"],
                    donor=d["donor"],
                    reference=d["reference"],
                )
            elif action == "loss":
                services.record_loss(user, warehouse, d["item"], d["quantity"], reason=d["reason"])
            else:
                services.adjust_after_count(
                    user, warehouse, d["item"], d["counted"], reason=d["reason"]
                )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Recorded in the stock ledger."))
            return redirect("supply:warehouse-detail", warehouse.pk)
    return render(
        request,
        "supply/form.html",
        {
            "forms": [form],
            "title": title,
            "subtitle": warehouse.name,
            "back_href": reverse("supply:warehouse-detail", args=[warehouse.pk]),
        },
    )


# ---------------------------------------------------------------- ledger


def movement_list(request):
    user = request.user
    qs = access.scoped(user, StockMovement).select_related(
        "warehouse", "item", "created_by", "waybill", "reverses"
    )
    params = request.GET
    if w := params.get("warehouse"):
        qs = qs.filter(warehouse_id=w) if w.isdigit() else qs.none()
    if i := params.get("item"):
        qs = qs.filter(item__code=i)
    if k := params.get("kind"):
        qs = qs.filter(kind=k)
    page = Paginator(qs, 50).get_page(params.get("page"))
    return render(
        request,
        "supply/movement_list.html",
        {
            "page": page,
            "kinds": StockMovement.Kind.choices,
            "warehouses": forms.warehouses_for(user, Warehouse.objects.all()),
            "items": Item.objects.all(),
            "can_write": access.allowed(user, "stock.move"),
            "reversible": {
                k for k in StockMovement.Kind.values if k not in services.ledger.NOT_REVERSIBLE
            },
        },
    )


@access.requires("stock.move")
def movement_reverse(request, pk):
    user = request.user
    movement = access.get_scoped_or_404(
        user, StockMovement.objects.select_related("warehouse", "item"), pk=pk
    )
    access.check(user, "stock.move", movement.warehouse.governorate_id)
    form = forms.ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_movement(user, movement, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("The entry was reversed."))
            return redirect("supply:warehouse-detail", movement.warehouse_id)
    return render(
        request,
        "supply/form.html",
        {
            "forms": [form],
            "title": _("Reverse a ledger entry"),
            "subtitle": f"{movement.get_kind_display()} {movement.quantity:+d} "
            f"{movement.item.code} · {movement.warehouse.code}",
            "back": "supply:movement-list",
        },
    )


# ---------------------------------------------------------------- waybills


def waybill_list(request):
    user = request.user
    access.require_detail(user)
    qs = (
        visible_waybills(user)
        .select_related("origin", "destination")
        .annotate(n_lines=Count("lines"))
        .order_by("-planned_at", "-pk")
    )
    if status := request.GET.get("status"):
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supply/waybill_list.html",
        {
            "page": page,
            "statuses": Waybill.Status.choices,
            "can_write": access.allowed(user, "waybill.dispatch"),
        },
    )


@access.requires("waybill.dispatch")
def waybill_create(request):
    user = request.user
    form = forms.WaybillForm(
        request.POST or None, user=user, initial={"origin": request.GET.get("origin")}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            waybill = services.plan_waybill(
                user,
                d["origin"],
                d["destination"],
                d["lines"],
                transporter=d["transporter"],
                vehicle=d["vehicle"],
                driver=d["driver"],
                notes=d["notes"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Waybill %(n)s planned.") % {"n": waybill.number})
            return redirect("supply:waybill-detail", waybill.pk)
    return render(request, "supply/waybill_form.html", {"form": form})


def _waybill(request, pk) -> Waybill:
    return get_object_or_404(
        visible_waybills(request.user).select_related(
            "origin__governorate",
            "destination__governorate",
            "created_by",
            "dispatched_by",
            "received_by",
        ),
        pk=pk,
    )


def waybill_detail(request, pk):
    user = request.user
    waybill = _waybill(request, pk)
    lines = list(waybill.lines.select_related("item"))
    return render(
        request,
        "supply/waybill_detail.html",
        {
            "waybill": waybill,
            "lines": lines,
            "can_dispatch": waybill.status == Waybill.Status.PLANNED
            and access.allowed(user, "waybill.dispatch", waybill.origin.governorate_id),
            "can_receive": waybill.status == Waybill.Status.DISPATCHED
            and access.allowed(user, "waybill.receive", waybill.destination.governorate_id),
            "can_close": waybill.status == Waybill.Status.RECEIVED
            and access.allowed(user, "waybill.receive", waybill.destination.governorate_id),
        },
    )


#: The step of a waybill each form posts, and the action it takes.
WAYBILL_STEPS = {
    "dispatch": "waybill.dispatch",
    "cancel": "waybill.dispatch",
    "receive": "waybill.receive",
    "close": "waybill.receive",
}


@require_POST
@access.requires(WAYBILL_STEPS)
def waybill_action(request, pk, action):
    """dispatch / receive / close / cancel: each a service call that claims the status."""
    user = request.user
    waybill = _waybill(request, pk)
    try:
        if action == "dispatch":
            services.dispatch_waybill(user, waybill)
            messages.success(
                request, _("Dispatched: the stock left %(w)s.") % {"w": waybill.origin.name}
            )
        elif action == "receive":
            received, remarks = {}, {}
            from amina.lib.arabic import to_western_digits

            for line in waybill.lines.all():
                good = to_western_digits(request.POST.get(f"good_{line.pk}", "")).strip()
                bad = to_western_digits(request.POST.get(f"damaged_{line.pk}", "")).strip() or "0"
                if not good.isdigit() or not bad.isdigit():
                    raise ValidationError(
                        _("%(item)s: enter whole numbers for received and damaged.")
                        % {"item": line.item.code}
                    )
                received[line.pk] = (int(good), int(bad))
                remarks[line.pk] = request.POST.get(f"remark_{line.pk}", "")
            services.receive_waybill(user, waybill, received, remarks=remarks)
            messages.success(request, _("Received at %(w)s.") % {"w": waybill.destination.name})
        elif action == "close":
            services.close_waybill(user, waybill)
            messages.success(request, _("Waybill closed."))
        elif action == "cancel":
            services.cancel_waybill(user, waybill)
            messages.success(request, _("Waybill cancelled."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("supply:waybill-detail", waybill.pk)


def waybill_pdf(request, pk):
    from amina.supply.pdf import waybill_pdf as render_waybill

    waybill = _waybill(request, pk)
    content = render_waybill(waybill, request.LANGUAGE_CODE)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{waybill.number}.pdf"'
    return response


# ---------------------------------------------------------------- pipeline and exports


def pipeline(request):
    user = request.user
    return render(
        request,
        "supply/pipeline.html",
        {
            "governorates": pipeline_service.pipeline(user),
            "lead": pipeline_service.lead_times(user),
            "vulnerable": pipeline_service.vulnerable_first_share(user),
            "consumption_days": pipeline_service.CONSUMPTION_DAYS,
        },
    )


@access.writes_nothing("a personal-data export asks its purpose by POST")
def export(request, kind):
    """Stock (no personal data) downloads directly; distributions ask for a purpose."""
    from amina.supply.cli import export_distributions, export_stock

    user = request.user
    fmt = request.GET.get("format") or request.POST.get("format") or "csv"
    if fmt not in ("csv", "xlsx", "hxl"):
        fmt = "csv"
    if kind == "stock":
        return file_response(export_stock(user, fmt), fmt, "stock")
    if kind != "distributions":
        raise PermissionDenied
    form = forms.PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = export_distributions(user, fmt, purpose=form.cleaned_data["purpose"])
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            return file_response(content, fmt, "distributions")
    return render(request, "supply/export_form.html", {"form": form, "format": fmt})
