"""Admin: every floor message with who posted it and who withdrew it; admins may post
one here too (the author is whoever saves it) and withdraw selected ones."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from dashboard.floor.forms import plain_line
from dashboard.floor.models import FloorMessage


class FloorMessageForm(forms.ModelForm):
    class Meta:
        model = FloorMessage
        fields = ("text", "level", "style", "until", "wallboards")

    def clean_text(self) -> str:
        text = plain_line(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(gettext("Write the message."))
        return text


@admin.register(FloorMessage)
class FloorMessageAdmin(admin.ModelAdmin):
    form = FloorMessageForm
    list_display = (
        "text",
        "level",
        "style",
        "shown_on",
        "author_name",
        "created",
        "until",
        "withdrawn_at",
        "withdrawn_by",
    )
    list_filter = ("level", "style", "wallboards", "created")
    search_fields = ("text", "author_name")
    readonly_fields = ("author_name", "created", "withdrawn_at", "withdrawn_by")
    actions = ["withdraw_selected"]

    @admin.display(description=gettext_lazy("wallboards"))
    def shown_on(self, message: FloorMessage) -> str:
        return ", ".join(w.title for w in message.wallboards.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[FloorMessage]:
        return super().get_queryset(request).prefetch_related("wallboards")

    def save_model(self, request: HttpRequest, obj: FloorMessage, form: forms.Form, change: bool) -> None:
        if not change:
            obj.author, obj.author_name = request.user, request.user.get_username()
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Withdraw selected messages"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[FloorMessage]) -> None:
        done = sum(message.withdraw(request.user.get_username()) for message in queryset)
        self.message_user(request, gettext("%(count)s message(s) withdrawn.") % {"count": done})
