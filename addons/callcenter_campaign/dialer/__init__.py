"""The outbound dialer: ``callcenter dialer``, its own supervised process.

``tracking`` and ``members`` are sans-IO (AMI events in, outcomes and
agent counts out); ``engine`` runs the decision loops over the CTI
bridge's AMI client; ``store`` is the campaign module's side in Tryton.
"""
