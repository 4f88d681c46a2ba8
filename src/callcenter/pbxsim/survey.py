"""The post-call satisfaction survey of the sample dialplan.

``[callcenter-survey]`` of ``config/asterisk/extensions.conf``: the caller
reaches ``survey`` when the agent hangs up (``Queue`` option ``c``) or when
the phone bar's Survey button blind-transfers them there. Each dialplan
step is a ``Newexten``; ``Set()`` and ``Read()`` report their variables
with ``VarSet`` as Asterisk does. The key the simulated caller presses is
the ``survey`` parameter of the scenario: a digit, ``''`` for none (the
prompt times out) or :data:`HANG_UP` (the caller hangs up during the
prompt, leaving ``SURVEY=offered``).
"""
from __future__ import annotations

from .calls import Call
from .config import SimConfig
from .model import Channel

CONTEXT, EXTEN = 'callcenter-survey', 'survey'
HANG_UP = 'hangup'
#: ``Read(variable,filename,maxdigits,options,attempts,timeout)``.
READ = 'SURVEY_KEY,callcenter/survey-prompt,1,,2,5'


def _step(call: Call, channel: Channel, priority: int, application: str,
        data: str = '') -> None:
    channel.priority = priority
    call.newexten(channel, application, data)


async def run(call: Call, cfg: SimConfig, caller_ch: Channel) -> None:
    "The caller answers (or not) the survey, then the channel hangs up."
    key = call.survey or ''
    caller_ch.context, caller_ch.exten = CONTEXT, EXTEN
    _step(call, caller_ch, 1, 'Set', 'SURVEY=offered')
    call.varset(caller_ch, 'SURVEY', 'offered')
    _step(call, caller_ch, 2, 'Read', READ)
    await call.clock.wait(cfg.ring)     # the prompt plays
    if key == HANG_UP:
        return
    call.varset(caller_ch, 'SURVEY_KEY', key)
    _step(call, caller_ch, 3, 'Set', f'SURVEY={key or "none"}')
    call.varset(caller_ch, 'SURVEY', key or 'none')
    _step(call, caller_ch, 4, 'Playback', 'callcenter/survey-thanks')
    _step(call, caller_ch, 5, 'Hangup')
