"""Money: amounts of money in text, as pure functions (no spaCy).

rules (rules/money.yml), numbers (digits and number words), currencies
(signs and codes), grammar (the amount patterns and how a match becomes an
Amount). The spaCy component is extract.components.money.
"""
