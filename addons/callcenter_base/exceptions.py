from trytond.model.exceptions import ValidationError


class TeamLeaderError(ValidationError):
    pass
