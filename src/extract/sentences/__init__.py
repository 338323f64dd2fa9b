"""Sentences: what one is for every stage (bounds.py), and the rules that decide where one ends (rules.py)."""
