from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from ombudsman import enrolment
from ombudsman.models import Organisation, StaffEnrolment, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["send_enrolment_link", "issue_enrolment_code"]

    @admin.action(description="Email a link to set up two-step verification (staff)")
    def send_enrolment_link(self, request, queryset):
        for user in queryset:
            try:
                enrolment.enrolment_send_link(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user.email}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"Enrolment link sent to {user.email}.", messages.SUCCESS)

    @admin.action(description="Issue an enrolment code for two-step verification (staff)")
    def issue_enrolment_code(self, request, queryset):
        for user in queryset:
            try:
                code = enrolment.enrolment_issue_code(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user.email}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Enrolment code for {user.email}: {code}. Give it to them yourself (not by email); "
                    "it is shown only now and replaces any earlier link or code.",
                    messages.SUCCESS,
                )


@admin.register(StaffEnrolment)
class StaffEnrolmentAdmin(admin.ModelAdmin):
    """Read only: enrolments are issued from the user list's actions."""

    list_display = ["user", "method", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["method"]
    search_fields = ["user__email"]
    readonly_fields = [field.name for field in StaffEnrolment._meta.fields if field.name != "token_hash"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The one row of the organisation profile. The logo is uploaded on the managers' page (its
    content is checked there), so here it is read-only."""

    list_display = ["name", "telephone", "website", "updated_at"]
    fields = ["name", "postal_address", "telephone", "website", "reference_format", "logo_type", "logo_name"]
    readonly_fields = ["logo_type", "logo_name"]

    def has_add_permission(self, request):
        return not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
