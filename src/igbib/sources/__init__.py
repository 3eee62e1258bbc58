"""Online sources: PubMed (E-utilities), the PMC ID converter, Crossref and doi.org.

Each module keeps parsing (pure, on real response bodies) apart from fetching
(through :class:`igbib.http.Http`).
"""
