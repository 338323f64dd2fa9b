"""Scoring a run against hand-labeled expectations (`extract eval`).

expectations (the label files), pairing (reading a run's tables and pairing
its rows with the labels), report (scores, accuracies and what went wrong).
"""
