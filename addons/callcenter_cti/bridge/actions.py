"""Correlation of AMI answers with the actions that asked for them.

As in panoramisk's ``actions.py``: each ActionID has a future, and a
multi-part answer (``EventList: start`` ... ``EventList: Complete``)
accumulates until it is complete.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

from .link import AmiError
from .protocol import Message

__all__ = ['ActionError', 'IDEMPOTENT', 'Pending', 'Response']

#: Read-only actions that may be sent again after a reconnect.
IDEMPOTENT = frozenset({
    'ping', 'coreshowchannels', 'queuestatus', 'queuesummary', 'status',
    'getvar', 'corestatus', 'extensionstate', 'mailboxcount',
    'pjsipshowendpoints', 'devicestatelist'})


@dataclass(frozen=True)
class Response:
    """An action's answer, with the events of an ``EventList`` reply."""

    message: Message
    events: tuple[Message, ...] = ()

    @property
    def success(self) -> bool:
        return self.message.is_success

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.message.get(key, default)


class Pending:
    """Collects the answer to one ActionID, EventList items included."""

    def __init__(self) -> None:
        self.future: asyncio.Future[Response] = (
            asyncio.get_running_loop().create_future())
        self.response: Message | None = None
        self.events: list[Message] = []

    def take(self, message: Message) -> bool:
        """Keep ``message`` if it belongs to this answer; resolve when done."""
        if self.response is None:
            if message.kind != 'response':
                return False
            self.response = message
            if (message.get('EventList') or '').lower() != 'start':
                self._resolve()
            return True
        if message.kind != 'event':
            return False
        if (message.get('EventList') or '').lower() == 'complete':
            self._resolve()
        else:
            self.events.append(message)
        return True

    def _resolve(self) -> None:
        assert self.response is not None
        if not self.future.done():
            self.future.set_result(Response(self.response, tuple(self.events)))


class ActionError(AmiError):
    """Asterisk answered ``Response: Error``."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.message.get('Message') or 'Error')
        self.response = response
