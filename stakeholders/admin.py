"""Django admin for platform operators. Only structural records are here: people, invitations
and sensitive records are changed through the app's own pages and services, so that grants,
audiences and the audit trail stay right."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import AuditEntry, Community, Organization, Sector, SectorTemplate

# Groups are the audiences that grant sight of records: they follow each person's role, sectors
# and organization (`services.sync_audiences`, which records every change in the audit trail).
# Django's own admin would change them unrecorded, so here they are only shown.
admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    readonly_fields = ["groups", "user_permissions"]
    filter_horizontal = []


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SectorTemplate)
class SectorTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "is_experiential", "position"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "is_experiential", "is_required", "position"]
    list_filter = ["community"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "sector", "status"]
    list_filter = ["community", "status"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For what operators may look at but must change through the app's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "community", "actor"]
    list_filter = ["action"]
