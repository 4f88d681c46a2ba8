"""The file import engine, pure Python, for every import target.

``reader`` (and ``xlsx``) read .xlsx, .xls, .csv and .txt files, ``convert``
turns cells into values, ``engine`` matches headers and checks rows,
``target`` declares what an import writes and runs a file, ``bulk`` writes
many new records with ``COPY``.
"""
