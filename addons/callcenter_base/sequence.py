"""Sequences outlive the deactivation of the module that defines them, so
numbering goes on where it stopped when the module is activated again."""
from trytond.pool import PoolMeta

from .model_data import KeptOnRemoval


class SequenceType(KeptOnRemoval, metaclass=PoolMeta):
    __name__ = 'ir.sequence.type'


class Sequence(KeptOnRemoval, metaclass=PoolMeta):
    __name__ = 'ir.sequence'


class SequenceStrict(KeptOnRemoval, metaclass=PoolMeta):
    __name__ = 'ir.sequence.strict'
