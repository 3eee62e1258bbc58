"""Library operations: what the commands do, without the command line.

Each operation takes an open :class:`~igbib.store.Library` (and, to go online,
an :class:`~igbib.http.Http` client), changes the library in one transaction
or not at all, and returns an :class:`~igbib.ops.reports.Report`. None prints,
and none imports typer or rich: the command line shows the report.

- :mod:`~igbib.ops.ingest`: store records (a file, or papers fetched online);
- :mod:`~igbib.ops.add`, :mod:`~igbib.ops.refresh`, :mod:`~igbib.ops.pubmed`:
  the online commands;
- :mod:`~igbib.ops.edit`, :mod:`~igbib.ops.tags`: edits by hand (fields, the editor view,
  notes, removal, tags), each one transaction;
- :mod:`~igbib.ops.match`, :mod:`~igbib.ops.rules`, :mod:`~igbib.ops.flags`:
  the rules they share (is it the same paper, what may change, what is wrong);
- :mod:`~igbib.ops.reports`: the report and its status vocabulary.
"""
