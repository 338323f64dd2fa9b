"""Programs: named programs, their acronyms and aliases, as pure functions.

rules (rules/programs.yml), names (how a name is written and varied),
catalog (matching names to catalog entries), acronyms (definitions in a
text), discover (forms that define a program the catalog lacks). The spaCy
component is extract.components.programs.
"""
