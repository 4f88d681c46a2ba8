"""Post-call satisfaction survey (CTI-11).

The dialplan's ``callcenter-survey`` context (``config/asterisk``) sets the
channel variable ``SURVEY`` to ``offered`` as the prompt starts, then to the
key the caller pressed, or ``none`` when the prompt timed out. The bridge
reports it as a ``survey`` variable event; the key map of the settings turns
the key into the answer stored on the call. A caller who hangs up before
pressing a key leaves ``offered``: "no answer", never "unsatisfied".
"""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

SURVEY_ANSWERS = [
    (None, ""),
    ('very_satisfied', "Very Satisfied"),
    ('satisfied', "Satisfied"),
    ('unsatisfied', "Unsatisfied"),
    ('no_answer', "No Answer"),
    ]
#: Answer → (configuration field, default key).
SURVEY_KEYS = {
    'very_satisfied': ('survey_key_very_satisfied', '1'),
    'satisfied': ('survey_key_satisfied', '2'),
    'unsatisfied': ('survey_key_unsatisfied', '3'),
    }


def _key_field(string, answer):
    return fields.Char(string, size=1,
        help=f"The key the caller presses for \"{answer}\" in the survey.")


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    survey_key_very_satisfied = _key_field(
        "Very Satisfied Key", "very satisfied")
    survey_key_satisfied = _key_field("Satisfied Key", "satisfied")
    survey_key_unsatisfied = _key_field("Unsatisfied Key", "unsatisfied")

    @staticmethod
    def default_survey_key_very_satisfied():
        return '1'

    @staticmethod
    def default_survey_key_satisfied():
        return '2'

    @staticmethod
    def default_survey_key_unsatisfied():
        return '3'

    @classmethod
    def survey_key_map(cls):
        "Key pressed → answer, from the settings (defaults 1, 2, 3)."
        config = cls(1)
        return {(getattr(config, name, None) or default): answer
            for answer, (name, default) in SURVEY_KEYS.items()}


class Call(metaclass=PoolMeta):
    __name__ = 'callcenter.call'
    survey = fields.Selection(
        SURVEY_ANSWERS, "Survey", readonly=True,
        help="The caller's answer to the post-call satisfaction survey.")
    survey_string = survey.translated('survey')

    @classmethod
    def _event_variable(cls, batch, call, leg, event, at):
        if event.get('name') != 'survey':
            return super()._event_variable(batch, call, leg, event, at)
        answer, key = cls._survey_answer(event.get('value'))
        if answer == 'no_answer' and call.survey:
            return      # ``offered`` arriving after the key
        if call.survey != answer:
            call.survey = answer
            if key and key.isdigit() and 1 <= int(key) <= 5:
                call.satisfaction = int(key)
            batch.touch(call)

    @classmethod
    def _survey_answer(cls, value):
        "The answer and key of a ``SURVEY`` value (a key, offered, none)."
        Configuration = Pool().get('callcenter.configuration')
        key = str(value or '').strip()
        answer = Configuration.survey_key_map().get(key)
        return (answer, key) if answer else ('no_answer', None)
