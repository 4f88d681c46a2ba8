"""Phone commands of the agents → AMI actions, never replayed.

``callcenter.pbx.command`` records are queued by the modules, which
``NOTIFY`` the PostgreSQL channel :data:`CHANNEL` at commit. The bridge
``LISTEN`` s on a connection of its own (:func:`listen`) and falls back to a
slow poll, so a lost notification only delays a command. Per link,
:func:`pump` takes the queued commands once the link is up (they are
marked *sent* and committed first), writes their AMI actions and records
*done* or *failed* with Asterisk's message. A command still *sent* when a
link (re)connects failed with its link: it is never sent again.

How the agents' actions map to Asterisk (contexts of
``config/asterisk/extensions.conf``):

* dial: ``Originate`` of the agent's interface into ``outbound`` with the
  customer's number as extension, as in the click-to-dial capture;
* hang up: ``Hangup`` of the agent's channel (``callmoves.agent_channel``);
* pickup: ``Originate`` of the agent's interface to ``*8<extension>`` in
  ``agents`` (the dialplan runs ``Pickup()``);
* ready / not ready: ``QueuePause`` of the interface in all its queues,
  with the reason;
* queue login / logout: ``QueueAdd`` / ``QueueRemove`` per queue of the
  agent (already in / not in counts as done);
* hold / resume / conference / blind and attended transfer: see
  :mod:`.callmoves`.

A move fails when Asterisk says so: ``Response: Error`` of any action
(``BlindTransfer`` answers ``Transfer invalid`` with its event's
``Result: Invalid``). An ``Atxfer`` Asterisk accepted is done only once its
consultation call shows (a ``Newchannel`` of the target's extension in
``agents``) or its ``AttendedTransfer`` says ``Success``; it fails with
:data:`NO_CONSULTATION` when neither comes within the timeout (the
command stays *sent* meanwhile, while the pump goes on with the others).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from . import callmoves
from .client import AmiClient
from .link import AmiError, ConnectionLost, LinkState, NotConnected

if TYPE_CHECKING:
    from .bridge import Bridge, Link

__all__ = ['CHANNEL', 'actions_of', 'agent_channel', 'listen', 'pump']

logger = logging.getLogger(__name__)

CHANNEL = 'callcenter_pbx_command'
OUTBOUND_CONTEXT = 'outbound'
AGENT_CONTEXT = callmoves.AGENTS
PICKUP_PREFIX = '*8'
#: Seconds between two looks at the queue when no NOTIFY came.
POLL_INTERVAL = 5.0
#: ms the agent's phone rings for an Originate.
ORIGINATE_TIMEOUT = '30000'
#: Asterisk errors that leave the phone as asked (idempotent queue moves).
ALREADY = ('already there', 'not there')
LINK_LOST = 'link lost; not retried'
NOT_SENT = 'link down; not sent'
NO_CALL = 'no call on the phone of {interface}'
#: Seconds an accepted ``Atxfer`` has to show its consultation call.
CONSULT_TIMEOUT = 10.0
#: An ``Atxfer`` that went nowhere (translated by ``Command.finish``).
NO_CONSULTATION = 'no consultation call'
Action = tuple[str, dict[str, str]]


def actions_of(command: dict[str, Any]) -> list[Action]:
    "The AMI actions (name, headers) of a command; ``channel`` filled later."
    action, params = command['action'], command['parameters']
    interface = command['interface']
    if action == 'originate':
        return [_originate(command, OUTBOUND_CONTEXT, params['number'])]
    if action == 'pickup':
        return [_originate(command, AGENT_CONTEXT,
                PICKUP_PREFIX + params['extension'])]
    if action in ('pause', 'unpause'):
        headers = {'Interface': interface,
            'Paused': 'true' if action == 'pause' else 'false'}
        if action == 'pause':
            headers['Reason'] = params.get('reason', '')
        return [('QueuePause', headers)]
    if action in ('queue_add', 'queue_remove'):
        name = 'QueueAdd' if action == 'queue_add' else 'QueueRemove'
        extra = {'MemberName': command['name']} if (
            action == 'queue_add') else {}
        return [(name, {'Queue': q, 'Interface': interface, **extra})
            for q in command['queues']]
    if action == 'hangup':
        return [('Hangup', {'Channel': ''})]
    raise ValueError(f'unknown command {action!r}')


def _originate(command: dict[str, Any], context: str, exten: str) -> Action:
    return ('Originate', {'Channel': command['interface'],
            'Context': context, 'Exten': exten, 'Priority': '1',
            'CallerID': f'"{command["name"]}" <{command["extension"]}>',
            'Timeout': ORIGINATE_TIMEOUT, 'Async': 'true',
            'Variable': f'CALLCENTER_AGENT={command["extension"]}'})


async def agent_channel(client: AmiClient, interface: str) -> str | None:
    """The agent's channel in a call: ``PJSIP/1001-0000002a`` for
    ``PJSIP/1001``, ``Local/1001@agents-00000002;1`` for a Local one."""
    answer = await client.action('CoreShowChannels')
    try:
        return callmoves.agent_channel(answer.events, interface).get(
            'Channel')
    except callmoves.NoCall:
        return None


class Consultation:
    """Watches the events for what follows an ``Atxfer`` of ``channel``
    to ``target``: its consultation call, or its ``AttendedTransfer``."""

    def __init__(self, client: AmiClient, channel: str, target: str) -> None:
        self.client, self.channel, self.target = client, channel, target
        self.outcome: asyncio.Future[tuple[bool, str]] = (
            asyncio.get_running_loop().create_future())
        self._entry = ('*', self._watch)
        client._callbacks.append(self._entry)

    def _watch(self, event: Any) -> None:
        if self.outcome.done():
            return
        name = event.name.lower()
        if name == 'attendedtransfer' and self.channel in (
                event.get('OrigTransfererChannel'),
                event.get('SecondTransfererChannel')):
            result = event.get('Result') or ''
            self.outcome.set_result((result == 'Success',
                '' if result == 'Success' else f'attended transfer: {result}'))
        elif (name == 'newchannel' and event.get('Exten') == self.target
                and event.get('Context') == AGENT_CONTEXT):
            self.outcome.set_result((True, ''))

    async def wait(self, timeout: float) -> tuple[bool, str]:
        try:
            async with asyncio.timeout(timeout):
                return await self.outcome
        except TimeoutError:
            return False, NO_CONSULTATION
        finally:
            self.close()

    def close(self) -> None:
        with contextlib.suppress(ValueError):
            self.client._callbacks.remove(self._entry)


async def execute(client: AmiClient, command: dict[str, Any],
        consult_timeout: float = CONSULT_TIMEOUT) -> tuple[bool, str]:
    """Send the command's actions; (ok, Asterisk's message or ours).
    An ``Atxfer`` waits for its consultation call (``Consultation``)."""
    ok, message, consultation = await send(client, command)
    if consultation is not None:
        ok, failure = await consultation.wait(consult_timeout)
        message = failure or message
    return ok, message


async def send(client: AmiClient, command: dict[str, Any],
        ) -> tuple[bool, str, Consultation | None]:
    """Send the command's actions: (ok, message, the ``Consultation`` to
    wait for when an ``Atxfer`` was accepted)."""
    message = ''
    consultation = None
    if command['action'] in callmoves.MOVES:
        try:
            actions = await callmoves.moves_of(client, command)
        except callmoves.NoCall:
            return (False, NO_CALL.format(interface=command['interface']),
                None)
    else:
        actions = actions_of(command)
    for name, headers in actions:
        if 'Channel' in headers and not headers['Channel']:
            channel = await agent_channel(client, command['interface'])
            if channel is None:
                return (False, NO_CALL.format(interface=command['interface']),
                None)
            headers = {**headers, 'Channel': channel}
        if name == 'Atxfer':
            consultation = Consultation(client, headers['Channel'],
                headers['Exten'])
        try:
            response = await client.action(name, check=False, **headers)
        except BaseException:
            if consultation is not None:
                consultation.close()
            raise
        message = response.get('Message') or ''
        if not response.success and not message.lower().endswith(ALREADY):
            if consultation is not None:
                consultation.close()
            return False, message or f'{name} refused', None
    return True, message, consultation


async def run_one(client: AmiClient, command: dict[str, Any],
        ) -> tuple[dict[str, Any], Consultation | None]:
    """Send one command, turning link errors into a final answer; the
    ``Consultation`` an accepted ``Atxfer`` waits for, if any."""
    consultation = None
    try:
        ok, message, consultation = await send(client, command)
    except NotConnected:
        ok, message = False, NOT_SENT
    except (ConnectionLost, TimeoutError):
        ok, message = False, LINK_LOST
    except AmiError as error:
        ok, message = False, str(error)
    if consultation is None:
        _log(command, ok, message)
    return {'id': command['id'], 'ok': ok, 'message': message}, consultation


def _log(command: dict[str, Any], ok: bool, message: str) -> None:
    logger.info("command %s (%s of %s): %s %s", command['id'],
        command['action'], command['interface'], 'done' if ok else 'failed',
        message)


def _take(pool: Any, server_id: int, new_session: bool) -> list[Any]:
    Command = pool.get('callcenter.pbx.command')
    if new_session:
        Command.fail_unanswered(server_id)
    return Command.take(server_id)


def _finish(pool: Any, results: list[dict[str, Any]]) -> None:
    pool.get('callcenter.pbx.command').finish(results)


async def pump(bridge: Bridge, link: Link) -> None:
    """Send the link's commands whenever woken and the link is up."""
    session: float | None = None
    while True:
        await _wait(link.commands_wake, POLL_INTERVAL)
        client = link.client
        if client is None or client.status.state is not LinkState.CONNECTED:
            continue
        try:
            await _serve_once(bridge, link, client, client.status.at != session)
            session = client.status.at
        except Exception:
            logger.exception("PBX server %s: phone commands failed",
                link.server_id)
            link.commands_wake.set()
            await asyncio.sleep(1)


async def _serve_once(bridge: Bridge, link: Link, client: AmiClient,
        new_session: bool) -> None:
    commands = await asyncio.to_thread(bridge.tryton.call, _take,
        link.server_id, new_session)
    results = []
    for command in commands:
        result, consultation = await run_one(client, command)
        if consultation is None:
            results.append(result)
        else:
            task = asyncio.create_task(_consulted(bridge, command, result,
                    consultation), name=f'consultation {command["id"]}')
            _CONSULTING.add(task)
            task.add_done_callback(_CONSULTING.discard)
    if results:
        await asyncio.to_thread(bridge.tryton.call, _finish, results)


#: Attended transfers waiting for their consultation call.
_CONSULTING: set[asyncio.Task[None]] = set()


async def _consulted(bridge: Bridge, command: dict[str, Any],
        result: dict[str, Any], consultation: Consultation) -> None:
    "Record an ``Atxfer`` once its consultation showed, or did not."
    ok, failure = await consultation.wait(bridge.config.consult_timeout)
    result = {**result, 'ok': ok, 'message': failure or result['message']}
    _log(command, ok, result['message'])
    try:
        await asyncio.to_thread(bridge.tryton.call, _finish, [result])
    except Exception:
        logger.exception("PBX server: command %s not recorded",
            command['id'])


async def _wait(event: asyncio.Event, timeout: float) -> None:
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        pass
    event.clear()


def _conninfo(pool: Any) -> str:
    from trytond import backend
    return backend.Database._connection_params(pool.database_name)['conninfo']


async def listen(bridge: Bridge) -> None:
    """Wake the links' pumps on each NOTIFY of :data:`CHANNEL`; reconnect
    after a lost database connection (the pumps poll meanwhile)."""
    import psycopg
    conninfo = await asyncio.to_thread(bridge.tryton.call, _conninfo)
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True) as conn:
                await conn.execute(f'LISTEN {CHANNEL}')
                _wake_all(bridge)
                async for notify in conn.notifies():
                    _wake(bridge, notify.payload)
        except Exception as error:  # the pumps poll meanwhile
            logger.warning("LISTEN %s lost: %s; retrying", CHANNEL, error)
            await asyncio.sleep(POLL_INTERVAL)


def _wake(bridge: Bridge, payload: str) -> None:
    link = bridge.links.get(int(payload)) if payload.isdigit() else None
    if link is not None:
        link.commands_wake.set()


def _wake_all(bridge: Bridge) -> None:
    for link in bridge.links.values():
        link.commands_wake.set()
