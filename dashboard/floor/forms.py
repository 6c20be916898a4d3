"""The supervisor's form: text, level, style, how long, which wallboards.

Text is plain text on one line: control characters (and line breaks) become spaces,
runs of spaces one, at most MAX_TEXT characters. It is never markup: the wallboard sets
it with `textContent`, so `<script>` shows as those characters."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.boards.models import Wallboard
from dashboard.floor.models import MAX_TEXT, FloorMessage

DURATIONS = [(5, _("5 minutes")), (15, _("15 minutes")), (30, _("30 minutes")), (60, _("1 hour")), (120, _("2 hours")),
             (240, _("4 hours")), (480, _("8 hours")), (1440, _("24 hours"))]  # fmt: skip


def plain_line(value: str) -> str:
    """One readable line: no control or format characters (bidi overrides, zero-width
    joiners), whitespace collapsed."""
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in value)
    return re.sub(r" +", " ", kept).strip()


class MessageForm(forms.Form):
    text = forms.CharField(max_length=MAX_TEXT, widget=forms.TextInput(attrs={"maxlength": MAX_TEXT}))
    level = forms.ChoiceField(choices=FloorMessage.Level.choices, initial="info", widget=forms.RadioSelect)
    style = forms.ChoiceField(choices=FloorMessage.Style.choices, initial="banner", widget=forms.RadioSelect)
    minutes = forms.TypedChoiceField(choices=DURATIONS, coerce=int, initial=60, label=_("Show for"))
    wallboards = forms.ModelMultipleChoiceField(
        queryset=Wallboard.objects.none(), widget=forms.CheckboxSelectMultiple, to_field_name="slug"
    )

    def __init__(self, *args: object, wallboards: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["wallboards"].queryset = wallboards  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        text = plain_line(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Write the message."))
        return text

    def until(self) -> object:
        return timezone.now() + timedelta(minutes=self.cleaned_data["minutes"])
