"""The import engine: headers to fields, rows to checked values.

Pure Python, so that it is unit-testable without a database. A target
(``target.ImportTarget``) describes its fields (labels in English and
Chinese, choices, kinds, length limits) and the models turn the collected
:class:`RowError` into translated messages; the engine reads every row
and gathers *all* errors before anything is written.
"""
import dataclasses

from .convert import CONVERTERS, ConversionError, fold, to_phone
from .reader import ReadError, detect_encoding, read_rows

HEADER_ROW = 1
MAX_LENGTH = 1000  # characters of a text field without a limit of its own


@dataclasses.dataclass(frozen=True)
class Target:
    "A field the columns can fill: ``name``, ``phone``, ``attribute:x``…"
    name: str
    kind: str
    labels: tuple = ()
    choices: tuple = ()  # ((value, (label, ...)), ...) for selections
    required: bool = False
    max_length: int = MAX_LENGTH  # of text, in characters

    def matches(self, header):
        key = fold(header)
        return key == fold(self.name) or any(
            key == fold(label) for label in self.labels)


@dataclasses.dataclass(frozen=True)
class Column:
    "A column of the file and the target it fills."
    index: int
    header: str
    target: Target
    codes: tuple = ()  # ((code, value), ...) applied before conversion

    def code_table(self):
        return {fold(code): value for code, value in self.codes}


@dataclasses.dataclass(frozen=True)
class RowError:
    "Why a row cannot be imported; ``row`` is the spreadsheet row number."
    row: int
    column: str
    reason: str
    params: tuple = ()

    @property
    def values(self):
        return dict(self.params)


@dataclasses.dataclass
class Result:
    rows: list = dataclasses.field(default_factory=list)  # [(row, values)]
    errors: list = dataclasses.field(default_factory=list)
    # headers that match no field, and those the mapping skips
    unmatched: list = dataclasses.field(default_factory=list)
    ignored: list = dataclasses.field(default_factory=list)
    columns: list = dataclasses.field(default_factory=list)
    encoding: str = None  # of a CSV file, as given or detected
    # E.164 -> international format of the numbers of valid rows
    phones: dict = dataclasses.field(default_factory=dict)


def error(row, column, reason, **params):
    return RowError(row, column, reason, tuple(sorted(params.items())))


def match_headers(headers, targets, mapping=None):
    """The columns of ``headers``, the headers unmatched and those skipped.

    ``mapping`` maps folded headers to ``(target name, codes)`` and wins
    over the labels; a header it maps to no target is skipped on purpose.
    A header that matches no field, or a field another column fills, is
    unmatched.
    """
    by_name = {t.name: t for t in targets}
    mapping = mapping or {}
    columns, unmatched, skipped, taken = [], [], [], set()
    for index, header in enumerate(headers):
        header = str(header or '').strip()
        if not header:
            continue
        if fold(header) in mapping and not mapping[fold(header)][0]:
            skipped.append(header)
            continue
        target, codes = _target_of(header, targets, by_name, mapping)
        if target is None or target.name in taken:
            unmatched.append(header)
            continue
        taken.add(target.name)
        columns.append(Column(index, header, target, tuple(codes)))
    return columns, unmatched, skipped


def _target_of(header, targets, by_name, mapping):
    key = fold(header)
    if key in mapping:
        name, codes = mapping[key]
        return by_name.get(name), codes or ()
    for target in targets:
        if target.matches(header):
            return target, ()
    return None, ()


class Validator:
    "Checks every row against the columns, collecting all errors."

    def __init__(self, columns, targets, region=None, unique=('phone',)):
        self.columns = columns
        self.targets = targets
        self.region = region
        self.unique = set(unique)
        self.codes = {c.index: c.code_table() for c in columns}
        self.seen = {}  # normalised phone -> first row
        self.display = {}  # E.164 -> international format

    def missing_columns(self):
        present = {c.target.name for c in self.columns}
        return [error(HEADER_ROW, t.labels[0] if t.labels else t.name,
                'missing_column')
            for t in self.targets if t.required and t.name not in present]

    def check(self, number, cells):
        "The row's values and its errors."
        values, errors = {}, []
        for column in self.columns:
            cell = cells[column.index] if column.index < len(cells) else ''
            try:
                value = self.convert(column, cell)
            except ConversionError as exception:
                errors.append(error(number, column.header, exception.reason,
                        **exception.params))
                continue
            if value is None or value == '':
                if column.target.required:
                    errors.append(error(number, column.header, 'required'))
                continue
            errors.extend(self.check_unique(number, column, value))
            values[column.target.name] = value
        return values, errors

    def convert(self, column, cell):
        if cell == '' or cell is None:
            return None
        codes = self.codes[column.index]
        if codes and isinstance(cell, str):
            # a cell that is no code is still read as a value or label
            cell = codes.get(fold(cell), cell)
        if column.target.kind == 'phone':
            return to_phone(cell, column.target, self.region, self.display)
        return CONVERTERS[column.target.kind](cell, column.target)

    def check_unique(self, number, column, value):
        "A value of a unique kind (phone numbers) may appear only once."
        if column.target.kind not in self.unique:
            return []
        first = self.seen.setdefault(value, number)
        if first != number:
            return [error(number, column.header, 'duplicate_in_file',
                    value=value, other=first)]
        return []


def validate(filename, data, targets, mapping=None, region=None,
        progress=None, every=1000, skip_unmatched=False, encoding=None,
        unique=('phone',), headers=None):
    """Read and check the whole file; ``progress(rows_done)`` now and then.

    Rows that are entirely empty are skipped. Headers that match no field
    stop the check with one error each, unless ``skip_unmatched``.
    ``unique``: the kinds of field whose values may appear once;
    ``headers``: those of a file without a header row.
    """
    result = Result()
    try:
        result.encoding = encoding or detect_encoding(filename, data)
        rows = read_rows(filename, data, result.encoding)
        if headers is None:
            _, headers = next(rows, (HEADER_ROW, []))
        result.columns, result.unmatched, result.ignored = match_headers(
            headers, targets, mapping)
        if result.unmatched and not skip_unmatched:
            result.errors.extend(error(HEADER_ROW, header, 'unmatched_column')
                for header in result.unmatched)
            return result
        validator = Validator(
            result.columns, targets, region=region, unique=unique)
        result.phones = validator.display
        result.errors.extend(validator.missing_columns())
        for count, (number, cells) in enumerate(rows, 1):
            if not any(c not in ('', None) for c in cells):
                continue
            values, errors = validator.check(number, cells)
            result.errors.extend(errors)
            if not errors:
                result.rows.append((number, values))
            if progress and count % every == 0:
                progress(count)
    except ReadError as exception:
        result.errors.append(error(
                0, '', exception.reason, **exception.params))
    return result
