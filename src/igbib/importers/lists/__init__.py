"""Reading lists in Markdown: the shapes researchers write them in, read into papers.

- :mod:`.inline`: Markdown inline content (via markdown-it-py) as text with spans;
- :mod:`.links`: what a link points at, by its label and its host;
- :mod:`.fields`: years, venues, dates and author lists from short texts;
- :mod:`.entry`: one item, read as papers or reported as something else;
- :mod:`.html`: HTML tables and ``<details>`` parts;
- :mod:`.document`: the whole file, its sections, entries, other items and prose.
"""
