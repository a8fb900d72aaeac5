"""The home-page panel of logistics: balances below their low-stock level, in scope."""

from django.db.models import F

from amina.accounts import access
from amina.lib.panels import home_panel
from amina.supply.models import StockBalance


@home_panel("supply/_panel.html")
def low_stock_panel(request):
    user = request.user
    if not access.sees_detail(user):
        return None
    low = (
        access.scoped(user, StockBalance)
        .filter(item__low_stock_level__gt=0, quantity__lt=F("item__low_stock_level"))
        .select_related("warehouse", "item")
        .order_by("quantity")[:10]
    )
    return {"low_stock": list(low)}
