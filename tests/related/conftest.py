"""Local E-utilities, OpenAlex and Semantic Scholar answering with recorded answers.

tests/fixtures/elink/, tests/fixtures/openalex/ and tests/fixtures/semanticscholar/
(their SOURCES.md say which request each answer was recorded for). Where igbib
sends a request that was never recorded, the nearest recording is served, as
said at each place below and in those SOURCES.md.
"""

from __future__ import annotations

import time

import pytest
from conftest import FIXTURES, Services, _file, serve

ELINK = FIXTURES / "elink"
OPENALEX = FIXTURES / "openalex"
S2 = FIXTURES / "semanticscholar"
#: recorded elink bodies by the PMIDs of their IdList (what each request was)
ANSWERS = {
    frozenset({"9298984"}): "biopython_elink1.xml",
    frozenset({"12242737"}): "biopython_elink4.xml",
    frozenset({"14873513"}): "metapub_elink_related_pmids.xml",
    frozenset({"1234567"}): "biocommons_test_elink.body.xml",
    # asked as one comma list, answered as one merged set
    frozenset({"11812492", "11774222"}): "biopython_elink3.xml",
}
#: the only recording with scores, for PMID 9298984
SCORED = "biopython_elink1_2008_scores.xml"
#: recorded OpenAlex works: (PMID, DOI, OpenAlex id) -> body
WORKS = {
    ("17183658", "10.1371/journal.pone.0000030", "W1982728624"): (
        "commonmeta_openalex_test_journal_article.body1.json"
    ),
    ("24520159", "10.7554/elife.01567", "W2121398592"): (
        "commonmeta_openalex_test_doi_with_data_citation.body1.json"
    ),
}
RECOMMENDED = "s2py_test_get_recommended_papers_from_lists.body1.json"
BATCH = "s2py_test_get_papers_not_found_warning.body1.json"
NOT_FOUND = "s2py_test_not_found.body1.json"


class LinkServices(Services):
    #: path prefix -> seconds to wait before answering (longer than IGBIB_TIMEOUT: a time-out)
    slow: dict[str, float]
    #: path prefix (or exact path, ending with ``$``) -> (folder, file, status) served instead
    instead: dict[str, tuple]

    def __init__(self, server):
        super().__init__(server)
        self.slow, self.instead = {}, {}

    def handle(self, request):
        from werkzeug import Response

        path = request.path
        for prefix, seconds in self.slow.items():
            if path.startswith(prefix):
                time.sleep(seconds)
        if any(path.startswith(p) and s for p, s in self.failures.items()):
            return super().handle(request)
        for prefix, (folder, name, status) in self.instead.items():
            if (
                path == prefix.removesuffix("$")
                if prefix.endswith("$")
                else path.startswith(prefix)
            ):
                return _file(folder / name, "application/json", status)
        if path == "/eutils/elink.fcgi":
            return self.elink(request)
        if path.startswith("/openalex/works"):
            return self.openalex(request)
        if path == "/s2/recommendations/v1/papers/" and request.method == "POST":
            return _file(S2 / RECOMMENDED, "application/json")
        if path == "/s2/graph/v1/paper/batch" and request.method == "POST":
            # The only recorded batch: four papers, the first not found. igbib asks
            # for their references too (documented, not recorded): none are in it.
            if len(request.get_json().get("ids", [])) == 4:
                return _file(S2 / BATCH, "application/json")
            return _file(S2 / NOT_FOUND, "application/json", 404)
        if path.startswith(("/openalex/", "/s2/")):
            return Response("no recording for this request", status=404)
        return super().handle(request)

    def elink(self, request):
        from werkzeug import Response

        ids = frozenset(request.args.getlist("id"))
        if request.args.get("cmd") == "neighbor_score" and ids == {"9298984"}:
            return _file(ELINK / SCORED, "text/xml")
        name = ANSWERS.get(ids)
        if name is None:
            # Several papers of which one was recorded alone: its answer (the others'
            # link sets are missing from it).
            name = next((n for k, n in ANSWERS.items() if len(k) == 1 and k <= ids), None)
        if name is None:
            return Response("no recording for these ids", status=404)
        return _file(ELINK / name, "text/xml")

    def openalex(self, request):
        """Single look-ups are served as recorded (the recordings are single look-ups).

        A list request (``filter=ids.pmid:a|b``, ``filter=openalex:W1|W2``) was never
        recorded: it is answered with the recorded work it names, else the first
        recorded work (documented, not recorded: OpenAlex answers a list,
        ``{"meta": ..., "results": [...]}``).
        """
        from werkzeug import Response

        asked = request.path.removeprefix("/openalex/works").strip("/")
        if asked:
            asked = asked.removeprefix("pmid:").removeprefix("doi:").lower()
            for names, body in WORKS.items():
                if asked in {n.lower() for n in names}:
                    return _file(OPENALEX / body, "application/json")
            return Response("", status=404)  # OpenAlex's 404 body was not recorded
        _, _, values = request.args.get("filter", "").partition(":")
        values = {v.lower() for v in values.split("|")}
        for names, body in WORKS.items():
            if values & {n.lower() for n in names}:
                return _file(OPENALEX / body, "application/json")
        return _file(OPENALEX / next(iter(WORKS.values())), "application/json")


@pytest.fixture
def links(httpserver, monkeypatch, tmp_path):
    fake = serve(LinkServices(httpserver), httpserver, monkeypatch, tmp_path)
    monkeypatch.setenv("IGBIB_OPENALEX_URL", fake.url("openalex"))
    monkeypatch.setenv("IGBIB_S2_URL", fake.url("s2"))
    for variable in ("OPENALEX_API_KEY", "S2_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    return fake


def library_of(db_path, text: str):
    """A library at ``db_path`` holding the papers of the Markdown list ``text``."""
    from igbib.importers.markdown import parse_markdown
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_markdown(text), "list.md")
    return db_path
