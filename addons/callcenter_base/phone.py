"""Phone numbers for every call-center module, without Tryton.

The one place that parses numbers (``phonenumbers``, optional: without it
a number is its digits). A number gets two keys:

* the *key*: E.164 (``+8613800138000``) when ``phonenumbers`` can parse it
  with the default region, else its bare digits; extension digits are
  always dropped;
* the *tail*: the last N digits of the key, used when a number arrives
  without country code or trunk prefix (a local landline number).

``valid``, ``e164`` and ``international`` serve writers that store a
number as party does (its value in the international format, its compact
value in E.164). The company's default region and the indexed key columns
are in ``configuration.py`` (``Configuration.phone_region``) and
``phone_key.py`` (``PhoneKeyMixin``).
"""
import re

try:
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat
except ImportError:
    phonenumbers = None

#: Whether numbers are parsed (else a number is kept as typed).
AVAILABLE = phonenumbers is not None
PHONE_TYPES = {'phone', 'mobile', 'fax'}
DEFAULT_TAIL_DIGITS = 8
_EXTENSION = re.compile(
    r'\s*(?:;ext=|ext\.?|extension|x|#|,|;|分机|转).*$', re.IGNORECASE)
_NON_DIGITS = re.compile(r'\D')


def strip_extension(number):
    "``number`` without what follows an extension marker."
    return _EXTENSION.sub('', number or '')


def digits(number):
    "The digits of ``number`` without its extension."
    return _NON_DIGITS.sub('', strip_extension(number))


def _parse(number, region):
    if not phonenumbers:
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return parsed


def normalize(number, region=None):
    "The matching key of ``number``: E.164 when possible, else its digits."
    number = (number or '').strip()
    if not number:
        return None
    parsed = _parse(number, region)
    if parsed is not None:
        return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    bare = digits(number)
    if not bare:
        return None
    return ('+' + bare) if number.startswith('+') else bare


def tail(key, count=DEFAULT_TAIL_DIGITS):
    "The last ``count`` digits of a key, or None when it has fewer."
    bare = digits(key)
    if len(bare) < count:
        return None
    return bare[-count:]


def is_international(number, region=None):
    """Whether ``number`` carries its country code.

    With ``+`` or the international call prefix of ``region`` (``00``),
    the number is fully qualified and a tail match would only add noise.
    """
    number = (number or '').strip()
    if number.startswith('+'):
        return True
    if phonenumbers and region:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        prefix = metadata and metadata.international_prefix
        if prefix and re.match(prefix, digits(number)):
            return True
    return digits(number).startswith('00')


def has_trunk_prefix(number, region=None):
    "Whether ``number`` starts with the national trunk prefix (``0``)."
    bare = digits(number)
    if phonenumbers and region:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        prefix = metadata and metadata.national_prefix
        if prefix:
            return bare.startswith(prefix)
    return bare.startswith('0')


def phone_type(key):
    "``mobile`` when the number is a mobile number, else ``phone``."
    if phonenumbers and key and key.startswith('+'):
        try:
            parsed = phonenumbers.parse(key)
        except NumberParseException:
            return 'phone'
        kind = phonenumbers.number_type(parsed)
        if kind in {phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}:
            return 'mobile'
    return 'phone'


def is_valid(key):
    "Whether the key is a valid E.164 number (one a party may store)."
    return bool(key and key.startswith('+')) and valid(key) is not None


def valid(number, region=None):
    "``number`` parsed when it is a valid number (in ``region``), else None."
    if not phonenumbers or not number:
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def e164(parsed):
    "The E.164 form of a number ``valid`` returned."
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def international(parsed):
    "The international form of a number ``valid`` returned (party's value)."
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
