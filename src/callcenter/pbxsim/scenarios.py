"""Call flows of the simulator, one coroutine per scenario.

Each runs on its own :class:`~.calls.Call` and :class:`~.model.Clock`; a
talking call reacts to requests (hang-up, transfers, hold, conference)
posted by AMI actions or by the Python API.
"""
from __future__ import annotations

from .calls import Call, Leg, Request
from .config import SimConfig
from .model import Bridge, Channel, Member
from .recording import write_tone
from . import survey as surveys

#: ``talk=DEFAULT`` takes ``SimConfig.talk``; ``talk=None`` talks until
#: hung up by an AMI ``Hangup`` or ``Simulator.hangup``.
DEFAULT = -1.0


def _talk(cfg: SimConfig, talk: float | None) -> float | None:
    return cfg.talk if talk == DEFAULT else talk


def _inbound_channel(call: Call, cfg: SimConfig, caller: str,
        name: str) -> Channel:
    """The caller's channel that runs the dialplan: the trunk's, or with
    ``caller_tech`` Local the ``;2`` half of ``Local/s@incoming`` (its
    ``;1`` half is the caller's phone), as in the lab of the captures."""
    if cfg.caller_tech == 'Local':
        leg = call.open_leg('Local/s@incoming/n', context='incoming',
            exten='s', cid=(caller, name or caller))
        call.set_state(leg.outer, 6)
        channel = leg.inner
    else:
        channel = call.channel(f'PJSIP/{cfg.trunk}', context='from-trunk',
            exten='s', cid=(caller, name or caller), state=4)
    call.newexten(channel, 'Answer')
    call.set_state(channel, 6)
    return channel


def _queue_dialled(leg: Leg) -> None:
    """The ``;1`` half of a Local member is the queue's outgoing line: once
    it rings Asterisk 22.10.1 reports it in exten ``s``, application
    ``AppQueue`` (``tests/pbx/captures/02_attended.cti-session.txt``)."""
    if leg.inner is not leg.outer:
        leg.outer.exten = 's'
        leg.outer.application = 'AppQueue'
        leg.outer.app_data = '(Outgoing Line)'


def _pick(call: Call, queue: str, agent: str | None) -> Member | None:
    members = list(call.pbx.queues[queue].members.values())
    if agent is not None:
        return next((m for m in members if m.extension == agent), None)
    free = [m for m in members if not m.paused and m.status == 1]
    if not free:
        return None
    state = call.pbx.queues[queue]
    state.next_member += 1
    return free[(state.next_member - 1) % len(free)]


def _queue_block(member: Member) -> list[tuple[str, str]]:
    return [('Queue', member.queue), ('Interface', member.interface),
        ('MemberName', member.name)]


async def inbound(call: Call, cfg: SimConfig, *, caller: str,
        name: str = '', queue: str = 'support', agent: str | None = None,
        ring: float | None = None, talk: float | None = DEFAULT,
        hangup_by: str = 'caller', record: bool = True,
        survey: str | None = None) -> None:
    """A caller enters ``queue`` and an agent answers (talk None: until an
    AMI Hangup or ``Simulator.hangup``); with ``survey`` (the key the
    caller presses, see :mod:`.survey`) the caller answers the satisfaction
    survey once the agent hangs up or sends them there."""
    call.survey = survey
    caller_ch = _inbound_channel(call, cfg, caller, name)
    if record:
        call.record(caller_ch, 'inbound')
    call.newexten(caller_ch, 'Queue',
        f'{queue},tr{"" if survey is None else "c"},,,120')
    state = call.pbx.queues[queue]
    joined = call.clock.now
    state.entries.append(caller_ch)
    call.emit('QueueCallerJoin', 'agent', caller_ch.block() + [
        ('Queue', queue), ('Position', str(len(state.entries))),
        ('Count', str(len(state.entries)))])
    member = _pick(call, queue, agent)
    if member is None:
        await _abandon(call, caller_ch, queue, joined, _talk(cfg, talk))
        return
    leg = call.open_leg(member.interface, context='agents',
        exten=member.extension, cid=(caller, name or caller),
        agent=member.extension)
    call.emit('AgentCalled', 'agent', caller_ch.block()
        + leg.outer.block('Dest') + _queue_block(member))
    call.dial_begin(caller_ch, leg, tech=True)
    _queue_dialled(leg)
    call.ringing(caller_ch, leg)
    await call.clock.wait(cfg.ring if ring is None else ring)
    call.answer_leg(caller_ch, leg)
    for variable, value in (('MEMBERINTERFACE', member.interface),
            ('MEMBERNAME', member.name)):
        call.varset(caller_ch, variable, value)
    position = state.entries.index(caller_ch) + 1
    state.entries.remove(caller_ch)
    call.emit('QueueCallerLeave', 'agent', caller_ch.block() + [
        ('Queue', queue), ('Position', str(position)),
        ('Count', str(len(state.entries)))])
    hold = round(call.clock.now - joined)
    call.emit('AgentConnect', 'agent', caller_ch.block()
        + leg.outer.block('Dest') + _queue_block(member)
        + [('HoldTime', str(hold)), ('RingTime', str(hold))])
    bridge = call.bridge(leg.outer, caller_ch)
    await converse(call, cfg, caller_ch, [leg], bridge,
        _talk(cfg, talk), hangup_by, member, hold)
    state.completed += 1


async def _abandon(call: Call, caller_ch: Channel, queue: str,
        joined: float, wait: float | None) -> None:
    await call.clock.wait(wait, call.wakeup)
    state = call.pbx.queues[queue]
    position = state.entries.index(caller_ch) + 1
    state.entries.remove(caller_ch)
    state.abandoned += 1
    call.emit('QueueCallerAbandon', 'agent', caller_ch.block() + [
        ('Queue', queue), ('Position', str(position)),
        ('OriginalPosition', str(position)),
        ('HoldTime', str(round(call.clock.now - joined)))])
    call.emit('QueueCallerLeave', 'agent', caller_ch.block() + [
        ('Queue', queue), ('Position', str(position)),
        ('Count', str(len(state.entries)))])
    call.hangup(caller_ch)


async def abandoned(call: Call, cfg: SimConfig, *, caller: str,
        name: str = '', queue: str = 'support', agent: str | None = None,
        wait: float = 6.0, ring: float = 3.0, record: bool = True) -> None:
    """The free agent (or ``agent``) rings for ``ring`` seconds without
    answering (``AgentRingNoAnswer``); the caller hangs up after
    ``wait``."""
    caller_ch = _inbound_channel(call, cfg, caller, name)
    if record:
        call.record(caller_ch, 'inbound')
    state = call.pbx.queues[queue]
    joined = call.clock.now
    state.entries.append(caller_ch)
    call.emit('QueueCallerJoin', 'agent', caller_ch.block() + [
        ('Queue', queue), ('Position', str(len(state.entries))),
        ('Count', str(len(state.entries)))])
    member = _pick(call, queue, agent)
    if member is not None:
        leg = call.open_leg(member.interface, context='agents',
            exten=member.extension, cid=(caller, name or caller),
            agent=member.extension)
        call.emit('AgentCalled', 'agent', caller_ch.block()
            + leg.outer.block('Dest') + _queue_block(member))
        call.dial_begin(caller_ch, leg, tech=True)
        _queue_dialled(leg)
        call.ringing(caller_ch, leg)
        await call.clock.wait(ring)
        call.dial_end(caller_ch, leg, 'NOANSWER')
        call.emit('AgentRingNoAnswer', 'agent', caller_ch.block()
            + leg.outer.block('Dest') + _queue_block(member)
            + [('RingTime', str(round(ring)))])
        for channel in leg.channels:
            call.hangup(channel, 19)
    await _abandon(call, caller_ch, queue, joined,
        max(wait - (call.clock.now - joined), 0))


async def voicemail(call: Call, cfg: SimConfig, *, caller: str,
        extension: str, name: str = '', ring: float = 4.0,
        message: float = 5.0) -> None:
    """Nobody answers ``extension``; the caller leaves a message."""
    caller_ch = call.channel(f'PJSIP/{cfg.trunk}', context='from-trunk',
        exten=extension, cid=(caller, name or caller), state=4)
    call.newexten(caller_ch, 'Dial', f'{cfg.interface(extension)},20')
    leg = call.open_leg(cfg.interface(extension), context='agents',
        exten=extension, cid=(caller, name or caller), agent=extension)
    call.dial_begin(caller_ch, leg)
    call.ringing(caller_ch, leg)
    await call.clock.wait(ring)
    call.dial_end(caller_ch, leg, 'NOANSWER')
    for channel in leg.channels:
        call.hangup(channel, 19)
    mailbox = f'{extension}@default'
    call.newexten(caller_ch, 'VoiceMail', f'{mailbox},u')
    call.set_state(caller_ch, 6)
    stem = (call.recordings / 'voicemail' / 'default' / extension / 'INBOX'
        / f'msg{call.pbx.next_sequence()[-4:]}')
    call.recording = write_tone(stem.with_suffix('.wav'))
    await call.clock.wait(message)
    call.varset(caller_ch, 'VM_MESSAGEFILE', str(stem))
    call.varset(caller_ch, 'VMSTATUS', 'SUCCESS')
    call.emit('MessageWaiting', 'call', [('Mailbox', mailbox),
        ('Waiting', '1'), ('New', '1'), ('Old', '0')])
    call.hangup(caller_ch)


async def click_to_dial(call: Call, cfg: SimConfig, *, agent: str,
        number: str, action_id: str = '', channel: str = '',
        caller_id: tuple[str, str] | None = None, ring: float | None = None,
        talk: float | None = DEFAULT, hangup_by: str = 'customer',
        record: bool = True) -> None:
    """Originate: the agent's phone first, then the customer's number
    (``0000…`` is busy, ``0001…`` never answers, as in the lab)."""
    ring = cfg.ring if ring is None else ring
    interface = channel or cfg.interface(agent)
    cid = caller_id or (agent, f'Agent {agent}')
    leg = call.open_leg(interface, context='agents', exten=agent, cid=cid,
        agent=agent)
    call.dial_begin(None, leg)
    call.ringing(None, leg)
    await call.clock.wait(ring)
    if leg.inner is not leg.outer:
        call.set_state(leg.inner, 6)
    call.emit('OriginateResponse', 'call', [
        ('ActionID', action_id), ('Response', 'Success'),
        ('Channel', leg.outer.name), ('Context', 'outbound'),
        ('Exten', number), ('Reason', '4'),
        ('Uniqueid', leg.outer.uniqueid), ('CallerIDNum', cid[0]),
        ('CallerIDName', cid[1])])
    call.set_state(leg.outer, 6)
    call.dial_end(None, leg, 'ANSWER')
    call.in_use(leg.outer)
    agent_ch = leg.outer
    agent_ch.context, agent_ch.exten = 'outbound', number
    if record:
        call.record(agent_ch, 'outbound')
    call.newexten(agent_ch, 'Dial', cfg.customer_dial.format(number=number))
    customer = call.open_leg(cfg.customer_dial.format(number=number),
        context='customers', exten=number, cid=(number, number))
    call.dial_begin(agent_ch, customer)
    call.ringing(agent_ch, customer)
    await call.clock.wait(ring + (120 if number.startswith('0001') else 0))
    if number.startswith(('0000', '0001')):
        busy = number.startswith('0000')
        call.dial_end(agent_ch, customer, 'BUSY' if busy else 'NOANSWER')
        for channel_ in customer.channels:
            call.hangup(channel_, 17 if busy else 19)
        for channel_ in leg.channels:
            call.hangup(channel_)
        return
    call.answer_leg(agent_ch, customer)
    bridge = call.bridge(customer.outer, agent_ch)
    await converse(call, cfg, agent_ch, [customer], bridge,
        _talk(cfg, talk), 'caller' if hangup_by == 'agent' else 'agent',
        None, 0,
        extra=[leg])


async def pickup(call: Call, cfg: SimConfig, *, caller: str, extension: str,
        picker: str, name: str = '', ring: float = 1.0,
        talk: float | None = DEFAULT) -> None:
    """``extension`` rings; ``picker`` answers it with the pickup code."""
    caller_ch = call.channel(f'PJSIP/{cfg.trunk}', context='from-trunk',
        exten=extension, cid=(caller, name or caller), state=4)
    leg = call.open_leg(cfg.interface(extension), context='agents',
        exten=extension, cid=(caller, name or caller), agent=extension)
    call.dial_begin(caller_ch, leg)
    call.ringing(caller_ch, leg)
    await call.clock.wait(ring)
    picker_ch = call.channel(f'PJSIP/{picker}', context='agents',
        exten='*8', cid=(picker, f'Agent {picker}'), state=4, agent=picker)
    call.newexten(picker_ch, 'Pickup', f'{extension}@agents')
    call.set_state(picker_ch, 6)
    call.emit('Pickup', 'call', picker_ch.block() + leg.outer.block('Target'))
    call.dial_end(caller_ch, leg, 'ANSWER')
    for channel in leg.channels:
        call.hangup(channel, 26, cdr=False)
    call.set_state(caller_ch, 6)
    call.record(caller_ch, 'pickup')
    picked = Leg(picker_ch, picker_ch, f'PJSIP/{picker}')
    bridge = call.bridge(picker_ch, caller_ch)
    await converse(call, cfg, caller_ch, [picked], bridge,
        _talk(cfg, talk), 'caller', None, 0)


async def converse(call: Call, cfg: SimConfig, caller_ch: Channel,
        parties: list[Leg], bridge: Bridge, talk: float | None,
        hangup_by: str,
        member: Member | None, hold: int,
        extra: list[Leg] | None = None) -> None:
    """Talk until ``talk`` runs out or a hang-up request; serve transfer,
    hold and conference requests on the way (see :mod:`.features`)."""
    from . import features, moves  # they build on this module
    call.answered.set()
    started = call.clock.now
    side = hangup_by
    while True:
        remaining = None if talk is None else max(
            talk - (call.clock.now - started), 0)
        if not await call.clock.wait(remaining, call.wakeup):
            break
        request = call.next_request()
        if request is None:
            continue
        if request.kind == 'hangup':
            side = 'caller' if request.channel in (caller_ch.name,
                caller_ch.other_half) else 'agent'
            break
        if request.kind == 'blind' and request.context == surveys.CONTEXT:
            side = _to_survey(call, request, caller_ch, parties, bridge)
            break
        if request.kind in ('redirect', 'bridge', 'invite'):
            await moves.serve(call, cfg, request, caller_ch, parties, bridge)
            if call.over:
                break
            continue
        parties = await features.serve(call, cfg, request, caller_ch,
            parties, bridge)
        if caller_ch.name not in call.pbx.channels:
            side = 'caller'     # hung up by a hangup handler on the way
            break
    if member is not None:
        call.emit('AgentComplete', 'agent', caller_ch.block()
            + parties[0].outer.block('Dest') + _queue_block(member) + [
                ('HoldTime', str(hold)),
                ('TalkTime', str(round(call.clock.now - started))),
                ('Reason', side)])
    moves.stop_music(call)
    if side in ('agent', 'survey') and call.survey is not None:
        await _survey_after(call, cfg, caller_ch, parties, bridge, extra)
        return
    first = [caller_ch] if side == 'caller' else []
    others = [leg.outer for leg in parties]
    for channel in first + others + ([] if first else [caller_ch]):
        call.leave(channel)
    peer = parties[0].outer
    call.hangup(caller_ch, peer=peer)
    for leg in parties + (extra or []):
        for channel in leg.channels:
            call.hangup(channel, peer=caller_ch)
    call.destroy(bridge)


def _to_survey(call: Call, request: Request, caller_ch: Channel,
        parties: list[Leg], bridge: Bridge) -> str:
    """The phone bar's Survey: a ``BlindTransfer`` of the agent's channel
    to the survey context (fields as ``features._blind``)."""
    agent = next((leg for leg in parties if request.channel in (
                leg.outer.name, leg.inner.name)), parties[0])
    call.emit('BlindTransfer', 'call', [('Result', 'Success')]
        + agent.outer.block('Transferer') + caller_ch.block('Transferee')
        + bridge.block() + [('IsExternal', 'Yes'),
            ('Context', surveys.CONTEXT), ('Extension', surveys.EXTEN)])
    return 'survey'


async def _survey_after(call: Call, cfg: SimConfig, caller_ch: Channel,
        parties: list[Leg], bridge: Bridge, extra: list[Leg] | None) -> None:
    """The agent's side hangs up; the caller, left alone, runs the survey
    context, then hangs up."""
    for leg in parties:
        call.leave(leg.outer)
    call.leave(caller_ch)
    call.destroy(bridge)
    for leg in parties + (extra or []):
        for channel in leg.channels:
            call.hangup(channel, peer=caller_ch)
    await surveys.run(call, cfg, caller_ch)
    call.hangup(caller_ch, peer=parties[0].outer)


def request_hangup(call: Call, channel: str) -> None:
    call.request(Request('hangup', channel))
