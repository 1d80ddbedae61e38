from django.urls import path

from complaints.views import cases, categories, decisions, imports, transfers

app_name = "complaints"

urlpatterns = [
    path("", cases.CaseListView.as_view(), name="case-list"),
    path("mine/", cases.MyCasesView.as_view(), name="my-cases"),
    path("new/", cases.CaseCreateView.as_view(), name="case-create"),
    path("export.csv", cases.CaseExportView.as_view(), name="case-export"),
    path("export/personal/", cases.CasePersonalExportView.as_view(), name="case-export-personal"),
    path("remedies/", decisions.RemedyQueueView.as_view(), name="remedy-queue"),
    path("<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("<int:pk>/edit/", cases.CaseEditView.as_view(), name="case-edit"),
    path("<int:pk>/assign/", cases.CaseAssignView.as_view(), name="case-assign"),
    path("<int:pk>/close/", cases.CaseCloseView.as_view(), name="case-close"),
    path("<int:pk>/reopen/", cases.CaseReopenView.as_view(), name="case-reopen"),
    path("<int:pk>/decision/", decisions.DecisionRecordView.as_view(), name="decision-record"),
    path("<int:pk>/recommendations/add/", decisions.RecommendationAddView.as_view(), name="recommendation-add"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/edit/",
        decisions.RecommendationEditView.as_view(),
        name="recommendation-edit",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/remove/",
        decisions.RecommendationRemoveView.as_view(),
        name="recommendation-remove",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/compliance/",
        decisions.RecommendationComplianceView.as_view(),
        name="recommendation-compliance",
    ),
    path("<int:pk>/compliance/", decisions.ComplianceRecordView.as_view(), name="compliance-record"),
    path("categories/", categories.CategoryListView.as_view(), name="category-list"),
    path("categories/add/", categories.CategoryCreateView.as_view(), name="category-add"),
    path("categories/<int:pk>/edit/", categories.CategoryEditView.as_view(), name="category-edit"),
    path("transfer/<str:gss_code>/", transfers.CasesTransferView.as_view(), name="cases-transfer"),
    path("import/", imports.ImportUploadView.as_view(), name="import-upload"),
    path("import/template.csv", imports.ImportTemplateView.as_view(), name="import-template"),
    path("import/<int:pk>/", imports.ImportPreviewView.as_view(), name="import-preview"),
    path("import/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="import-confirm"),
    path("import/<int:pk>/discard/", imports.ImportDiscardView.as_view(), name="import-discard"),
]
