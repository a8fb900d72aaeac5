from django.urls import path

from amina.supply import plan_views, views

app_name = "supply"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="item-list"),
    path("items/new/", views.item_edit, name="item-create"),
    path("items/<int:pk>/", views.item_edit, name="item-edit"),
    path("warehouses/", views.warehouse_list, name="warehouse-list"),
    path("warehouses/new/", views.warehouse_edit, name="warehouse-create"),
    path("warehouses/<int:pk>/", views.warehouse_detail, name="warehouse-detail"),
    path("warehouses/<int:pk>/edit/", views.warehouse_edit, name="warehouse-edit"),
    path("warehouses/<int:pk>/<slug:action>/", views.stock_action, name="stock-action"),
    path("movements/", views.movement_list, name="movement-list"),
    path("movements/<int:pk>/reverse/", views.movement_reverse, name="movement-reverse"),
    path("waybills/", views.waybill_list, name="waybill-list"),
    path("waybills/new/", views.waybill_create, name="waybill-create"),
    path("waybills/<int:pk>/", views.waybill_detail, name="waybill-detail"),
    path("waybills/<int:pk>/pdf/", views.waybill_pdf, name="waybill-pdf"),
    path("waybills/<int:pk>/<slug:action>/", views.waybill_action, name="waybill-action"),
    path("plans/", plan_views.plan_list, name="plan-list"),
    path("plans/new/", plan_views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/distribute/", plan_views.distribute, name="plan-distribute"),
    path("plans/<int:pk>/print/", plan_views.distribution_print, name="plan-print"),
    path("plans/<int:pk>/<slug:action>/", plan_views.plan_action, name="plan-action"),
    path("distributions/", plan_views.distribution_list, name="distribution-list"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("export/<slug:kind>/", views.export, name="export"),
]
