"""Asterisk-specific layer of ``callcenter_cti``: AMI in, module calls out.

Two halves. Without Tryton: ``protocol`` frames AMI bytes (sans-IO),
``actions`` correlates answers, ``link`` holds the configuration, link
states and errors, ``client`` runs one supervised AMI connection, and the
sans-IO ``mapping`` (the only place that parses Asterisk channel names),
``membership`` and ``callmoves`` turn AMI into PBX-neutral events and
moves. With Tryton: ``bridge`` runs the modules' entry points in Tryton
transactions (``Pool``/``Transaction`` in a worker thread) and ``commands``
reads the phone commands through Tryton's database backend (``LISTEN``).
The models see only the neutral events, so another PBX could be added next
to this package.
"""
