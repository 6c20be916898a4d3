"""The supervisors' page for messages to the floor: `/messages/` (post, and the list
with Withdraw buttons) and `/messages/<id>/withdraw/` (POST). Signed-in users only;
each sees and withdraws only messages to wallboards they may message."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from dashboard.floor.forms import MessageForm
from dashboard.floor.models import FloorMessage
from dashboard.floor.permissions import wallboards_for

RECENT = 20


@login_required
def messages_page(request: HttpRequest) -> HttpResponse:
    allowed = wallboards_for(request.user)
    form = MessageForm(request.POST or None, wallboards=allowed)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            message = FloorMessage.objects.create(
                text=form.cleaned_data["text"],
                level=form.cleaned_data["level"],
                style=form.cleaned_data["style"],
                until=form.until(),
                author=request.user,
                author_name=request.user.get_username(),
            )
            message.wallboards.set(form.cleaned_data["wallboards"])
        notices.success(request, gettext("Message posted."))
        return redirect("floor-messages")
    shown = FloorMessage.objects.filter(wallboards__in=allowed).distinct().prefetch_related("wallboards")[:RECENT]
    return render(
        request,
        "floor/messages.html",
        {"form": form, "shown": shown, "now": timezone.now(), "has_wallboards": allowed.exists()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(FloorMessage, pk=pk)
    if not message.wallboards.filter(pk__in=wallboards_for(request.user)).exists():
        raise Http404("No such message")
    if message.withdraw(request.user.get_username()):
        notices.success(request, gettext("Message withdrawn."))
    return redirect("floor-messages")
