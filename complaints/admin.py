"""Admin for casework: for looking things up and repairs by administrators. Every change
still passes the database's constraints and triggers and is recorded in the history;
caseworkers use the casework pages, which apply the services' rules. Nothing is deleted here:
cases are closed, decisions replaced, recommendations removed and categories retired through the
casework pages' services."""

from django.contrib import admin

from complaints.models import Category, Complaint, ComplianceOutcome, Decision, ExportLog, Recommendation
from ombudsman.admin import NoDeleteMixin, ReadOnlyMixin


@admin.register(Category)
class CategoryAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "position", "is_active", "slug"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["is_current", "decided_on", "outcome", "upheld_kind", "form", "decided_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["reference", "council", "received_on", "category", "status", "assigned_to"]
    list_filter = ["status", "council__authority_type"]
    search_fields = ["reference"]
    raw_id_fields = ["council", "category", "subcategory", "assigned_to", "created_by"]
    readonly_fields = ["reference", "created_by", "created_at", "updated_at"]
    date_hierarchy = "received_on"
    show_full_result_count = False
    list_select_related = ["council", "category", "assigned_to"]
    inlines = [DecisionInline]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    can_delete = False  # recommendation_remove decides whether one may go


@admin.register(Decision)
class DecisionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["complaint", "council", "decided_on", "outcome", "upheld_kind", "is_current"]
    list_filter = ["outcome", "upheld_kind", "is_current"]
    search_fields = ["complaint__reference"]
    raw_id_fields = ["complaint", "council", "decided_by"]
    show_full_result_count = False
    list_select_related = ["complaint", "council"]
    inlines = [RecommendationInline]


@admin.register(ComplianceOutcome)
class ComplianceOutcomeAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["decision", "council", "outcome", "recorded_on"]
    list_filter = ["outcome"]
    search_fields = ["decision__complaint__reference"]
    raw_id_fields = ["decision", "council", "recorded_by"]
    list_select_related = ["decision__complaint", "council"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: the log of who exported what is evidence, not data to edit."""

    list_display = ["created_at", "user", "personal", "row_count", "query", "reason"]
    list_filter = ["personal"]
    search_fields = ["user__email", "query", "reason"]
    list_select_related = ["user"]
