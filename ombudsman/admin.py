"""The admin: for administrators to look things up and repair data. Its header is the site's
(templates/admin/base_site.html). Models whose changes must go through a service (letters,
review years, the outbox) are read-only here; deletion that a service must decide (or that no
service offers: cases, decisions) is not offered, one by one or in bulk."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ombudsman.models import Organisation, User

admin.site.site_header = f"{settings.SERVICE_NAME}: administration"
admin.site.site_title = f"{settings.SERVICE_NAME} administration"
admin.site.index_title = "Records"


class NoDeleteMixin:
    """No delete button and no "Delete selected" action: deletion goes through a service, or not at all."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    """To look up, not to change: the services keep these records' rules (and their history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
