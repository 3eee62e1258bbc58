"""A local E-utilities answering elink with recorded answers (tests/fixtures/elink/)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, Services, _file, serve

ELINK = FIXTURES / "elink"
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


class LinkServices(Services):
    def handle(self, request):
        from werkzeug import Response

        if request.path != "/eutils/elink.fcgi" or any(
            request.path.startswith(p) and s for p, s in self.failures.items()
        ):
            return super().handle(request)
        ids = frozenset(request.args.getlist("id"))
        if request.args.get("cmd") == "neighbor_score" and ids == {"9298984"}:
            return _file(ELINK / SCORED, "text/xml")
        name = ANSWERS.get(ids)
        if name is None:
            return Response("no recording for these ids", status=404)
        return _file(ELINK / name, "text/xml")


@pytest.fixture
def links(httpserver, monkeypatch, tmp_path):
    return serve(LinkServices(httpserver), httpserver, monkeypatch, tmp_path)
