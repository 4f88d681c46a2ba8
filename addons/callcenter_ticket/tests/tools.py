"Fixtures shared by the ticket tests."
import datetime as dt
import socket
from contextlib import contextmanager
from unittest.mock import patch

from trytond.pool import Pool

# 2026-11-20 is a Friday.
FRIDAY = dt.date(2026, 11, 20)


def at(hour, minute=0, days=0):
    "A moment relative to FRIDAY."
    return dt.datetime.combine(
        FRIDAY + dt.timedelta(days=days), dt.time(hour, minute))


def create_user(login, company, *group_xml_ids, email=None):
    "A user of company in the given callcenter_base groups."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = [ModelData.get_id('callcenter_base', g) for g in group_xml_ids]
    user, = User.create([{
                'login': login, 'name': login.title(), 'email': email,
                'groups': [('add', groups)],
                'companies': [('add', [company.id])],
                'company': company.id,
                }])
    return user


def create_team(name, leader, *members):
    Team = Pool().get('callcenter.team')
    team, = Team.create([{
                'name': name, 'leader': leader.id,
                'members': [('add', [leader.id] + [m.id for m in members])],
                }])
    return team


def create_type(name="Complaint", response=2, resolution=8):
    "A ticket type with one SLA line for normal priority."
    Type = Pool().get('callcenter.ticket.type')
    type_, = Type.create([{
                'name': name,
                'slas': [('create', [{
                                'priority': 'normal',
                                'response_hours': response,
                                'resolution_hours': resolution,
                                }])],
                }])
    return type_


def create_ticket(type_, subject="No dial tone", **values):
    Ticket = Pool().get('callcenter.ticket')
    ticket, = Ticket.create([dict(type=type_.id, subject=subject, **values)])
    return ticket


@contextmanager
def frozen_now(moment):
    "Make the tickets' SLA clock read moment."
    Ticket = Pool().get('callcenter.ticket')
    with patch.object(Ticket, '_now', return_value=moment):
        yield


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class _Mailbox:
    "aiosmtpd handler keeping the messages received."

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return '250 OK'


@contextmanager
def smtp_server():
    "A local SMTP server that Tryton's [email] uri points at."
    from aiosmtpd.controller import Controller

    from trytond import config
    mailbox = _Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname='127.0.0.1', port=port)
    controller.start()
    previous = config.get('email', 'uri')
    config.set('email', 'uri', f'smtp://127.0.0.1:{port}')
    try:
        yield mailbox
    finally:
        config.set('email', 'uri', previous)
        controller.stop()
