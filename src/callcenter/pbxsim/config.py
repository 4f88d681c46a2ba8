"""Settings of the PBX simulator."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .outbound_model import OutboundModel


@dataclass(frozen=True)
class SimConfig:
    host: str = '127.0.0.1'
    #: 0 picks a free port (tests); ``Simulator.port`` tells which.
    port: int = 5038
    username: str = 'cti'
    secret: str = field(default='cti-secret', repr=False)
    recordings: Path = Path('var/recordings')
    #: Real seconds per PBX second: 1 is real time, 0.01 is 100x faster,
    #: 0 is full speed (every wait only yields to the event loop).
    tempo: float = 1.0
    agents: tuple[str, ...] = ('1001', '1002', '1003')
    #: ``PJSIP`` (agents are ``PJSIP/1001``) or ``Local`` (agents are
    #: ``Local/1001@agents/n`` as in the lab configuration of the captures).
    agent_tech: str = 'PJSIP'
    #: ``PJSIP`` (inbound callers arrive on the trunk) or ``Local``
    #: (``Local/s@incoming`` pairs: the ``;2`` half queues and is bridged
    #: with the agent, as in the captures).
    caller_tech: str = 'PJSIP'
    #: Order of ``CoreShowChannels``: ``created``, ``reversed`` or
    #: ``shuffled`` (Asterisk walks a hashed container: any order).
    channel_order: str = 'created'
    #: Share of attended transfers where the agent is still in the
    #: consultation bridge when the bridges merge, so ``AttendedTransfer``
    #: carries the ``TransferTarget`` block: Asterisk 22.10.1 did both in
    #: two runs (it names the transferer's peer in that bridge, none once
    #: the transferer left it; issue 17). 1 always, 0 never, else random.
    transfer_target_block: float = 1.0
    queues: tuple[str, ...] = ('support',)
    #: PJSIP endpoint of the carrier; inbound calls arrive on it.
    trunk: str = 'trunk'
    #: How an outbound number is dialled; ``Local/{number}@customers/n``
    #: mimics the captures.
    customer_dial: str = 'PJSIP/{number}@trunk'
    ring: float = 2.0
    talk: float = 8.0
    #: AMI version in the banner: Asterisk 18 says 7.0.x, 20 says 9.0.0,
    #: 22 says 11.0.0.
    ami_version: str = '11.0.0'
    #: How campaign calls (Originates into ``callcenter-campaign``) answer.
    outbound: OutboundModel = OutboundModel()

    def interface(self, extension: str) -> str:
        if self.agent_tech == 'Local':
            return f'Local/{extension}@agents/n'
        return f'{self.agent_tech}/{extension}'

    def agent(self, name: str) -> str:
        """Extension of ``name``: ``1001``, ``agent1`` or ``PJSIP/1001``."""
        if name in self.agents:
            return name
        lowered = name.lower()
        if lowered.startswith('agent') and lowered[5:].isdigit():
            index = int(lowered[5:]) - 1
            if 0 <= index < len(self.agents):
                return self.agents[index]
        for extension in self.agents:
            if self.interface(extension) == name:
                return extension
        raise ValueError(f'unknown agent {name!r}; known: '
            + ', '.join(self.agents))
