from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ombudsman.models import Organisation, User


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
