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
