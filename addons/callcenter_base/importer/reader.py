"""Rows of a file: .xlsx (openpyxl), .xls (xlrd), .csv or .txt.

A .txt file is read as a CSV file (one value a line is a one-column
file). Each reader yields ``(row_number, cells)`` with the spreadsheet's own row
numbers (the header is row 1), so that errors point at the row a person
sees. Cells are text, or ``datetime`` for cells an Excel file stores as
dates; whole numbers come out without ``.0`` (a phone number or
``20130407`` typed into Excel is stored as a float).
"""
import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile

XLSX_MAGIC = b'PK\x03\x04'
XLS_MAGIC = b'\xd0\xcf\x11\xe0'
ROW_TAG = re.compile(rb'<row[ >]')

from .convert import Failure

try:
    from . import xlsx as xlsx_fast
except ImportError:  # no lxml
    xlsx_fast = None

ENCODINGS = ('utf-8-sig', 'gb18030')
BOMS = ((b'\xef\xbb\xbf', 'utf-8-sig'), (b'\xff\xfe', 'utf-16'),
    (b'\xfe\xff', 'utf-16'))


class ReadError(Failure):
    "The file cannot be read as a spreadsheet or CSV file."


def file_format(filename, data):
    "'xlsx', 'xls' or 'csv', from the content first, then the name."
    if data.startswith(XLSX_MAGIC):
        return 'xlsx'
    if data.startswith(XLS_MAGIC):
        return 'xls'
    extension = os.path.splitext(filename or '')[1].lower().lstrip('.')
    if extension in {'xlsx', 'xls'}:
        raise ReadError('unreadable_file', filename=filename or '')
    return 'csv'


def read_rows(filename, data, encoding=None):
    """Yield (row number, cells) of the first sheet, header row included.

    ``encoding`` is that of a CSV file, detected when not given.
    """
    kind = file_format(filename, data)
    if kind == 'csv':
        return _csv_rows(data, encoding)
    return {'xlsx': _xlsx_rows, 'xls': _xls_rows}[kind](data)


def cell_value(value):
    "A cell as text, or a datetime for date cells."
    if value is None:
        return ''
    if isinstance(value, bool):
        return '1' if value else '0'
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return str(value).strip()


def _xlsx_rows(data):
    """Stream the rows: read_only mode keeps memory flat on large files.

    With lxml installed, ``import_xlsx`` reads the sheet several times
    faster than openpyxl's cells (same values).
    """
    if xlsx_fast is not None:
        yield from xlsx_fast.read_rows(data)
        return
    import openpyxl
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exception:
        raise ReadError('unreadable_file', filename='xlsx') from exception
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, [cell_value(v) for v in row]
    finally:
        book.close()


def _xls_rows(data):
    import xlrd
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exception:
        raise ReadError('unreadable_file', filename='xls') from exception
    sheet = book.sheet_by_index(0)
    for index in range(sheet.nrows):
        cells = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(xlrd.xldate.xldate_as_datetime(
                        cell.value, book.datemode))
            else:
                cells.append(cell_value(cell.value))
        yield index + 1, cells


def detect_encoding(filename, data):
    """The encoding of a CSV file, None for a spreadsheet.

    A byte order mark says it; else UTF-8 if the bytes are valid UTF-8,
    else GB18030 (what Chinese Excel and WPS save as "CSV").
    """
    if file_format(filename, data) != 'csv':
        return None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding.replace('-sig', '')
    raise ReadError('unreadable_file', filename=filename or 'csv')


def decode(data, encoding=None):
    "The text of a CSV file in ``encoding``, else the one detected."
    encoding = encoding or detect_encoding('', data)
    try:
        codec = codecs.lookup(encoding).name
        if codec == 'utf-8':
            codec = 'utf-8-sig'  # a BOM is not part of the first header
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise ReadError('unreadable_encoding', encoding=encoding)


def _csv_rows(data, encoding=None):
    text = decode(data, encoding)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=',;\t|')
    except csv.Error:
        dialect = csv.excel
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        yield number, [cell_value(v) for v in row]


def count_rows(filename, data):
    "About how many data rows the file has, for progress; 0 if unknown."
    try:
        return _count_rows(file_format(filename, data), data)
    except Exception:
        return 0  # the reading proper reports the error


def _count_rows(kind, data):
    if kind == 'xlsx':
        return _count_xlsx_rows(data)
    if kind == 'xls':
        import xlrd
        return max(xlrd.open_workbook(
                file_contents=data, on_demand=True).sheet_by_index(0)
            .nrows - 1, 0)
    return max(data.count(b'\n') - 1, 0)


def _count_xlsx_rows(data):
    """The row elements of the first sheet's XML, counted as it unzips.

    The sheet's dimension cannot be trusted: streaming writers (openpyxl's
    write-only mode among them) leave it at A1.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = sorted(n for n in archive.namelist()
            if n.startswith('xl/worksheets/') and n.endswith('.xml'))
        if not sheets:
            return 0
        count, tail = 0, b''
        with archive.open(sheets[0]) as sheet:
            while chunk := sheet.read(1 << 20):
                # a tag cut between two chunks is found in tail + chunk;
                # tags wholly inside tail were counted with the last chunk
                text = tail + chunk
                count += (len(ROW_TAG.findall(text))
                    - len(ROW_TAG.findall(tail)))
                tail = text[-5:]
        return max(count - 1, 0)


def headers(filename, data, encoding=None):
    "The cells of the first row."
    for _, cells in read_rows(filename, data, encoding):
        return [str(c) for c in cells]
    return []
