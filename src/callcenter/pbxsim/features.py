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
        # No ``MusicClass`` on Asterisk 22.10.1 (captures/02_attended.txt).
        call.emit('Hold', 'call', agent.outer.block())
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
    """The agent's own channel (the bridged ``;1`` half of a Local phone)
    puts the caller on hold, moves to a consultation bridge with
    ``target``, then hands the caller over as when the agent hangs up (or,
    ``conference``, comes back with the target). Order and fields of
    Asterisk 22.10.1 (``tests/pbx/captures/02_attended*.txt``), except that
    the agent's channels hang up after ``AttendedTransfer`` (there the
    ``;2`` half went before it)."""
    transferer = agent.outer
    extension = transferer.agent or ''
    call.emit('Hold', 'call', transferer.block())
    call.emit('MusicOnHoldStart', 'call', caller_ch.block()
        + [('Class', 'default')])
    try:
        leg = _dial_target(call, cfg, request.target, (extension,
            f'Agent {extension}'))
    except ValueError:      # nobody answers there: back to the caller
        return _consult_failed(call, caller_ch, parties, agent, bridge)
    second = call.bridge()
    call.ringing(None, leg)
    call.enter(second, leg.outer)
    call.leave(transferer)
    call.enter(second, transferer)
    await call.clock.wait(cfg.ring)
    call.answer_leg(None, leg)
    threeway = request.kind == 'conference'
    if threeway:
        await call.clock.wait(cfg.ring)
    else:
        # Asterisk completes an attended transfer when the transferer
        # hangs up (``bridge_basic.c``), however long that takes.
        await _transferer_hangs_up(call, agent)
    # The agent hangs up. Asterisk 22.10.1 merged the bridges either with
    # the agent still in the consultation bridge (``TransferTarget`` block
    # present, captures/02_attended.txt) or after the agent left it (none:
    # its peer there is the target; captures/02_attended_agent_left_first).
    left_first = not threeway and (
        random.random() >= cfg.transfer_target_block)
    if left_first:
        call.emit('MusicOnHoldStop', 'call', caller_ch.block())
        call.leave(transferer)
    call.emit('BridgeMerge', 'call', bridge.block('ToBridge')
        + second.block('FromBridge'))
    if not left_first:
        call.emit('MusicOnHoldStop', 'call', caller_ch.block())
    call.leave(leg.outer)
    call.enter(bridge, leg.outer)
    call.leave(transferer)
    call.emit('AttendedTransfer', 'call', [('Result', 'Success')]
        + transferer.block('OrigTransferer') + bridge.block('OrigBridge')
        + transferer.block('SecondTransferer') + second.block('SecondBridge')
        + caller_ch.block('Transferee')
        + ([] if left_first else leg.outer.block('TransferTarget'))
        + [('IsExternal', 'No'),
            ('DestType', 'Threeway' if threeway else 'Bridge'),
            ('DestBridgeUniqueid', bridge.uniqueid)])
    call.destroy(second)
    if threeway:    # no capture: the transferer back in a 3-way bridge
        call.enter(bridge, transferer)
        call.emit('Unhold', 'call', transferer.block())
    else:
        for channel in agent.channels:
            call.hangup(channel, peer=caller_ch)
    kept = [p for p in parties if threeway or p is not agent]
    return kept + [leg] if threeway else [leg] + kept


async def _transferer_hangs_up(call: Call, agent: Leg) -> None:
    """Wait for a hang-up request of the agent's channel (either half);
    other requests wait until the transfer is over."""
    deferred = []
    while True:
        await call.clock.wait(None, call.wakeup)
        request = call.next_request()
        if request is None:
            continue
        if request.kind == 'hangup' and request.channel in (
                agent.outer.name, agent.inner.name):
            break
        deferred.append(request)
    if deferred:
        call.requests[:0] = deferred
        call.wakeup.set()


def _consult_failed(call: Call, caller_ch: Channel, parties: list[Leg],
        agent: Leg, bridge: Bridge) -> list[Leg]:
    """``AttendedTransfer`` with ``Result: Fail`` and ``DestType: Fail``
    (values of the AMI event reference, not of a capture): the transfer
    did not happen and the agent is back with the caller."""
    transferer = agent.outer
    call.emit('AttendedTransfer', 'call', [('Result', 'Fail')]
        + transferer.block('OrigTransferer') + bridge.block('OrigBridge')
        + transferer.block('SecondTransferer')
        + caller_ch.block('Transferee')
        + [('IsExternal', 'No'), ('DestType', 'Fail')])
    call.emit('MusicOnHoldStop', 'call', caller_ch.block())
    call.emit('Unhold', 'call', transferer.block())
    return parties
