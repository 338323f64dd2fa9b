"""Sentences: the rules that decide where one ends (rules/sentences.yml)."""
