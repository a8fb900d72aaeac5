from django.conf import settings

from amina.lib.nav import items_for


def amina(request):
    return {
        "AMINA_TILE_URL": settings.AMINA_TILE_URL,
        "AMINA_TILE_ATTRIBUTION": settings.AMINA_TILE_ATTRIBUTION,
        "nav_items": items_for(getattr(request, "user", None)),
    }
