"""Linking evidence (or a part of it) to the projects, uncertainties and experiments it supports.

Machines suggest, people decide: :mod:`~evidence.linking.suggest` turns rule matches and
sentence-embedding similarity into ``suggested`` :class:`~evidence.models.EvidenceLink` rows,
never touching a link a person accepted or rejected; :mod:`~evidence.linking.decisions`
records each person's accept, reject or manual link. Nothing here needs Flask.
"""
