"""Cell text to field values, for every import target.

Each converter takes the cell (text, or a datetime from an Excel date cell)
and returns the value, or raises :class:`ConversionError` with a reason
code and parameters that the model turns into a translated message.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from trytond.modules.callcenter_base import phone

try:
    from email_validator import EmailNotValidError, validate_email
except ImportError:
    validate_email = None

DATE_COMPACT = re.compile(r'^(\d{4})(\d{2})(\d{2})$')
DATE_SEPARATED = re.compile(
    r'^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$')
DATETIME_COMPACT = re.compile(r'^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$')
TIME_PART = re.compile(r'^(\d{1,2}):(\d{2})(?::(\d{2}))?$')
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')

TRUE = {'1', 'y', 'yes', 'true', 't', 'x', 'on', '是', '√', '✓', '真'}
FALSE = {'0', 'n', 'no', 'false', 'f', 'off', '否', '×', '假'}


class Failure(Exception):
    "A reason code and its parameters, which the job makes a message of."

    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason = reason
        self.params = params


class ConversionError(Failure):
    "A cell that cannot become a value of its field."


def fold(text):
    "The form in which headers, labels and codes are compared."
    return re.sub(r'[\s_:：*]+', '', str(text)).casefold()


def to_text(cell):
    "A cell as text (a date cell in ISO form)."
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if not cell.time() else str(cell)
    return cell


def to_char(cell, target):
    "The text, refused when longer than the target's limit."
    text = to_text(cell)
    if len(text) > target.max_length:
        raise ConversionError('too_long', size=target.max_length,
            length=len(text))
    return text


def to_date(cell, target):
    "20130407, 2013-04-07, 2013/4/7, 2013.4.7, 2013年4月7日 or a date cell."
    if isinstance(cell, dt.datetime):
        return cell.date()
    match = DATE_COMPACT.match(cell) or DATE_SEPARATED.match(cell)
    if not match:
        raise ConversionError('invalid_date', value=cell)
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ConversionError('invalid_date', value=cell)


def to_datetime(cell, target):
    "20130407120000, 2013-04-07 12:00[:00], a date alone, or a date cell."
    if isinstance(cell, dt.datetime):
        return cell
    match = DATETIME_COMPACT.match(cell)
    try:
        if match:
            return dt.datetime(*(int(g or 0) for g in match.groups()))
        date_part, _, time_part = cell.replace('T', ' ').partition(' ')
        day = to_date(date_part, target)
        clock = TIME_PART.match(time_part.strip() or '0:00')
        if not clock:
            raise ConversionError('invalid_datetime', value=cell)
        return dt.datetime.combine(
            day, dt.time(*(int(g or 0) for g in clock.groups())))
    except (ValueError, ConversionError):
        raise ConversionError('invalid_datetime', value=cell)


def to_boolean(cell, target):
    text = fold(to_text(cell))
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ConversionError('invalid_boolean', value=cell)


def to_number(cell, target):
    text = str(to_text(cell)).replace(',', '').replace(' ', '')
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ConversionError('invalid_number', value=cell)
    if not number.is_finite():
        raise ConversionError('invalid_number', value=cell)
    if target.kind == 'integer':
        if number != number.to_integral_value():
            raise ConversionError('invalid_integer', value=cell)
        return int(number)
    if target.kind == 'float':
        return float(number)
    return number


def to_choice(cell, target):
    "The choice whose value or one of whose labels (en, zh_CN) is the cell."
    key = fold(to_text(cell))
    for value, labels in target.choices:
        if key == fold(value) or any(key == fold(l) for l in labels):
            return value
    raise ConversionError('invalid_choice', value=cell,
        choices=', '.join(labels[0] for _, labels in target.choices
            if labels)[:300])


def to_phone(cell, target, region=None, display=None):
    """The number in E.164, read in the default country when it has no prefix.

    ``display`` (a dict), when given, gets the number's international
    format under its E.164 key: the form party stores as the value, kept
    here so that the writing does not parse the number again.
    """
    text = to_text(cell)
    if not phone.AVAILABLE:
        return text
    number = phone.valid(text, region)
    if number is None:
        raise ConversionError('invalid_phone', value=cell)
    e164 = phone.e164(number)
    if display is not None:
        display[e164] = phone.international(number)
    return e164


def to_email(cell, target):
    text = to_char(cell, target)
    if not EMAIL.match(text):
        raise ConversionError('invalid_email', value=cell)
    if validate_email is not None:
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            raise ConversionError('invalid_email', value=cell)
    return text


CONVERTERS = {
    'char': to_char,
    'date': to_date,
    'datetime': to_datetime,
    'boolean': to_boolean,
    'integer': to_number,
    'float': to_number,
    'numeric': to_number,
    'selection': to_choice,
    'email': to_email,
    }


CODE_LINE = re.compile(r'^\s*(.+?)\s*(?:=|:|：|->|→|\t)\s*(.*?)\s*$')


def parse_codes(text):
    "((code, value), ...) from lines such as ``1=male`` or ``300001: 男``."
    pairs = []
    for line in (text or '').splitlines():
        match = CODE_LINE.match(line)
        if match and match.group(1):
            pairs.append((match.group(1), match.group(2)))
    return tuple(pairs)
