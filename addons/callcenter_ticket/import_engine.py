"""The customer import engine: headers to targets, rows to checked values.

Pure Python, so that it is unit-testable without a database. The models
describe the targets (labels in English and Chinese, choices, kinds) and
turn the collected :class:`RowError` into translated messages; the engine
reads every row and gathers *all* errors before anything is written.
"""
import dataclasses

from .import_convert import CONVERTERS, ConversionError, fold, to_phone
from .import_reader import ReadError, read_rows

HEADER_ROW = 1


@dataclasses.dataclass(frozen=True)
class Target:
    "A field the columns can fill: ``name``, ``phone``, ``attribute:x``…"
    name: str
    kind: str
    labels: tuple = ()
    choices: tuple = ()  # ((value, (label, ...)), ...) for selections
    required: bool = False

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
    ignored: list = dataclasses.field(default_factory=list)  # headers
    columns: list = dataclasses.field(default_factory=list)
    # E.164 -> international format of the numbers of valid rows
    phones: dict = dataclasses.field(default_factory=dict)


def error(row, column, reason, **params):
    return RowError(row, column, reason, tuple(sorted(params.items())))


def match_headers(headers, targets, mapping=None):
    """The columns of ``headers`` and the headers left unmatched.

    ``mapping`` maps folded headers to ``(target name, codes)`` and wins
    over the labels; a header mapped to no target is ignored.
    """
    by_name = {t.name: t for t in targets}
    mapping = mapping or {}
    columns, ignored, taken = [], [], set()
    for index, header in enumerate(headers):
        header = str(header or '').strip()
        target, codes = _target_of(header, targets, by_name, mapping)
        if not header or target is None or target.name in taken:
            if header:
                ignored.append(header)
            continue
        taken.add(target.name)
        columns.append(Column(index, header, target, tuple(codes)))
    return columns, ignored


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

    def __init__(self, columns, targets, region=None, unique=('phone',
                'mobile')):
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
        "A phone number may appear only once in the file."
        if column.target.kind != 'phone':
            return []
        first = self.seen.setdefault(value, number)
        if first != number:
            return [error(number, column.header, 'duplicate_in_file',
                    value=value, other=first)]
        return []


def validate(filename, data, targets, mapping=None, region=None,
        progress=None, every=1000):
    """Read and check the whole file; ``progress(rows_done)`` now and then.

    Rows that are entirely empty are skipped.
    """
    result = Result()
    try:
        rows = read_rows(filename, data)
        _, headers = next(rows, (HEADER_ROW, []))
        result.columns, result.ignored = match_headers(
            headers, targets, mapping)
        validator = Validator(result.columns, targets, region=region)
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
