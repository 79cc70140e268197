"""Counterparty review (issue 5): sanctions list imports, counterparties, screening and risk ratings.

The matching itself is the engine in worker/sanctions; this package stores lists and results around it.
"""
