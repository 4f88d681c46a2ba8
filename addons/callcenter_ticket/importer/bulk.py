"""New customers of an import written with ``COPY``: the bulk path.

Every new customer is written by this path, whatever the file's size,
unless an ``ir.trigger`` watches the creation of customers, numbers,
addresses or group members, or the database is not PostgreSQL (it uses
``COPY``): then the import uses ``write.create_customers`` (``create``), which
runs them. Rows whose number belongs to an existing customer (updates)
always go through ``write``: they are few.

The values are those ``create`` stores (the test ``test_import_bulk``
compares both paths field by field):

* the customer: ``Party.preprocess_values`` itself is run on each row
  (search key with pinyin, code letters and digits), with the codes of
  the party sequence fetched at once (``ir.sequence.get_many``: one
  ``nextval`` query for an SQL sequence);
* its numbers: display value and ``value_compact`` as party formats them
  and what other modules compute from it (``phone_values``: with
  ``callcenter_cti``, ``phone_key`` and ``phone_tail``), each number
  parsed once, by the engine (see ``_Numbers``);
* address and group membership as given;
* what other modules add to these models (``sale`` and ``stock`` add
  multi-value defaults to parties): their defaults, written by
  ``callcenter_base.importer.bulk`` as ``create`` writes them.

Everything runs in the import's transaction: a failure rolls all back.
"""
from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from trytond.modules.callcenter_base.importer import bulk

from ..exceptions import CustomerReadOnlyError
from ..party import may_edit_customers
from .write import (
    ADDRESS_FIELDS, MECHANISMS, mechanism_values, party_values)

BATCH = 5000  # rows per COPY round, and between two progress reports
MODELS = ('party.party', 'party.contact_mechanism', 'party.address',
    'callcenter.customer.group-party.party')


def supported():
    "Whether the bulk path writes what ``create`` would (see above)."
    pool = Pool()
    Models = [pool.get(name) for name in MODELS]
    if backend.name != 'postgresql':  # COPY
        return False
    return not bulk.has_create_triggers(*Models)


def create_customers(rows, progress=None, phones=None):
    """Create one customer per row; ``progress(done)`` after each batch.

    ``phones`` maps the rows' E.164 numbers to their international format
    (the engine's ``Result.phones``), else each number is parsed again.
    """
    _check_editor()
    done = 0
    numbers = _Numbers(phones or {})
    for batch in grouped_slice(rows, BATCH):
        batch = [values for _, values in batch]
        _create_batch(batch, numbers)
        done += len(batch)
        if progress:
            progress(done)
    return done


def _create_batch(batch, numbers):
    pool = Pool()
    Party = pool.get('party.party')
    ids = _group_insert(Party, _parties(batch))
    mechanisms, addresses, members = [], [], []
    for party, values in zip(ids, batch):
        for kind in MECHANISMS:
            if values.get(kind):
                mechanisms.append(numbers.mechanism(party, kind, values[kind]))
        address = {k: values[k] for k in ADDRESS_FIELDS if k in values}
        if address:
            address['party'] = party
            if 'street' in address:
                address['street_unstructured'] = address.pop('street')
            addresses.append(address)
        if values.get('customer_group'):
            members.append({'party': party, 'group': values['customer_group']})
    _group_insert(pool.get('party.contact_mechanism'), mechanisms)
    _group_insert(pool.get('party.address'), addresses)
    _group_insert(
        pool.get('callcenter.customer.group-party.party'), members)


def _parties(batch):
    "The customers' values after party's own ``preprocess_values``."
    Party = Pool().get('party.party')
    vlist = []
    for values in batch:
        party = party_values(values)
        party.setdefault('source_channel', 'import')
        vlist.append(party)
    without_code = [v for v in vlist if not v.get('code')]
    sequence = Party._code_sequence()
    if without_code and sequence:
        for values, code in zip(without_code,
                sequence.get_many(len(without_code))):
            values['code'] = code
    with without_check_access():
        vlist = [Party.preprocess_values('create', v) for v in vlist]
    return [{k: v for k, v in values.items()
            if not (hasattr(Party._fields[k], 'set') and v is None)}
        for values in vlist]


def _check_editor():
    """Only users who may change customers import them (leaders, admins…).

    ``bulk_create`` checks the access rights as ``create`` does; this
    checks the call-center rule even where ``create`` would not (in the
    queue worker, which runs without access checks): a file of a user is
    always a user's change.
    """
    if not may_edit_customers(external=bool(Transaction().user)):
        raise CustomerReadOnlyError(gettext(
                'callcenter_ticket.msg_customer_read_only'))


class _Numbers:
    """Contact mechanism values of the numbers, each parsed once.

    The engine gives every number in E.164 after checking it is valid, and
    its international format in ``phones``. Party stores the international
    format as value and E.164 as ``value_compact``; the columns other
    modules compute from the number (``callcenter_cti``'s phone keys) come
    from the contact mechanism's ``phone_values`` hook.
    """

    def __init__(self, phones):
        self.phones = phones
        self.Mechanism = Pool().get('party.contact_mechanism')

    def mechanism(self, party, kind, value):
        if kind != 'email' and value in self.phones:
            values = {'party': party, 'type': kind,
                'value': self.phones[value], 'value_compact': value}
        else:
            values = mechanism_values(party, kind, value)
        values.update(self.Mechanism.phone_values(
                kind, values['value_compact']))
        return values


def _group_insert(Model, vlist):
    "``bulk_create`` per set of keys; the ids in the order of ``vlist``."
    ids = [None] * len(vlist)
    groups = {}
    for index, values in enumerate(vlist):
        groups.setdefault(tuple(sorted(values)), []).append(index)
    for indexes in groups.values():
        new = bulk.bulk_create(Model, [vlist[i] for i in indexes])
        for index, id_ in zip(indexes, new):
            ids[index] = id_
    return ids
