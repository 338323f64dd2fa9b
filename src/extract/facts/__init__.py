"""Facts: each amount linked to its program, period, recipient and provider.

parties (countries and organizations, rules/parties.yml), linking (the rules
over sentences). The spaCy component is extract.components.facts.
"""
