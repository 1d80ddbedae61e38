from django.urls import path

from complaints import import_views, views

app_name = "complaints"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case-list"),
    path("mine/", views.MyCasesView.as_view(), name="my-cases"),
    path("new/", views.CaseCreateView.as_view(), name="case-create"),
    path("export.csv", views.CaseExportView.as_view(), name="case-export"),
    path("remedies/", views.RemedyQueueView.as_view(), name="remedy-queue"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("<int:pk>/edit/", views.CaseEditView.as_view(), name="case-edit"),
    path("<int:pk>/assign/", views.CaseAssignView.as_view(), name="case-assign"),
    path("<int:pk>/close/", views.CaseCloseView.as_view(), name="case-close"),
    path("<int:pk>/decision/", views.DecisionRecordView.as_view(), name="decision-record"),
    path("<int:pk>/recommendations/add/", views.RecommendationAddView.as_view(), name="recommendation-add"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/edit/",
        views.RecommendationEditView.as_view(),
        name="recommendation-edit",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/remove/",
        views.RecommendationRemoveView.as_view(),
        name="recommendation-remove",
    ),
    path("<int:pk>/compliance/", views.ComplianceRecordView.as_view(), name="compliance-record"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("categories/add/", views.CategoryCreateView.as_view(), name="category-add"),
    path("categories/<int:pk>/edit/", views.CategoryEditView.as_view(), name="category-edit"),
    path("import/", import_views.ImportUploadView.as_view(), name="import-upload"),
    path("import/<int:pk>/", import_views.ImportPreviewView.as_view(), name="import-preview"),
    path("import/<int:pk>/confirm/", import_views.ImportConfirmView.as_view(), name="import-confirm"),
    path("import/<int:pk>/discard/", import_views.ImportDiscardView.as_view(), name="import-discard"),
]
