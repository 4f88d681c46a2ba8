"""Mid-call features: hold, blind and attended transfer, conference.

Field layouts from the Asterisk 18-22 AMI event pages (``Hold``,
``Unhold``, ``BlindTransfer``, ``AttendedTransfer``; ``Result`` is one of
``Success``, ``Fail``, ``Invalid``, ``Not Permitted``): channel blocks
prefixed ``Transferer``/``Transferee``/``OrigTransferer``/
``SecondTransferer``/``TransferTarget`` and bridge blocks prefixed
``OrigBridge``/``SecondBridge``.
"""
from __future__ import annotations

import random

from .calls import Call, Leg, Request
from .config import SimConfig
from .model import Bridge, Channel


async def serve(call: Call, cfg: SimConfig, request: Request,
        caller_ch: Channel, parties: list[Leg], bridge: Bridge) -> list[Leg]:
    """Carry out ``request``; return who is now talking with the caller."""
    agent = _party(parties, request.channel)
    if request.kind == 'hold':
        call.emit('Hold', 'call', agent.outer.block() + [
            ('MusicClass', 'default')])
        await call.clock.wait(float(request.target or cfg.ring))
        call.emit('Unhold', 'call', agent.outer.block())
        return parties
    if request.kind == 'blind':
        return await _blind(call, cfg, request.target, caller_ch, parties,
            agent, bridge)
    if request.kind in ('attended', 'conference'):
        return await _consult(call, cfg, request, caller_ch, parties, agent,
            bridge)
    raise ValueError(f'unknown request {request.kind!r}')


def _party(parties: list[Leg], channel: str) -> Leg:
    return next((leg for leg in parties
            if channel in (leg.outer.name, leg.inner.name)), parties[0])


def _dial_target(call: Call, cfg: SimConfig, target: str,
        caller: tuple[str, str]) -> Leg:
    extension = target if target in cfg.agents else cfg.agent(target)
    return call.open_leg(cfg.interface(extension), context='agents',
        exten=extension, cid=caller, agent=extension)


async def _blind(call: Call, cfg: SimConfig, target: str, caller_ch: Channel,
        parties: list[Leg], agent: Leg, bridge: Bridge) -> list[Leg]:
    # Asterisk 22.10.1 takes the transferer off hold first and calls an
    # AMI transfer external (``tests/pbx/captures/01_hold_resume_blind``).
    call.emit('Unhold', 'call', agent.outer.block())
    call.emit('BlindTransfer', 'call', [('Result', 'Success')]
        + agent.outer.block('Transferer') + caller_ch.block('Transferee')
        + bridge.block() + [('IsExternal', 'Yes'), ('Context', 'agents'),
            ('Extension', target)])
    call.leave(agent.outer)
    for channel in agent.channels:
        call.hangup(channel, peer=caller_ch)
    if caller_ch.name not in call.pbx.channels:
        return [agent]      # a hangup handler took the caller down too
    leg = _dial_target(call, cfg, target,
        (caller_ch.cid_num, caller_ch.cid_name))
    call.dial_begin(caller_ch, leg)
    call.ringing(caller_ch, leg)
    await call.clock.wait(cfg.ring)
    call.answer_leg(caller_ch, leg)
    call.enter(bridge, leg.outer)
    return [leg] + [p for p in parties if p is not agent]


async def _consult(call: Call, cfg: SimConfig, request: Request,
        caller_ch: Channel, parties: list[Leg], agent: Leg,
        bridge: Bridge) -> list[Leg]:
    """The agent holds, calls ``target``, then transfers or conferences."""
    extension = agent.outer.agent or ''
    call.emit('Hold', 'call', agent.outer.block() + [
        ('MusicClass', 'default')])
    consult = call.channel(f'PJSIP/{extension}', context='agents',
        exten=request.target, cid=(extension, f'Agent {extension}'),
        state=4, agent=extension)
    try:
        leg = _dial_target(call, cfg, request.target, (extension,
            f'Agent {extension}'))
    except ValueError:      # nobody answers there: back to the caller
        return _consult_failed(call, caller_ch, parties, agent, consult,
            bridge)
    call.dial_begin(consult, leg)
    call.ringing(consult, leg)
    await call.clock.wait(cfg.ring)
    call.set_state(consult, 6)
    call.answer_leg(consult, leg)
    second = call.bridge(consult, leg.outer)
    await call.clock.wait(cfg.ring)
    threeway = request.kind == 'conference'
    consult.exten = 's'     # as Asterisk 22 reports it (issue 17)
    call.emit('AttendedTransfer', 'call', [('Result', 'Success')]
        + agent.outer.block('OrigTransferer') + bridge.block('OrigBridge')
        + consult.block('SecondTransferer') + second.block('SecondBridge')
        + [('DestType', 'Threeway' if threeway else 'Bridge'),
            ('DestBridgeUniqueid', bridge.uniqueid)]
        + caller_ch.block('Transferee') + _target_block(cfg, leg)
        + [('IsExternal', 'No')])
    if threeway:
        call.emit('Unhold', 'call', agent.outer.block())
    else:
        call.leave(agent.outer)
        for channel in agent.channels:
            call.hangup(channel, peer=caller_ch)
    call.leave(consult)
    call.hangup(consult, peer=leg.outer)
    call.leave(leg.outer)
    call.destroy(second)
    call.enter(bridge, leg.outer)
    kept = [p for p in parties if threeway or p is not agent]
    return kept + [leg] if threeway else [leg] + kept


def _target_block(cfg: SimConfig, leg: Leg) -> list[tuple[str, str]]:
    "The ``TransferTarget`` block, left out as often as ``cfg`` says."
    if random.random() >= cfg.transfer_target_block:
        return []
    return leg.outer.block('TransferTarget')


def _consult_failed(call: Call, caller_ch: Channel, parties: list[Leg],
        agent: Leg, consult: Channel, bridge: Bridge) -> list[Leg]:
    """``AttendedTransfer`` with ``Result: Fail`` and ``DestType: Fail``
    (values of the AMI event reference, not of a capture): the transfer
    did not happen and the agent is back with the caller."""
    call.emit('AttendedTransfer', 'call', [('Result', 'Fail')]
        + agent.outer.block('OrigTransferer') + bridge.block('OrigBridge')
        + consult.block('SecondTransferer') + [('DestType', 'Fail')]
        + caller_ch.block('Transferee') + [('IsExternal', 'No')])
    call.hangup(consult)
    call.emit('Unhold', 'call', agent.outer.block())
    return parties
