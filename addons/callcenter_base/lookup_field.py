"""Fields typed in to look something up, not to change the record.

A search box on a form (the call panel's knowledge base search) is a
Function field whose setter stores nothing. The web client would count
typing in it as a change and ask "save?" when the agent closes the form;
``static/05_lookup_fields.js`` leaves out the fields marked here, which
the field definitions sent to the client carry as ``lookup``.
"""


def lookup(field):
    "Mark ``field`` as a search box: typing in it does not change the record."
    field.lookup = True
    return field


class LookupFieldsMixin:
    "Send the ``lookup`` mark of the model's fields to the client."
    __slots__ = ()

    @classmethod
    def fields_get(cls, fields_names=None, level=0):
        definitions = super().fields_get(fields_names, level=level)
        for name, definition in definitions.items():
            if getattr(cls._fields.get(name), 'lookup', False):
                definition['lookup'] = True
        return definitions
