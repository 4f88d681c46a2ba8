"""The customer card's values carried by the screen pop message.

The web client shows a form once it has read every field of the view; the
pop sends that read, done as the agent, so that the card paints without a
round trip. The sub-lists come as ids: the client reads their rows after
the name is shown.
"""
from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.transaction import Transaction, check_access

_NAMED = {'many2one', 'one2one', 'reference'}
_EXTRA = ['rec_name', '_timestamp', '_write', '_delete']


def card_fields(view_id):
    "What the web client reads to show the form ``view_id`` of a party."
    Party = Pool().get('party.party')
    fields = Party.fields_view_get(view_id, 'form')['fields']
    names = list(fields) + _EXTRA
    names += [f'{n}.rec_name' for n, f in fields.items()
        if f['type'] in _NAMED]
    return names


def card_values(party_id, view_id, user_id):
    """The party's values as the web client would read them for the card,
    with the rights of ``user_id``; None when that user may not read it."""
    pool = Pool()
    Party = pool.get('party.party')
    User = pool.get('res.user')
    names = card_fields(view_id)
    transaction = Transaction()
    with transaction.set_user(user_id):
        context = User.get_preferences(context_only=True)
    with transaction.set_user(user_id), transaction.set_context(context), \
            check_access():
        try:
            values, = Party.read([party_id], names)
        except (UserError, ValueError):
            return None
    return values
