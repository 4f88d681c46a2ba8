"""PBX simulator: an AMI server that behaves like Asterisk 18-22.

It accepts a Login (``Authentication failed`` otherwise), honours the event
mask, answers the actions a CTI bridge sends and plays call scenarios with
Asterisk's real event sequences and field names, so the bridge's AMI client
runs unchanged against it or against a real Asterisk.

Start it in-process::

    sim = Simulator(SimConfig(port=0, tempo=0.01, recordings=tmp_path))
    await sim.start()                     # sim.port is the bound port
    call = await sim.scenario('inbound', caller='+8613800138000',
                              agent='1001', queue='support')
    await call.finished.wait()
    await sim.close()

Sources, checked event by event:

- Asterisk AMI event and action pages, docs.asterisk.org,
  ``Asterisk_18_Documentation``/``Asterisk_20_Documentation``/
  ``Asterisk_22_Documentation`` > API_Documentation > AMI_Events
  (Newchannel, Newstate, NewCallerid, DialBegin, DialState, DialEnd,
  LocalBridge, BridgeCreate/Enter/Leave/Destroy, Hold, Unhold, Hangup,
  QueueCallerJoin/Leave/Abandon, AgentCalled, AgentConnect, AgentComplete,
  AgentRingNoAnswer, QueueMemberStatus, QueueMemberPause (no ``Reason``
  header since 18), QueueMemberAdded/Removed, VarSet, BlindTransfer,
  AttendedTransfer, Pickup, MixMonitorStart, MessageWaiting, Cdr,
  ChanSpyStart/ChanSpyStop (``supervision.py``, no capture),
  OriginateResponse, CoreShowChannel, QueueParams/QueueMember/QueueEntry)
  and AMI_Actions (Login, Originate, Redirect, BlindTransfer, Atxfer,
  Hangup, QueuePause, QueueAdd, QueueRemove, CoreShowChannels,
  QueueStatus, MixMonitor, Ping, Logoff).
- The real captures of Asterisk 22.10.1 in ``shared/ami-transcripts/``
  (``inbound_queue_call.txt``, ``outbound_click_to_dial.txt``): order of
  the key events, field names and order, ``Local/…;1``/``;2`` halves,
  ``Uniqueid`` = ``<epoch>.<counter>``, ``Linkedid`` = the first channel's
  Uniqueid, ``MIXMONITOR_FILENAME`` set just before ``MixMonitorStart``,
  login ``Response`` before ``FullyBooted``. ``tests/pbx/
  test_sim_vs_capture.py`` compares them.

Options for the lab's set-up (``SimConfig``): agents' phones and callers
as Local channel pairs (``agent_tech``, ``caller_tech``; both halves Up,
the caller's ``;2`` half bridged with the agent's ``;1``) and the order of
``CoreShowChannels`` (``channel_order``: Asterisk's own is any order).
The sample dialplan's hold hangup handler is modelled (``Call.hangup``).
Transfer results other than ``Success`` (``BlindTransfer`` of an
unbridged channel: ``Invalid`` and an error answer; an attended transfer
nobody answers: ``Fail``) follow Asterisk's source and event reference,
not a capture.

Simplifications, documented rather than hidden: no Newexten/VarSet flood
(only the variables a CTI uses), no DeviceStateChange/ExtensionStatus, a
blind transfer dials the target from the transferee instead of swapping a
Local channel in, and an attended transfer keeps the consultation call's
channels on the first call's Linkedid.
"""
from .calls import Call
from .config import SimConfig
from .server import Simulator

__all__ = ['Call', 'SimConfig', 'Simulator']
