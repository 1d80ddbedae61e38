"""Councils in the admin. Councils are never deleted (letters and cases refer to them) and contacts
are retired by contact_retire, so neither is deleted here."""

from django.contrib import admin

from councils.models import Contact, Council, CouncilMembership, Population
from ombudsman.admin import NoDeleteMixin


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    can_delete = False


@admin.register(Council)
class CouncilAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "formal_name", "gss_code", "authority_type", "region", "active_from", "active_to"]
    list_filter = ["authority_type", "region"]
    search_fields = ["name", "formal_name", "gss_code"]
    readonly_fields = ["sort_name"]
    raw_id_fields = ["county"]
    inlines = [ContactInline]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["council", "year", "population"]
    list_filter = ["year"]
    search_fields = ["council__name", "council__gss_code"]
    raw_id_fields = ["council"]


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "council", "contact", "created_at"]
    search_fields = ["user__email", "council__name"]
    raw_id_fields = ["user", "council", "contact"]
