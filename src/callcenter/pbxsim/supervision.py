"""A supervisor listens to an agent's call: ``ChanSpy()``.

The sample dialplan's ``*222<extension>`` in ``agents`` runs
``ChanSpy(PJSIP/<extension>,qb)`` on the supervisor's phone. No capture
holds one: the sequence follows Asterisk 22's documentation of the
``ChanSpy`` application and of the ``ChanSpyStart``/``ChanSpyStop`` AMI
events (channel blocks prefixed ``Spyer``/``Spyee``): the supervisor's
channel is created in ``agents`` with a Linkedid of its own, runs
``ChanSpy`` (``Newexten``), is answered (``Newstate`` Up), and
``ChanSpyStart`` names both channels; ``ChanSpyStop`` comes when the
supervisor hangs up (or the spied channel goes).
"""
from __future__ import annotations

from .calls import Call
from .config import SimConfig

SPY_PREFIX = '*222'


async def spy(call: Call, cfg: SimConfig, *, agent: str,
        supervisor: str = '1009', talk: float | None = None) -> None:
    """``supervisor``'s phone spies on ``agent``'s channel until ``talk``
    runs out or a hang-up request."""
    spied = next(c for c in call.pbx.channels.values()
        if c.agent == agent and c.answered is not None)
    channel = call.channel(f'PJSIP/{supervisor}', context='agents',
        exten=SPY_PREFIX + agent, cid=(supervisor, f'Supervisor {supervisor}'),
        state=4)
    call.newexten(channel, 'ChanSpy', f'PJSIP/{agent},qb')
    call.set_state(channel, 6)
    call.emit('ChanSpyStart', 'call', channel.block('Spyer')
        + spied.block('Spyee'))
    call.answered.set()
    while await call.clock.wait(talk, call.wakeup):
        request = call.next_request()
        if request is not None and request.kind == 'hangup':
            break
    call.emit('ChanSpyStop', 'call', channel.block('Spyer')
        + spied.block('Spyee'))
    call.hangup(channel)
