from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.transaction import Transaction


class Queue(DeactivableMixin, ModelSQL, ModelView):
    "A call queue of the phone system, answered by agents."
    __name__ = 'callcenter.queue'
    __string__ = "Call Queue"
    name = fields.Char(
        "Name", required=True,
        help="The queue's name on the phone system (queues.conf).")
    server = fields.Many2One(
        'callcenter.pbx.server', "PBX Server", required=True,
        ondelete='CASCADE')
    company = fields.Many2One(
        'company.company', "Company",
        help="The client company whose calls the queue takes.")
    agents = fields.Many2Many(
        'callcenter.agent-callcenter.queue', 'queue', 'agent', "Agents")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('server_name_uniq', Unique(t, t.server, t.name),
                'callcenter_cti.msg_queue_name_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def get_or_create(cls, server_id, names):
        "The queues of ``server_id`` named ``names``, created when missing."
        names = sorted({n for n in names if n})
        queues = {q.name: q for q in cls.search([
                    ('server', '=', server_id), ('name', 'in', names),
                    ('active', 'in', [True, False]),
                    ])}
        missing = [n for n in names if n not in queues]
        if missing:
            queues.update({q.name: q for q in cls.create([
                            {'server': server_id, 'name': n}
                            for n in missing])})
        return queues
