"""Telling users: bus messages, the web client's bell, emails.

The one helper of the call-center modules (screen pops, ticket and
follow-up notices, knowledge base announcements; callbacks due,
replenishment, grading and announcements of the coming modules):

* ``publish(user_id, message)``: a bus message on the user's own channel
  (``user:<id>``, or another channel), stamped with ``sent_at`` and
  delivered when the transaction commits;
* ``notify(notices, bus_type=..., email=...)``: for each ``Notice``, a
  bell notification (``res.notification``), a bus message of
  ``bus_type`` when given, and an email when ``email(notice)`` gives a
  body and the user has an address (sent at commit).

Nothing is sent when the transaction rolls back.
"""
import json
import time
from email.message import EmailMessage
from typing import Any, NamedTuple

from trytond import config
from trytond.bus import Bus
from trytond.pool import Pool
from trytond.sendmail import send_message_transactional
from trytond.transaction import without_check_access


class Notice(NamedTuple):
    "What to tell ``user`` (a record or an id) about ``record``."
    user: Any
    record: Any
    label: str
    description: str | None = None


def publish(user_id, message, channel=None):
    """Send ``message`` on the user's own bus channel (or ``channel``),
    delivered at commit; returns the channel."""
    message['sent_at'] = time.time()
    channel = channel or f'user:{user_id}'
    Bus.publish(channel, message)
    return channel


def notify(notices, bus_type=None, email=None):
    """Tell each notice's user in the bell; on the bus as ``bus_type``
    when given; by email with the body ``email(notice)`` when given."""
    Notification = Pool().get('res.notification')
    for notice in notices:
        if bus_type:
            publish(int(notice.user), _bus_message(notice, bus_type))
        body = email(notice) if email else None
        if body is not None and getattr(notice.user, 'email', None):
            send_email(notice.user.email, notice.label, body)
    with without_check_access():
        Notification.create([_notification(n) for n in notices])


def _bus_message(notice, bus_type):
    return {
        'type': bus_type,
        'model': notice.record.__name__,
        'res_id': notice.record.id,
        'label': notice.label,
        }


def _notification(notice):
    return {
        'user': int(notice.user),
        'label': notice.label,
        'description': notice.description,
        'model': notice.record.__name__,
        'records': json.dumps([notice.record.id]),
        }


def send_email(to, subject, body):
    "Queue a plain-text email, sent when the transaction commits."
    msg = EmailMessage()
    msg['From'] = config.get('email', 'from')
    msg['To'] = to
    msg['Subject'] = subject
    msg.set_content(body)
    send_message_transactional(msg)
