"""Campaign calls: Originates of a customer's number into a campaign context.

A dialer places a campaign call as Asterisk is asked to in
``config/asterisk/extensions.conf`` (``[callcenter-campaign]``)::

    Action: Originate
    Channel: PJSIP/+4940555123@trunk
    Context: callcenter-campaign
    Exten: s
    Priority: 1
    Timeout: 30000
    Async: true
    Variable: CALLCENTER_ATTEMPT=42,CALLCENTER_CONNECT=queue,...

The simulator answers it with an outcome drawn from an
:class:`OutboundModel` (shares of live / machine / busy / no answer /
invalid numbers, ring and talk times, outcomes forced per number prefix for
tests) and plays it with Asterisk's events:

- From the capture ``outbound_click_to_dial.txt`` (Asterisk 22.10.1): the
  originated channel's ``Newchannel``, the ``VarSet`` of the Originate's
  variables, ``Newstate`` Ringing then Up, then ``OriginateResponse``
  (``Response: Success``, ``Reason: 4``, the channel's ``Uniqueid``) after
  the answer and before the dialplan runs; ``Hangup`` with ``Cause``.
- From the AMI and dialplan documentation, not a capture: the failed
  ``OriginateResponse`` (``Response: Failure``, ``Uniqueid: <null>``,
  ``Reason`` 5 busy, 3 no answer, 8 congestion for an invalid number, as
  ``ast_pbx_outgoing_exten`` reports them) after the channel's ``Hangup``
  (cause 17 user busy, 19 no answer, 1 unallocated number); ``AMD()``
  setting ``AMDSTATUS`` and ``AMDCAUSE`` (``VarSet``); the queue's
  ``QueueCallerJoin``/``AgentCalled``/``AgentConnect`` as in
  ``scenarios.inbound``; a ``Queue()`` that times out after its 2 seconds
  giving ``QueueCallerLeave`` and ``QUEUESTATUS=TIMEOUT`` (app_queue's
  documentation: no ``QueueCallerAbandon``, the caller did not hang up),
  then the abandon message's ``Playback``.

:class:`OutboundReport` keeps what the simulator was asked to dial, for
assertions: every attempt, and each time a number was dialled while a call
to it was still up.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .calls import Call, Leg
from .config import SimConfig
from .model import Channel
from .outbound_model import OutboundModel
from .scenarios import _pick, _queue_block, converse
from .wire import Headers, lookup

if TYPE_CHECKING:
    from .server import Simulator

#: Contexts whose Originates are campaign calls.
CONTEXTS = ('callcenter-campaign',)
OUTCOMES = ('live', 'machine', 'busy', 'noanswer', 'invalid')
#: Originate failure ``Reason`` and channel ``Cause`` per outcome.
FAILURES = {'busy': ('5', 17), 'noanswer': ('3', 19), 'invalid': ('8', 1)}
#: Seconds ``Queue()`` waits for a free agent: the 2-second rule.
CONNECT_WINDOW = 2.0


@dataclass
class Attempt:
    "One campaign Originate as the simulator saw and played it."

    number: str
    action_id: str
    variables: dict[str, str]
    outcome: str
    dialled_at: float
    answered_at: float | None = None
    #: Extension of the agent the call was connected to, if any.
    agent: str | None = None
    abandoned: bool = False
    #: PBX time the agent answered (talk starts), if connected.
    connected_at: float | None = None
    ended_at: float | None = None
    uniqueid: str = ''


@dataclass
class OutboundReport:
    """What the simulator was asked to dial."""

    attempts: list[Attempt] = field(default_factory=list)
    #: Numbers dialled while a call to the same number was still up.
    overlaps: list[str] = field(default_factory=list)
    active: dict[str, int] = field(default_factory=dict)
    peak: int = 0

    def count(self, **match: object) -> int:
        return sum(all(getattr(a, k) == v for k, v in match.items())
            for a in self.attempts)

    def start(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        if self.active.get(attempt.number):
            self.overlaps.append(attempt.number)
        self.active[attempt.number] = self.active.get(attempt.number, 0) + 1
        self.peak = max(self.peak, sum(self.active.values()))

    def end(self, attempt: Attempt, at: float) -> None:
        attempt.ended_at = at
        self.active[attempt.number] -= 1


class Outbound:
    "The simulator's campaign side: outcome draws and the report."

    def __init__(self, model: OutboundModel) -> None:
        self.model = model
        self.report = OutboundReport()
        self.random = random.Random(model.seed)

    def draw(self, number: str) -> str:
        forced = self.model.forced(number)
        if forced is not None:
            return forced
        m, roll = self.model, self.random.random()
        for outcome, share in (('live', m.live), ('machine', m.machine),
                ('busy', m.busy), ('invalid', m.invalid)):
            if roll < share:
                return outcome
            roll -= share
        return 'noanswer'


def variables(h: Headers) -> dict[str, str]:
    "The Originate's ``Variable`` headers (repeated or comma-separated)."
    found: dict[str, str] = {}
    for key, value in h:
        if key.lower() != 'variable':
            continue
        for pair in value.split(','):
            name, _, val = pair.partition('=')
            if name.strip():
                found[name.strip()] = val.strip()
    return found


def number_of(channel: str) -> str:
    "``PJSIP/+4940555123@trunk`` or ``Local/+49…@customers/n``: the number."
    return channel.partition('/')[2].partition('@')[0]


async def originate(sim: Simulator, h: Headers) -> None:
    "Start the campaign call an Originate asks for."
    number = number_of(lookup(h, 'Channel'))
    outbound = sim.outbound
    attempt = Attempt(number, lookup(h, 'ActionID'), variables(h),
        outbound.draw(number), sim.pbx_time())
    outbound.report.start(attempt)
    timeout = float(lookup(h, 'Timeout') or 30000) / 1000
    await sim.scenario('campaign', attempt=attempt,
        dial=lookup(h, 'Channel'), context=lookup(h, 'Context'),
        exten=lookup(h, 'Exten') or 's', timeout=timeout,
        model=outbound.model, outbound=outbound)


async def campaign(call: Call, cfg: SimConfig, *, attempt: Attempt,
        dial: str, context: str, exten: str, timeout: float,
        model: OutboundModel, outbound: Outbound) -> None:
    "A customer leg from Originate to hang-up."
    leg = call.open_leg(dial, context=context, exten=exten,
        cid=(attempt.number, attempt.number))
    customer = leg.outer
    attempt.uniqueid = customer.uniqueid
    try:
        for name, value in attempt.variables.items():
            call.varset(customer, name, value)
        call.set_state(customer, 5)
        if attempt.outcome in FAILURES:
            await _fail(call, leg, attempt, timeout, model)
            return
        delay = outbound.random.uniform(*model.answer_delay)
        if delay > timeout:
            attempt.outcome = 'noanswer'
            await _fail(call, leg, attempt, timeout, model)
            return
        await call.clock.wait(delay)
        _answer(call, leg, attempt)
        await _dialplan(call, cfg, customer, attempt, model, outbound)
    finally:
        outbound.report.end(attempt, call.clock.now)


async def _fail(call: Call, leg: Leg, attempt: Attempt, timeout: float,
        model: OutboundModel) -> None:
    reason, cause = FAILURES[attempt.outcome]
    wait = (min(model.noanswer_ring, timeout) if attempt.outcome
        == 'noanswer' else model.fail_delay)
    await call.clock.wait(wait)
    for channel in leg.channels:
        call.hangup(channel, cause)
    call.emit('OriginateResponse', 'call', [
        ('ActionID', attempt.action_id), ('Response', 'Failure'),
        ('Channel', leg.dial_string), ('Context', leg.outer.context),
        ('Exten', leg.outer.exten), ('Reason', reason),
        ('Uniqueid', '<null>'), ('CallerIDNum', '<unknown>'),
        ('CallerIDName', '<unknown>')])


def _answer(call: Call, leg: Leg, attempt: Attempt) -> None:
    customer = leg.outer
    if leg.inner is not leg.outer:
        call.set_state(leg.inner, 6)
    call.set_state(customer, 6)
    attempt.answered_at = call.clock.now
    call.emit('OriginateResponse', 'call', [
        ('ActionID', attempt.action_id), ('Response', 'Success'),
        ('Channel', customer.name), ('Context', customer.context),
        ('Exten', customer.exten), ('Reason', '4'),
        ('Uniqueid', customer.uniqueid), ('CallerIDNum', attempt.number),
        ('CallerIDName', attempt.number)])


async def _dialplan(call: Call, cfg: SimConfig, customer: Channel,
        attempt: Attempt, model: OutboundModel, outbound: Outbound) -> None:
    "``AMD()``, then the connect handling the variables ask for."
    connect = attempt.variables.get('CALLCENTER_CONNECT', 'queue')
    if connect == 'agent':
        await _preview(call, cfg, customer, attempt, model, outbound)
        return
    call.newexten(customer, 'AMD')
    await call.clock.wait(model.amd_seconds)
    human = attempt.outcome == 'live'
    call.varset(customer, 'AMDSTATUS', 'HUMAN' if human else 'MACHINE')
    call.varset(customer, 'AMDCAUSE', 'HUMAN-1000-1000' if human
        else 'LONGGREETING-2000-1500')
    if not human:
        await _play(call, customer, attempt.variables.get(
            'CALLCENTER_MACHINE_MESSAGE', ''), model.abandon_message)
    elif connect == 'queue':
        await _queue(call, cfg, customer, attempt, model, outbound)
    else:
        media = attempt.variables.get('CALLCENTER_MEDIA', '')
        application = 'Goto' if connect == 'ivr' else 'Playback'
        call.newexten(customer, application, media)
        await call.clock.wait(model.abandon_message)
    call.hangup(customer)


async def _play(call: Call, customer: Channel, media: str,
        seconds: float) -> None:
    if media:
        call.newexten(customer, 'Playback', media)
        await call.clock.wait(seconds)


async def _queue(call: Call, cfg: SimConfig, customer: Channel,
        attempt: Attempt, model: OutboundModel, outbound: Outbound) -> None:
    """``Queue(q,,,,2)``: an agent within 2 s, else the abandon message."""
    queue = attempt.variables.get('CALLCENTER_QUEUE', 'outbound')
    state = call.pbx.queues.get(queue)
    call.newexten(customer, 'Queue', f'{queue},,,,{CONNECT_WINDOW:g}')
    if state is None:
        call.varset(customer, 'QUEUESTATUS', 'UNKNOWN')
        return
    joined = call.clock.now
    state.entries.append(customer)
    call.emit('QueueCallerJoin', 'agent', customer.block() + [
        ('Queue', queue), ('Position', str(len(state.entries))),
        ('Count', str(len(state.entries)))])
    member = _pick(call, queue, None)
    while member is None and call.clock.now - joined < CONNECT_WINDOW:
        await call.clock.wait(0.25)
        member = _pick(call, queue, None)
    position = state.entries.index(customer) + 1
    state.entries.remove(customer)
    if member is None:
        await _abandon(call, customer, attempt, queue, position, model)
        state.abandoned += 1
        return
    await _connect(call, cfg, customer, attempt, member, joined, model,
        outbound)
    state.completed += 1


async def _abandon(call: Call, customer: Channel, attempt: Attempt,
        queue: str, position: int, model: OutboundModel) -> None:
    attempt.abandoned = True
    state = call.pbx.queues[queue]
    call.emit('QueueCallerLeave', 'agent', customer.block() + [
        ('Queue', queue), ('Position', str(position)),
        ('Count', str(len(state.entries)))])
    call.varset(customer, 'QUEUESTATUS', 'TIMEOUT')
    call.newexten(customer, 'Playback', attempt.variables.get(
        'CALLCENTER_ABANDON_MESSAGE', 'callcenter/abandon'))
    await call.clock.wait(model.abandon_message)


async def _connect(call: Call, cfg: SimConfig, customer: Channel,
        attempt: Attempt, member, joined: float, model: OutboundModel,
        outbound: Outbound) -> None:
    leg = call.open_leg(member.interface, context='agents',
        exten=member.extension, cid=(attempt.number, attempt.number),
        agent=member.extension)
    call.emit('AgentCalled', 'agent', customer.block()
        + leg.outer.block('Dest') + _queue_block(member))
    call.dial_begin(customer, leg, tech=True)
    call.ringing(customer, leg)
    await call.clock.wait(model.agent_ring)
    call.answer_leg(customer, leg)
    call.varset(customer, 'MEMBERINTERFACE', member.interface)
    call.emit('QueueCallerLeave', 'agent', customer.block() + [
        ('Queue', member.queue), ('Position', '1'), ('Count', '0')])
    hold = round(call.clock.now - joined)
    call.emit('AgentConnect', 'agent', customer.block()
        + leg.outer.block('Dest') + _queue_block(member)
        + [('HoldTime', str(hold)), ('RingTime', str(hold))])
    attempt.agent, attempt.connected_at = member.extension, call.clock.now
    bridge = call.bridge(leg.outer, customer)
    talk = outbound.random.expovariate(1 / model.talk_mean)
    await converse(call, cfg, customer, [leg], bridge, talk, 'caller',
        member, hold)


async def _preview(call: Call, cfg: SimConfig, customer: Channel,
        attempt: Attempt, model: OutboundModel, outbound: Outbound) -> None:
    "Preview: ``Dial(${CALLCENTER_AGENT})``, the agent who asked."
    interface = attempt.variables.get('CALLCENTER_AGENT', '')
    extension = call.pbx.extension_of(interface) or interface.rpartition(
        '/')[2]
    call.newexten(customer, 'Dial', f'{interface},20')
    leg = call.open_leg(interface, context='agents', exten=extension,
        cid=(attempt.number, attempt.number), agent=extension)
    call.dial_begin(customer, leg)
    call.ringing(customer, leg)
    await call.clock.wait(model.agent_ring)
    call.answer_leg(customer, leg)
    attempt.agent, attempt.connected_at = extension, call.clock.now
    bridge = call.bridge(leg.outer, customer)
    talk = outbound.random.expovariate(1 / model.talk_mean)
    await converse(call, cfg, customer, [leg], bridge, talk, 'caller',
        None, 0)


def is_campaign(h: Headers) -> bool:
    return lookup(h, 'Context') in CONTEXTS


def spawn(sim: Simulator, h: Headers) -> None:
    """Play the campaign call after the action's answer, as an ``Async``
    Originate is answered at once."""
    sim._spawn(originate(sim, h), 'campaign originate')
