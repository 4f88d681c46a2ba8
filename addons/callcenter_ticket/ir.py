from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('callcenter.ticket|check_overdue', "Flag Overdue Tickets"),
                ('callcenter.ticket|escalate_overdue',
                    "Escalate Overdue Tickets"),
                ])
