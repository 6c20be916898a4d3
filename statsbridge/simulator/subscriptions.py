"""Statistic subscriptions held by the simulated Statistics service, per owner.

An owner is the user a token belongs to: updates of a subscription go to the
CometD clients of the same user, as on the real service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from statsbridge.simulator.statistics import NotificationPolicy, StatisticSpec


@dataclass
class OpenStatistic:
    subscription_id: str
    statistic_id: str
    spec: StatisticSpec
    policy: NotificationPolicy
    last_value: Any = None
    last_sent: float | None = None


@dataclass
class Subscription:
    subscription_id: str
    owner: str
    statistics: dict[str, OpenStatistic] = field(default_factory=dict)


class SubscriptionRegistry:
    def __init__(self) -> None:
        self._by_id: dict[str, Subscription] = {}
        self.created = 0
        self.deleted = 0

    def add(self, subscription: Subscription) -> None:
        self._by_id[subscription.subscription_id] = subscription
        self.created += 1

    def get(self, owner: str, subscription_id: str) -> Subscription | None:
        sub = self._by_id.get(subscription_id)
        return sub if sub is not None and sub.owner == owner else None

    def exists(self, subscription_id: str) -> bool:
        return subscription_id in self._by_id

    def delete(self, owner: str, subscription_id: str) -> bool:
        sub = self.get(owner, subscription_id)
        if sub is None:
            return False
        del self._by_id[subscription_id]
        self.deleted += 1
        return True

    def drop_all(self) -> None:
        """What an UNAVAILABLE or a restart does: every subscription is gone."""
        self._by_id.clear()

    def all(self) -> list[Subscription]:
        return list(self._by_id.values())

    @property
    def subscription_count(self) -> int:
        return len(self._by_id)

    @property
    def statistic_count(self) -> int:
        return sum(len(s.statistics) for s in self._by_id.values())
