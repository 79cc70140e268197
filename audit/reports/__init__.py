"""PDF audit reports: builders that gather what a report shows, a service that renders and records it.

Each kind of report is one module in audit.reports.kinds, listed once in audit.reports.registry.
"""
