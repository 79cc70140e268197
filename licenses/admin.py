"""Read-only admin: the register changes only through its services (steward, reason, audit event)."""

from django.contrib import admin

from licenses.models import (
    EvaluationRun,
    License,
    LicenseText,
    Model,
    ModelVersion,
    Obligations,
    StatusChange,
    StatusProposal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = ["model", "version", "status", "license", "served_name", "added_on"]
    list_filter = ["status", "model__task", "license"]
    search_fields = ["model__name", "version", "served_name"]


for registered in (Model, License, LicenseText, Obligations, StatusChange, StatusProposal, EvaluationRun):
    admin.site.register(registered, ReadOnlyAdmin)
