from trytond.pool import PoolMeta


class ContactMechanism(metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'

    @classmethod
    def phone_values(cls, type_, key):
        """The values the modules compute from a number of ``type_`` whose
        E.164 is ``key``, for writers that store numbers without
        ``create`` (the customer import's COPY); a hook the modules that
        add such columns extend (``callcenter_cti``: its phone keys)."""
        return {}
