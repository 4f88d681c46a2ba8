"""Asterisk-specific layer of ``callcenter_cti``, with no Tryton import.

``protocol`` frames AMI bytes (sans-IO), ``actions`` correlates answers,
``link`` holds the configuration, link states and errors, and ``client``
runs one supervised AMI connection. Tryton-side code uses only
:class:`~.client.AmiClient` and :class:`~.protocol.Message`, so another PBX
could be added next to this package.
"""
