"""The cells of an .xlsx sheet read with lxml, as openpyxl would give them.

openpyxl's read-only mode parses the whole sheet once just to look for
its dimension (files written in streaming mode have none at the top), then
builds a dict and casts every cell in Python over ElementTree: on 100,000
rows of 9 columns, most of an import's reading time. Here lxml parses the
sheet's XML once, in C, and each cell costs a few look-ups; the
workbook's shared strings and date styles still come from openpyxl's
reader (without its worksheets), and values are converted as openpyxl converts them (numbers,
dates by style, booleans, inline and shared strings), then by
``reader.cell_value``. Requires lxml (ImportError otherwise).
"""
import io

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
ROW, CELL, VALUE = NS + 'row', NS + 'c', NS + 'v'
INLINE_TEXT = NS + 't'


def read_rows(data):
    "Yield (row number, cells) of the first worksheet of the .xlsx data."
    from .reader import ReadError
    try:
        reader, path = _open(data)
    except Exception as exception:
        raise ReadError('unreadable_file', filename='xlsx') from exception
    try:
        book = reader.wb
        convert = _Converter(reader.shared_strings, book._date_formats,
            book._timedelta_formats, book.epoch)
        if path:
            with reader.archive.open(path) as source:
                yield from _rows(source, convert)
    finally:
        reader.archive.close()


def _open(data):
    "openpyxl's reader of the workbook and the path of its first sheet."
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    for _, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and 'chartsheet' not in rel.Type:
            return reader, rel.target
    return reader, None


def _rows(source, convert):
    from .reader import cell_value
    columns = {}
    number = 0
    for _, row in etree.iterparse(source, tag=ROW, huge_tree=True):
        index = row.get('r')
        number = int(index) if index else number + 1
        cells = []
        for cell in row.iterchildren(CELL):
            position = cell.get('r')
            if position:
                letters = position.rstrip('0123456789')
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_index_from_string(
                        letters)
                if column - 1 > len(cells):
                    cells.extend([''] * (column - 1 - len(cells)))
            cells.append(cell_value(convert(cell)))
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
        yield number, cells


class _Converter:
    "One cell element to its value, as openpyxl's WorkSheetParser."

    def __init__(self, shared, date_formats, timedelta_formats, epoch):
        self.shared = shared
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.epoch = epoch

    def __call__(self, cell):
        kind = cell.get('t', 'n')
        if kind == 'inlineStr':
            return ''.join(cell.itertext(INLINE_TEXT)) or None
        value = cell.findtext(VALUE)
        if not value:
            return None
        if kind == 's':
            return self.shared[int(value)]
        if kind == 'n':
            return self.number(value, int(cell.get('s', 0) or 0))
        if kind == 'b':
            return bool(int(value))
        if kind == 'd':
            return from_ISO8601(value)
        return value  # str (a formula's text), e (an error)

    def number(self, value, style):
        if '.' in value or 'E' in value or 'e' in value:
            number = float(value)
        else:
            number = int(value)
        if style in self.date_formats:
            try:
                return from_excel(number, self.epoch,
                    timedelta=style in self.timedelta_formats)
            except (OverflowError, ValueError):
                return '#VALUE!'
        return number
