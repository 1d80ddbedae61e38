from django.urls import include, path

from councils import views

app_name = "councils"

staff_patterns = [
    path("", views.CouncilListView.as_view(), name="council-list"),
    path("<str:gss_code>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("<str:gss_code>/edit/", views.CouncilEditView.as_view(), name="council-edit"),
    path("<str:gss_code>/contacts/add/", views.ContactAddView.as_view(), name="contact-add"),
    path("<str:gss_code>/contacts/<int:pk>/edit/", views.ContactEditView.as_view(), name="contact-edit"),
    path("<str:gss_code>/contacts/<int:pk>/remove/", views.ContactRemoveView.as_view(), name="contact-remove"),
    path("<str:gss_code>/contacts/<int:pk>/invite/", views.ContactInviteView.as_view(), name="contact-invite"),
]

urlpatterns = [
    path("staff/councils/", include(staff_patterns)),
    # The link an invited council contact follows to set a password (public: the link is the credential).
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
]
