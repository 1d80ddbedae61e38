"""Annual review records in the admin, read-only: a review year is created and changed on the
managers' pages (review_year_create and its form check the dates and formats); a letter moves
through its states only by the approval and delivery services (the database refuses other moves
of an issued letter); the outbox is written and sent by reviews.delivery. Changing any of these
here would bypass those rules, so administrators can look them up, not change or delete them."""

from django.contrib import admin

from ombudsman.admin import ReadOnlyMixin
from reviews.models import (
    AnnualLetter,
    CouncilParagraph,
    LetterDownload,
    LetterEvent,
    OutboxMessage,
    ReviewRun,
    ReviewYear,
)


@admin.register(ReviewYear)
class ReviewYearAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["label", "letter_format", "average_method", "letter_date", "publication_date", "published_at"]
    list_filter = ["letter_format", "average_method"]
    search_fields = ["label"]


@admin.register(ReviewRun)
class ReviewRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["review_year", "started_at", "started_by", "queued"]
    list_filter = ["review_year"]
    list_select_related = ["review_year", "started_by"]


@admin.register(CouncilParagraph)
class CouncilParagraphAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["review_year", "council", "updated_by", "updated_at"]
    list_filter = ["review_year"]
    search_fields = ["council__name", "council__gss_code"]
    list_select_related = ["review_year", "council", "updated_by"]


class LetterEventInline(admin.TabularInline):
    model = LetterEvent
    extra = 0
    fields = ["at", "action", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnnualLetter)
class AnnualLetterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["council", "review_year", "version", "status", "generated_at", "approved_at", "sent_at"]
    list_filter = ["review_year", "status"]
    search_fields = ["council__name", "council__formal_name", "council__gss_code"]
    list_select_related = ["council", "review_year"]
    show_full_result_count = False
    inlines = [LetterEventInline]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["letter", "recipient", "role", "kind", "status", "attempts", "queued_at", "sent_at"]
    list_filter = ["status", "kind", "role"]
    search_fields = ["recipient", "letter__council__name", "message_id"]
    list_select_related = ["letter__council", "letter__review_year"]
    show_full_result_count = False


@admin.register(LetterDownload)
class LetterDownloadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["downloaded_at", "letter", "version", "kind", "user", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["letter__council__name", "user__email"]
    list_select_related = ["letter__council", "letter__review_year", "user"]
    show_full_result_count = False
