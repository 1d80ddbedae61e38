from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ombudsman import two_factor, views
from ombudsman.auth_forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm, SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/verify/", two_factor.verify, name="two-factor-verify"),
    path("sign-in/set-up/", two_factor.setup, name="two-factor-setup"),
    path("account/", views.account, name="account"),
    path("account/enrol/", two_factor.enrol_code, name="two-factor-enrol-code"),
    path("account/enrol/<str:token>/", two_factor.enrol, name="two-factor-enrol"),
    path("organisation/", views.OrganisationEditView.as_view(), name="organisation-edit"),
    path("account/recovery-codes/", two_factor.recovery_codes, name="two-factor-recovery-codes"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("councils.urls")),
    path("cases/", include("complaints.urls")),
    path("cases/", include("casefile.urls")),
    path("", include("reviews.views.urls")),
    path("", include("portal.urls")),
    path("", include("published.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "ombudsman.views.bad_request"
handler403 = "ombudsman.views.permission_denied"
handler404 = "ombudsman.views.page_not_found"
handler500 = "ombudsman.views.server_error"
