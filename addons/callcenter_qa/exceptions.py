from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class TemplateActiveError(AccessError):
    pass


class EvaluationStateError(UserError):
    pass


class EvaluationLineError(ValidationError):
    pass


class CalibrationError(UserError):
    pass


class QaListSatisfactionError(ValidationError):
    "The satisfaction keys of a QA list are not digits separated by |."


class QaListStateError(AccessError):
    "A QA list in this state may not be changed that way."
