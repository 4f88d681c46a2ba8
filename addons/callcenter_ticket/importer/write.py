"""Writing checked import rows as customers, in batches.

Rows arrive already validated by the engine. Customers are created with
one ``create`` per model and batch (parties, then their contact
mechanisms, addresses and group memberships) rather than nested creates.
This is the reference the bulk path (``bulk``) is tested
against, and its fallback (about 90 rows/s); updates always come here.
"""
from sql import Literal

from trytond.modules.callcenter_base import phone
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.tools.email_ import normalize_email
from trytond.tools import grouped_slice

ATTRIBUTE_PREFIX = 'attribute:'

PARTY_FIELDS = ('name', 'code', 'customer_level', 'service_level',
    'source_channel')
ADDRESS_FIELDS = ('street', 'city', 'postal_code', 'country')
MECHANISMS = ('phone', 'mobile', 'email')
BATCH = 100
LOOKUP_BATCH = 1000


def phone_keys(values):
    return [values[k] for k in ('phone', 'mobile') if values.get(k)]


def find_duplicates(rows):
    """Row number → id of the existing customer with one of its numbers.

    One query per thousand numbers, in SQL: an ORM search per hundred
    numbers took seconds on a large file. As that search did, only active
    numbers count and the oldest one wins.
    """
    Mechanism = Pool().get('party.contact_mechanism')
    table = Mechanism.__table__()
    cursor = Transaction().connection.cursor()
    keys = {key for _, values in rows for key in phone_keys(values)}
    owner = {}
    for chunk in grouped_slice(sorted(keys), LOOKUP_BATCH):
        cursor.execute(*table.select(table.value_compact, table.party,
                where=table.value_compact.in_(list(chunk))
                & table.type.in_(['phone', 'mobile'])
                & (table.active == Literal(True)),
                order_by=[table.id.asc]))
        for key, party in cursor:
            owner.setdefault(key, party)
    duplicates = {}
    for number, values in rows:
        for key in phone_keys(values):
            if key in owner:
                duplicates[number] = owner[key]
                break
    return duplicates


def mechanism_values(party, kind, value):
    """The mechanism as party stores it (display value and compact key).

    Given in their final form, party's computed fields find nothing to
    change, which saves an UPDATE per number.
    """
    if kind == 'email':
        value = normalize_email(value)
        compact = value
    else:
        compact = value
        number = phone.valid(value)
        if number is not None:
            value = phone.international(number)
    return {'party': int(party), 'type': kind, 'value': value,
        'value_compact': compact}


def party_values(values):
    result = {k: values[k] for k in PARTY_FIELDS if k in values}
    attributes = {k[len(ATTRIBUTE_PREFIX):]: v for k, v in values.items()
        if k.startswith(ATTRIBUTE_PREFIX)}
    if attributes:
        result['cc_attributes'] = attributes
    return result


def create_customers(rows, progress=None):
    "Create one customer per row; ``progress(done)`` after each batch."
    done = 0
    for batch in grouped_slice(rows, BATCH):
        batch = [values for _, values in batch]
        _create_batch(batch)
        done += len(batch)
        if progress:
            progress(done)
    return done


def _create_batch(batch):
    pool = Pool()
    Party = pool.get('party.party')
    to_create = []
    for values in batch:
        party = party_values(values)
        party.setdefault('source_channel', 'import')
        to_create.append(party)
    parties = Party.create(to_create)
    _add_details(list(zip(parties, batch)))


def _add_details(pairs, existing=None):
    "Contact mechanisms, address and groups of each (party, values)."
    pool = Pool()
    Mechanism = pool.get('party.contact_mechanism')
    Address = pool.get('party.address')
    Member = pool.get('callcenter.customer.group-party.party')
    existing = existing or {}
    mechanisms, addresses, members = [], [], []
    for party, values in pairs:
        known = existing.get(party.id, set())
        for kind in MECHANISMS:
            value = values.get(kind)
            if value and (kind, value) not in known:
                mechanisms.append(mechanism_values(party, kind, value))
        address = {k: values[k] for k in ADDRESS_FIELDS if k in values}
        if address and ('address', address.get('street'),
                address.get('city')) not in known:
            address['party'] = party.id
            addresses.append(address)
        if values.get('customer_group') and (
                'group', values['customer_group']) not in known:
            members.append(
                {'party': party.id, 'group': values['customer_group']})
    Mechanism.create(mechanisms)
    Address.create(_street(addresses))
    Member.create(members)


def _street(addresses):
    "party.address keeps a free street text as street_unstructured."
    for address in addresses:
        if 'street' in address:
            address['street_unstructured'] = address.pop('street')
    return addresses


def update_customers(rows, duplicates):
    "Write the rows' values on the customers they duplicate."
    pool = Pool()
    Party = pool.get('party.party')
    pairs = [(Party(duplicates[number]), values) for number, values in rows]
    to_write = []
    for party, values in pairs:
        changes = party_values(values)
        if 'cc_attributes' in changes:
            changes['cc_attributes'] = {
                **(party.cc_attributes or {}), **changes['cc_attributes']}
        if changes:
            to_write.extend(([party], changes))
    if to_write:
        Party.write(*to_write)
    _add_details(pairs, existing=_known_details(pairs))
    return len(pairs)


def _known_details(pairs):
    "What each customer already has, so an update adds no second copy."
    known = {}
    for party, _ in pairs:
        have = known.setdefault(party.id, set())
        have.update((m.type, m.value_compact or m.value)
            for m in party.contact_mechanisms)
        have.update((m.type, m.value) for m in party.contact_mechanisms)
        have.update(('group', g.id) for g in party.customer_groups)
        have.update(('address', a.street_unstructured, a.city)
            for a in party.addresses)
    return known
