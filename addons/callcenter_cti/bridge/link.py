"""Link configuration, states and errors of the AMI client."""
from __future__ import annotations

import ssl
import time
from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    'AmiError', 'AuthenticationFailed', 'ClientConfig',
    'ConnectionLost', 'LinkState', 'LinkStatus', 'NotConnected',
    'Unreachable']


class LinkState(str, Enum):
    CONNECTING = 'connecting'
    CONNECTED = 'connected'
    AUTH_FAILED = 'auth_failed'
    UNREACHABLE = 'unreachable'
    DISCONNECTED = 'disconnected'
    CLOSED = 'closed'


@dataclass(frozen=True)
class LinkStatus:
    """What the PBX server record shows: state, a sentence, next retry."""

    state: LinkState
    message: str
    attempt: int = 0
    retry_in: float | None = None
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class ClientConfig:
    host: str = '127.0.0.1'
    port: int = 5038
    username: str = ''
    secret: str = field(default='', repr=False)
    #: False, True (system CA bundle) or a ready ``ssl.SSLContext``.
    tls: bool | ssl.SSLContext = False
    #: The Login ``Events`` mask: ``on``, ``off`` or classes (``call,agent``).
    events: str = 'on'
    connect_timeout: float = 5.0
    action_timeout: float = 10.0
    ping_interval: float = 20.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    #: Each delay is cut by a random fraction up to this, so that many
    #: bridges restarted together do not reconnect in lock-step.
    backoff_jitter: float = 0.5


class AmiError(Exception):
    pass


class AuthenticationFailed(AmiError):
    pass


class ConnectionLost(AmiError):
    """The link dropped before the answer came: the action may have run."""


class NotConnected(AmiError):
    pass


class Unreachable(AmiError):
    pass
