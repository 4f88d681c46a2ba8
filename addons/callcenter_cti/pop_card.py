"""The customer card's values carried by the screen pop message.

The web client shows a form once it has read every field of the view; the
pop sends that read, done as the agent, so that the card paints without a
round trip. The sub-lists come as ids: the client reads their rows after
the name is shown.
"""
import time

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.transaction import Transaction, check_access

_NAMED = {'many2one', 'one2one', 'reference'}
_EXTRA = ['rec_name', '_timestamp', '_write', '_delete']
#: How long the card's field names and an agent's preferences are reused.
REMEMBER_SECONDS = 60
_remembered = {}


def remembered(key, compute):
    """compute() for ``key``, reused for REMEMBER_SECONDS in this process.

    The bridge runs each batch in a new transaction, where Tryton's own
    caches of views and preferences missed every time (a profile of the
    screen-pop bench showed a view parse and a preferences read per pop);
    both change rarely, and a minute's delay is harmless for a pop."""
    key = (Transaction().database.name, *key)
    now = time.monotonic()
    found = _remembered.get(key)
    if found is None or now - found[0] > REMEMBER_SECONDS:
        _forget_expired(now)
        found = _remembered[key] = (now, compute())
    return found[1]


def _forget_expired(now):
    """Drop what is too old to be reused: the bridge runs for months, and
    each change of a user adds a key (its write date)."""
    for key, (since, _) in list(_remembered.items()):
        if now - since > REMEMBER_SECONDS:
            del _remembered[key]


def card_fields(view_id):
    "What the web client reads to show the form ``view_id`` of a party."
    return remembered(('fields', view_id), lambda: _card_fields(view_id))


def _card_fields(view_id):
    Party = Pool().get('party.party')
    fields = Party.fields_view_get(view_id, 'form')['fields']
    names = list(fields) + _EXTRA
    names += [f'{n}.rec_name' for n, f in fields.items()
        if f['type'] in _NAMED]
    return names


def agent_context(user_id):
    """The context the web client of ``user_id`` reads with; read again
    when the user record changes (a new company or language)."""
    User = Pool().get('res.user')
    user = User.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*user.select(user.create_date, user.write_date,
            where=user.id == user_id))
    version = cursor.fetchone()

    def preferences():
        with Transaction().set_user(user_id):
            return User.get_preferences(context_only=True)
    return remembered(('context', user_id, version), preferences)


def card_values(party_id, view_id, user_id):
    """The party's values as the web client would read them for the card,
    with the rights of ``user_id``; None when that user may not read it."""
    Party = Pool().get('party.party')
    names = card_fields(view_id)
    context = agent_context(user_id)
    transaction = Transaction()
    with transaction.set_user(user_id), transaction.set_context(context), \
            check_access():
        try:
            values, = Party.read([party_id], names)
        except (UserError, ValueError):
            return None
    return values
