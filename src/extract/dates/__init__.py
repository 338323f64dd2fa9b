"""Dates: calendar references in text and the days they cover, as pure functions.

rules (rules/dates.yml), patterns (the expressions and their anchor words),
calendars (day arithmetic and fiscal calendars), context (what resolving
needs), resolve (absolute expressions), relative (expressions relative to
the publication date), find (the passes over a text: find_dates). The spaCy
component is extract.components.dates.
"""
