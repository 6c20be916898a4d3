"""A change to any floor message (posted, edited, withdrawn; from the page or the
admin) reaches the service wherever the bridge runs: `{"type": "floor.changed"}` on
the channel FLOOR_CHANNEL, after the transaction commits, so the service reads the
committed rows (dashboard/floor/service.py)."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dashboard.floor.models import FloorMessage
from dashboard.floor.service import FLOOR_CHANNEL


def notify_floor() -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.send)(FLOOR_CHANNEL, {"type": "floor.changed"})
    except ChannelFull:
        pass  # nothing reads it (no bridge yet): a bridge reads the messages when it starts


def _changed(sender: object, **kwargs: object) -> None:
    transaction.on_commit(notify_floor)


def connect() -> None:
    post_save.connect(_changed, sender=FloorMessage, dispatch_uid="floor-save")
    post_delete.connect(_changed, sender=FloorMessage, dispatch_uid="floor-delete")
    m2m_changed.connect(_changed, sender=FloorMessage.wallboards.through, dispatch_uid="floor-m2m")
