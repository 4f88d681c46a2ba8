"""Sans-IO: the dialer's calls in flight and their outcomes from AMI events.

The dialer originates the customer's number with the variable
``CALLCENTER_ATTEMPT``; Asterisk sets it on the new channel (a ``VarSet``
naming the channel's ``Uniqueid``), so every later event of that channel
is matched to the attempt:

=========================  ==============================================
``Newstate`` Up            answered
``VarSet AMDSTATUS``       ``HUMAN``/``NOTSURE``: a person (Ofcom counts a
                           person taken for a machine as abandoned, so
                           the doubtful side is the person's);
                           ``MACHINE``: a machine
``QueueCallerJoin``        waiting for an agent (the 2 s run)
``AgentConnect``           connected to the agent of ``Interface``
``DialEnd`` ANSWER         preview: the agent who asked answered
``VarSet QUEUESTATUS``     ``TIMEOUT``: no agent within 2 s, abandoned
``Hangup``                 the end: the outcome (below)
``OriginateResponse``      a failure before any channel (``Reason``)
=========================  ==============================================

Outcome at the hang-up: never answered: ``busy`` (cause 17, 21),
``invalid`` (1, 3, 22, 27, 28, 34, 38), else ``no_answer``; answered by a
machine: ``machine``; by a person connected to an agent or played the
campaign's IVR, audio or text: ``live``; by a person not connected:
``abandoned``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = ['Flight', 'Outcome', 'Tracker']

BUSY_CAUSES = frozenset({17, 21})
INVALID_CAUSES = frozenset({1, 3, 22, 27, 28, 34, 38})
FAILURE_REASONS = {'5': 'busy', '8': 'invalid', '0': 'invalid',
    '3': 'no_answer', '1': 'no_answer'}


class Event(Protocol):
    name: str

    def get(self, key: str, default: str | None = None) -> str | None: ...


@dataclass
class Flight:
    "A campaign call placed and not ended."

    attempt: int
    campaign: int
    number: str
    dialled_at: float
    connect: str = 'queue'
    action_id: str = ''
    uniqueid: str = ''
    answered_at: float | None = None
    #: True a person, False a machine, None not known (yet).
    human: bool | None = None
    waiting: bool = False
    connected_at: float | None = None
    agent: str = ''
    timed_out: bool = False

    @property
    def ringing(self) -> bool:
        return self.answered_at is None

    def result(self, cause: int) -> str:
        if self.answered_at is None:
            if cause in BUSY_CAUSES:
                return 'busy'
            return 'invalid' if cause in INVALID_CAUSES else 'no_answer'
        if self.human is False:
            return 'machine'
        if self.connected_at is not None or (
                self.human and self.connect != 'queue'):
            return 'live'
        return 'abandoned' if self.human else 'no_answer'


@dataclass(frozen=True)
class Outcome:
    "How an attempt ended: what ``record_outcome`` stores."

    attempt: int
    campaign: int
    outcome: str
    dialled_at: float
    ended_at: float
    answered_at: float | None = None
    connected_at: float | None = None
    #: The interface of the agent it was connected to (``PJSIP/1001``).
    agent: str = ''
    uniqueid: str = ''

    @property
    def talk_seconds(self) -> float:
        if self.connected_at is None:
            return 0.0
        return max(self.ended_at - self.connected_at, 0.0)

    @property
    def answer_seconds(self) -> float:
        if self.answered_at is None:
            return 0.0
        return max(self.answered_at - self.dialled_at, 0.0)


@dataclass
class Tracker:
    """Flights by attempt, ``Uniqueid`` and ActionID; ``feed`` events in,
    finished :class:`Outcome` objects out."""

    flights: dict[int, Flight] = field(default_factory=dict)
    by_uniqueid: dict[str, Flight] = field(default_factory=dict)
    by_action: dict[str, Flight] = field(default_factory=dict)
    #: ``OriginateResponse`` failures seen before their ActionID was known.
    early_failures: dict[str, str] = field(default_factory=dict)

    def dialled(self, flight: Flight) -> Flight:
        self.flights[flight.attempt] = flight
        return flight

    def sent(self, attempt: int, action_id: str, now: float,
            ) -> Outcome | None:
        "The Originate was accepted; its failure may already be known."
        flight = self.flights.get(attempt)
        if flight is None or not action_id:
            return None
        flight.action_id = action_id
        self.by_action[action_id] = flight
        reason = self.early_failures.pop(action_id, None)
        if reason is not None and not flight.uniqueid:
            return self._finish(flight, FAILURE_REASONS.get(reason,
                    'no_answer'), now)
        return None

    def drop(self, attempt: int) -> Flight | None:
        "Forget an attempt never sent to the PBX."
        flight = self.flights.pop(attempt, None)
        if flight is not None:
            self.by_action.pop(flight.action_id, None)
            self.by_uniqueid.pop(flight.uniqueid, None)
        return flight

    def in_flight(self, campaign: int) -> tuple[int, int, int]:
        "Calls ringing, waiting for an agent and talking, of ``campaign``."
        ringing = waiting = talking = 0
        for flight in self.flights.values():
            if flight.campaign != campaign:
                continue
            if flight.ringing:
                ringing += 1
            elif flight.connected_at is not None:
                talking += 1
            elif flight.human is not False:
                waiting += 1
        return ringing, waiting, talking

    def feed(self, event: Event, now: float) -> list[Outcome]:
        name = event.name.lower()
        if name == 'originateresponse':
            return self._originate_response(event, now)
        uniqueid = event.get('Uniqueid') or ''
        if name == 'varset' and event.get('Variable') == (
                'CALLCENTER_ATTEMPT'):
            self._bind(uniqueid, event.get('Value') or '')
            return []
        flight = self.by_uniqueid.get(uniqueid)
        if flight is None:
            return []
        if name == 'hangup':
            return [self._finish(flight, flight.result(
                        _int(event.get('Cause'))), now)]
        self._update(flight, name, event, now)
        return []

    def _bind(self, uniqueid: str, value: str) -> None:
        flight = self.flights.get(_int(value))
        if flight is not None and uniqueid:
            flight.uniqueid = uniqueid
            self.by_uniqueid[uniqueid] = flight

    def _update(self, flight: Flight, name: str, event: Event,
            now: float) -> None:
        if name == 'newstate' and event.get('ChannelState') == '6':
            flight.answered_at = flight.answered_at or now
        elif name == 'varset':
            variable, value = event.get('Variable'), event.get('Value')
            if variable == 'AMDSTATUS':
                flight.human = value != 'MACHINE'
            elif variable == 'QUEUESTATUS' and value == 'TIMEOUT':
                flight.timed_out, flight.waiting = True, False
        elif name == 'queuecallerjoin':
            flight.waiting = True
            if flight.human is None:
                flight.human = True
        elif name == 'agentconnect':
            flight.connected_at, flight.waiting = now, False
            flight.agent = event.get('Interface') or ''
        elif name == 'dialend' and flight.connect == 'agent' and (
                event.get('DialStatus') == 'ANSWER'):
            # Preview: Dial() of the agent who asked for the call.
            flight.connected_at, flight.human = now, True
            flight.agent = _interface(event.get('DestChannel') or '')

    def _originate_response(self, event: Event, now: float,
            ) -> list[Outcome]:
        action_id = event.get('ActionID') or ''
        flight = self.by_action.get(action_id)
        if event.get('Response') == 'Success':
            if flight is not None:
                flight.answered_at = flight.answered_at or now
            return []
        reason = event.get('Reason') or '0'
        if flight is None:
            self.early_failures[action_id] = reason
            return []
        if flight.uniqueid:
            return []       # its Hangup says it (or said it) already
        return [self._finish(flight, FAILURE_REASONS.get(reason,
                    'no_answer'), now)]

    def _finish(self, flight: Flight, outcome: str, now: float) -> Outcome:
        self.drop(flight.attempt)
        return Outcome(flight.attempt, flight.campaign, outcome,
            flight.dialled_at, now, flight.answered_at, flight.connected_at,
            flight.agent, flight.uniqueid)

    def lost(self, alive: set[str], now: float,
            older_than: float) -> list[Outcome]:
        """After a PBX link drop: end the flights whose channel is gone
        (not in ``alive``, the ``CoreShowChannels`` Uniqueids) or that
        never got a channel and were dialled before ``older_than``."""
        ended = []
        for flight in list(self.flights.values()):
            if flight.uniqueid and flight.uniqueid not in alive:
                ended.append(self._finish(flight, flight.result(16), now))
            elif not flight.uniqueid and flight.dialled_at < older_than:
                ended.append(self._finish(flight, 'no_answer', now))
        return ended


def _interface(channel: str) -> str:
    "``PJSIP/1001-0000002a`` → ``PJSIP/1001``."
    return channel.rpartition('-')[0] or channel


def _int(value: str | None) -> int:
    value = (value or '').strip()
    return int(value) if value.isascii() and value.isdigit() and len(
        value) < 12 else 0
