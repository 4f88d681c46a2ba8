from trytond.model import ModelSingleton, ModelSQL, ModelView, fields


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Settings shared by the call-center modules."
    __name__ = 'callcenter.configuration'
    __string__ = "Call Center Settings"
    phone_country = fields.Many2One(
        'country.country', "Phone Country",
        help="Country of the numbers dialled or received without a "
        "country code; used to normalise them.")
