"""The knowledge base search box on the ticket form."""
from trytond.pool import PoolMeta

from .lookup import KbLookupMixin


class Ticket(KbLookupMixin, metaclass=PoolMeta):
    __name__ = 'callcenter.ticket'
