"""Cleaning: from a file's bytes to the article's text, its lines and its page metadata.

read (find and decode files), lines (repair, rejoin, rules and heuristics
over lines), boilerplate (what a site repeats), stamps (the page's own date:
the one owner of it), page (headline, source, site names), html (web pages
through trafilatura), rules (rules/cleaning.yml), document (the steps in
order: clean_document, clean_text).
"""
