"""Sans-IO: which queues each interface is a member of, per link.

``QueueMemberRemoved`` says an agent left one queue; the agent is logged
out only once in no queue anymore. ``Membership`` learns the members from
the ``QueueStatus`` resync (``QueueMember``) and follows
``QueueMemberAdded``/``QueueMemberRemoved``; ``filter`` drops the
*logged out* of a removal while other queues keep the interface.
"""
from __future__ import annotations

from .mapping import Event
from .protocol import Message

__all__ = ['Membership']


class Membership:
    "Queues per interface, as last reported by the PBX."

    def __init__(self) -> None:
        self.queues: dict[str, set[str]] = {}

    def reset(self, messages: list[Message]) -> None:
        "Start again from a ``QueueStatus`` answer."
        self.queues = {}
        for message in messages:
            if message.name.lower() == 'queuemember':
                self._add(message.get('Location') or message.get(
                    'Interface'), message.get('Queue'))

    def _add(self, interface: str | None, queue: str | None) -> None:
        if interface and queue:
            self.queues.setdefault(interface, set()).add(queue)

    def filter(self, message: Message, states: list[Event]) -> list[Event]:
        """Track ``message``; the state changes of ``states`` that still
        hold (a removal logs out only from the last queue)."""
        name = message.name.lower()
        interface = message.get('Interface')
        if name == 'queuememberadded':
            self._add(interface, message.get('Queue'))
        elif name == 'queuememberremoved' and interface:
            left = self.queues.get(interface, set())
            left.discard(message.get('Queue') or '')
            if left:
                return []
            self.queues.pop(interface, None)
        return states
