"""Sans-IO: the agents of each campaign queue, as the PBX reports them.

The dialer paces on the PBX's own view (no database round trip in the
decision loop): a member is *logged in* while in the queue, *ready* when
not paused and its device not in use (``Status`` 1), *busy* otherwise.
Learned from ``QueueStatus`` (``QueueMember``) after each login, then
followed with ``QueueMemberAdded``/``Removed``/``Pause``/``Status``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .tracking import Event

__all__ = ['Members']

NOT_INUSE = '1'


@dataclass
class Member:
    paused: bool = False
    status: str = NOT_INUSE

    @property
    def ready(self) -> bool:
        return not self.paused and self.status == NOT_INUSE


@dataclass
class Members:
    queues: dict[str, dict[str, Member]] = field(default_factory=dict)

    def reset(self, events: list[Event]) -> None:
        self.queues = {}
        for event in events:
            if event.name.lower() == 'queuemember':
                self._set(event, event.get('Location')
                    or event.get('Interface'))

    def feed(self, event: Event) -> bool:
        "Track ``event``; True when a member of some queue changed."
        name = event.name.lower()
        if not name.startswith('queuemember'):
            return False
        interface, queue = event.get('Interface'), event.get('Queue') or ''
        if name == 'queuememberremoved':
            self.queues.get(queue, {}).pop(interface or '', None)
            return True
        return self._set(event, interface)

    def _set(self, event: Event, interface: str | None) -> bool:
        queue = event.get('Queue')
        if not interface or not queue:
            return False
        member = self.queues.setdefault(queue, {}).setdefault(
            interface, Member())
        member.paused = event.get('Paused') == '1'
        member.status = event.get('Status') or member.status
        return True

    def counts(self, queue: str) -> tuple[int, int]:
        "Agents logged in to ``queue`` and, of those, ready."
        members = self.queues.get(queue, {}).values()
        return len(members), sum(m.ready for m in members)
