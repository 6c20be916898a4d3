"""Admins choose a user's language on the user's page (an inline); wallboards' time zone
and language are plain fields of the wallboard's page (dashboard/boards/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy

from dashboard.i18n.models import LanguagePreference


class LanguagePreferenceInline(admin.StackedInline):
    model = LanguagePreference
    can_delete = True
    extra = 0
    max_num = 1
    verbose_name = verbose_name_plural = gettext_lazy("interface language")


class UserWithLanguageAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, LanguagePreferenceInline]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserWithLanguageAdmin)
