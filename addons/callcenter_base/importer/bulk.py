"""Inserting many records of a model with one ``COPY``, as ``create`` would.

``ModelSQL.create`` costs a few hundred microseconds per record (default
values, ``preprocess_values``, one ``browse`` per record to validate and
compute fields); for the 500,000 records of a large customer import that
is most of the time. :func:`bulk_create` keeps what makes the records the
same as ``create`` would store them and does the per-record part in
plain Python:

* access: ``ir.model.access`` and field access are checked as ``create``
  checks them, and the model's ``check_modification`` is called on the new
  records (the call-center rule on who may change customers lives there);
* the values given are final: the caller computes the fields ``create``
  would compute (see the customer target's ``bulk``); missing fields get
  the model's defaults, computed once through Tryton, and every value goes
  through the field's ``sql_format``;
* defaults not stored in the model's table, whatever module adds them, are
  written as ``create`` writes them: a multi-value default (``stock``'s
  ``customer_location`` and ``supplier_location`` of parties, ``sale``'s
  methods…) as rows of its value model, inserted with ``COPY`` too; any
  other through its field's setter, once for all the new records;
* ids come from the table's sequence, ``create_uid`` is the user and
  ``create_date`` the transaction's ``CURRENT_TIMESTAMP``, as in
  ``create``; record rules on create and triggers are honoured.

Not done: ``_validate`` (the import engine checked every value already)
and ``compute_fields`` (the caller fills them).
"""
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


def bulk_create(Model, vlist):
    "Insert the values of ``vlist`` (same keys in each); the new ids."
    if not vlist:
        return []
    transaction = Transaction()
    names = sorted(vlist[0])
    _check_access(Model, names)
    defaults, elsewhere = _defaults(Model, names)
    columns = ['create_uid', 'create_date', *names, *defaults, 'id']
    ids = transaction.database.nextid(
        transaction.connection, Model._table, count=len(vlist))
    if len(vlist) == 1:
        ids = [ids]  # nextid gives one id alone
    fixed = [transaction.user, _now()]
    default_values = [Model._fields[n].sql_format(v)
        for n, v in defaults.items()]
    formats = [Model._fields[n].sql_format for n in names]
    cursor = transaction.connection.cursor()
    copy = 'COPY "%s" (%s) FROM STDIN' % (
        Model._table, ', '.join('"%s"' % c for c in columns))
    with cursor.copy(copy) as writer:
        for values, id_ in zip(vlist, ids):
            writer.write_row(fixed
                + [f(values[n]) for f, n in zip(formats, names)]
                + default_values + [id_])
    _set_elsewhere(Model, ids, elsewhere)
    _after_create(Model, ids)
    return ids


def _check_access(Model, names):
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    FieldAccess = pool.get('ir.model.field.access')
    ModelAccess.check(Model.__name__, 'create')
    FieldAccess.check(Model.__name__, names, 'write')
    Model.check_modification('create', [],
        external=bool(Transaction().user and Transaction().check_access))


def _defaults(Model, names):
    """The defaults of the fields not given, as ``create`` adds them: those
    of the table's columns, and the others not empty."""
    missing = [n for n, f in Model._fields.items()
        if n not in names
        and n not in {'id', 'create_uid', 'create_date', 'write_uid',
            'write_date'}
        and not (isinstance(f, fields.Function) and not f.setter)]
    defaults = Model._clean_defaults(
        Model.default_get(missing, with_rec_name=False))
    stored = {n: v for n, v in defaults.items()
        if not hasattr(Model._fields[n], 'set')}
    elsewhere = {n: v for n, v in defaults.items()
        if hasattr(Model._fields[n], 'set') and v not in (None, [], ())}
    return stored, elsewhere


def _set_elsewhere(Model, ids, values):
    "Write the defaults kept outside the table of the new records."
    by_value_model = {}
    for name, value in values.items():
        if isinstance(Model._fields[name], fields.MultiValue):
            Value = Model.multivalue_model(name)
            by_value_model.setdefault(Value, {})[name] = value
        else:
            Model._fields[name].set(Model, name, ids, value)
    for Value, defaults in by_value_model.items():
        owner = _owner_field(Value, Model)
        bulk_create(Value, [{owner: id_, **defaults} for id_ in ids])


def _owner_field(Value, Model):
    "The field of a multi-value model that points to its record."
    return next(name for name, field in Value._fields.items()
        if field._type == 'many2one' and field.model_name == Model.__name__)


def _now():
    "What ``CURRENT_TIMESTAMP`` stores in a timestamp column."
    cursor = Transaction().connection.cursor()
    cursor.execute('SELECT CAST(CURRENT_TIMESTAMP AS TIMESTAMP)')
    return cursor.fetchone()[0]


def has_create_triggers(*Models):
    "Whether an ``ir.trigger`` watches the creation of one of the models."
    Trigger = Pool().get('ir.trigger')
    with without_check_access():
        return any(Trigger.get_triggers(M.__name__, 'create') for M in Models)


def _after_create(Model, ids):
    "Record rules, modification checks, history and caches, as ``create``."
    transaction = Transaction()
    transaction.counter += 1
    Model._count_cache.set(Model.__name__, None)
    Model._insert_history(ids)
    # ir.rule on create: the private check ModelSQL.create ends with
    Model._ModelSQL__check_domain_rule(ids, 'create')
    transaction.create_records[Model.__name__].extend(ids)
