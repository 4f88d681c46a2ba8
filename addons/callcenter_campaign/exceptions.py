from trytond.model.exceptions import ValidationError


class PacingRatioError(ValidationError):
    pass
