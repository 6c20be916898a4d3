"""Test data shared by the simulator's tests: the sample definition of seed 002
("Create a subscription") and a weekday's busy hour (10:30) of the model's clock."""

from __future__ import annotations

PEAK = 1_700_006_400 + 10.5 * 3600
SEED_SAMPLE = {
    "notificationMode": "Periodical",
    "notificationFrequency": 10,
    "insensitivity": 1,
    "category": "TotalAdjustedTime",
    "subject": "DNStatus",
    "intervalType": "GrowingWindow",
    "mainMask": "WaitForNextCall",
    "dynamicTimeProfile": "00:00",
    "dynamicFilter": "Media=voice",
    "maskType": "DN",
}
