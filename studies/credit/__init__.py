"""The credit engine: QREs, the Regular credit and the ASC, the payroll election and Form 6765.

Pure functions from plain, frozen inputs (:mod:`studies.credit.inputs`) to figures that each carry
the records they came from. :func:`studies.credit.compute.compute` runs the whole engine;
:mod:`studies.credit.from_study` builds its inputs from a study's records.
"""
