"""What a link in a reading list points at: a paper, code, data, a course, a web page.

Two facts decide it, read in this order: the link's **label** (``[pdf]``,
``[[code]]``, a badge's text) says what the list's author meant; failing a
generic label, the link's **host** (github.com is software, arxiv.org a paper).
A link whose label is free text (a title or a name) is ``"named"``, and the
entry reader decides what the name is.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from igbib import ids

PAPER, CODE, DATA, WEB, COURSE, ANCHOR, LOCAL, NAMED = (
    "paper",
    "code",
    "data",
    "web",
    "course",
    "anchor",
    "local",  # a file of the list's own repository (``data/genes.xlsx``, ``CONTRIBUTING.md``)
    "named",
)

_PAPER_LABELS = {
    "paper", "papers", "pdf", "arxiv", "preprint", "doi", "pubmed", "pmc", "article",
    "html", "abs", "abstract", "link", "journal", "publication", "full text", "fulltext",
    "openreview", "proceedings", "biorxiv", "medrxiv", "application", "review", "ieee",
    "springer", "sciencedirect", "nature", "acm", "aaai", "paper link", "paperlink",
    "pre-print", "manuscript", "supplementary", "supp", "ssrn", "researchgate", "europe pmc",
    "semantic scholar", "cvf", "acl", "neurips", "publisher", "read", "online", "main paper",
    "conference paper", "journal paper", "arxiv paper", "official paper", "thesis",
}  # fmt: skip
_CODE_LABELS = {
    "code", "github", "gitlab", "pytorch", "tensorflow", "keras", "caffe", "jax", "mxnet",
    "matlab", "implementation", "repo", "repository", "software", "package", "tool", "tools",
    "source code", "official code", "unofficial code", "code & data", "code and data",
    "model", "models", "weights", "checkpoint", "checkpoints", "huggingface", "hugging face",
    "colab", "notebook", "docker", "pypi", "cran", "bioconductor", "r package", "python",
    "library", "api", "api access", "stars", "github stars",
}  # fmt: skip
_DATA_LABELS = {
    "data", "dataset", "datasets", "download", "downloads", "benchmark", "data download",
    "database", "corpus", "leaderboard", "challenge",
}  # fmt: skip
_WEB_LABELS = {
    "project", "project page", "page", "website", "web", "webpage", "homepage", "home",
    "demo", "video", "videos", "slides", "blog", "poster", "talk", "source", "news",
    "bibtex", "bib", "cite", "citation", "presentation", "youtube", "twitter", "media",
    "supplement", "appendix", "tutorial", "docs", "documentation", "press", "zhihu",
}  # fmt: skip
_COURSE_LABELS = {"course", "lecture", "lectures", "book", "class"}

_SOFTWARE_HOSTS = (
    "github.com", "gitlab.com", "bitbucket.org", "bioconductor.org", "cran.r-project.org",
    "r-project.org", "pypi.org", "pypi.python.org", "readthedocs.io", "readthedocs.org",
    "huggingface.co", "hub.docker.com", "anaconda.org", "sourceforge.net", "npmjs.com",
    "colab.research.google.com", "codeocean.com", "rdrr.io", "bioconda.github.io",
    "github.io", "shinyapps.io", "gitee.com", "code.google.com", "kaggle.com/code",
    "paperswithcode.com/github",
)  # fmt: skip
_DATA_HOSTS = (
    "kaggle.com", "physionet.org", "cancerimagingarchive.net", "synapse.org",
    "grand-challenge.org", "figshare.com", "ega-archive.org", "dbgap.ncbi.nlm.nih.gov",
    "portal.gdc.cancer.gov", "gdc.cancer.gov", "cbioportal.org", "ukbiobank.ac.uk",
    "data.mendeley.com", "datadryad.org", "openneuro.org", "humancellatlas.org",
    "cellxgene.cziscience.com", "imaging.datacommons.cancer.gov",
)  # fmt: skip
_COURSE_HOSTS = (
    "coursera.org", "edx.org", "udemy.com", "udacity.com", "classcentral.com",
    "youtube.com", "youtu.be", "ocw.mit.edu", "stellar.mit.edu", "khanacademy.org",
)  # fmt: skip
_PAPER_HOSTS = (
    "arxiv.org", "biorxiv.org", "medrxiv.org", "openreview.net", "aclanthology.org",
    "aclweb.org", "proceedings.mlr.press", "papers.nips.cc", "proceedings.neurips.cc",
    "neurips.cc", "openaccess.thecvf.com", "ieeexplore.ieee.org", "dl.acm.org",
    "link.springer.com", "springer.com", "sciencedirect.com", "nature.com",
    "academic.oup.com", "onlinelibrary.wiley.com", "wiley.com", "plos.org",
    "biomedcentral.com", "frontiersin.org", "mdpi.com", "cell.com", "science.org",
    "sciencemag.org", "pnas.org", "jmlr.org", "ojs.aaai.org", "aaai.org", "ijcai.org",
    "ecva.net", "semanticscholar.org", "researchgate.net", "europepmc.org",
    "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov/pmc", "ncbi.nlm.nih.gov/pubmed",
    "thelancet.com", "jamanetwork.com",
    "nejm.org", "bmj.com", "rsna.org", "ajronline.org", "tandfonline.com", "sagepub.com",
    "karger.com", "thieme-connect.com", "spiedigitallibrary.org", "iopscience.iop.org",
    "aapm.onlinelibrary.wiley.com", "snmjournals.org", "aacrjournals.org", "ascopubs.org",
    "elifesciences.org", "peerj.com", "f1000research.com", "papers.miccai.org",
    "conferences.miccai.org", "isca-speech.org", "ssrn.com", "papers.ssrn.com",
    "chemrxiv.org", "researchsquare.com", "osf.io", "hal.science", "hal.archives-ouvertes.fr",
    "doi.org", "dx.doi.org", "scholar.archive.org", "jstor.org", "ahajournals.org",
    "annualreviews.org", "embopress.org", "genome.cshlp.org", "cshlp.org", "liebertpub.com",
    "worldscientific.com", "ams.org", "projecteuclid.org", "degruyter.com", "jneurosci.org",
    "physiology.org", "asm.org", "rupress.org", "journals.lww.com", "lww.com",
    "openreview.org", "mlr.press", "bmvc2020-conference.com", "bmva.org", "computer.org",
    "jbc.org", "nar.oxfordjournals.org", "oxfordjournals.org", "pubs.acs.org", "rsc.org",
    "hindawi.com", "dovepress.com", "spandidos-publications.com", "oncotarget.com",
    "impactjournals.com", "jci.org", "jnm.snmjournals.org", "pfmjournal.org",
    "medicalimaging.spiedigitallibrary.org", "proceedings.spiedigitallibrary.org",
    "papers.neurips.cc", "dl.begellhouse.com", "iclr.cc", "icml.cc", "thecvf.com",
    "eccv2020.eu", "kdd.org", "sigir.org", "ieee.org", "acm.org", "arxiv-vanity.com",
    "alphaxiv.org", "paperswithcode.com/paper", "scholar.google.com",
)  # fmt: skip
_BRACKETS = " \t[](){}<>*_`'\".:;,"
_VENUE_YEAR = re.compile(r"^[A-Za-z][A-Za-z&\-. ]{1,30}?\s*'?(?:19|20)?\d{2}$")
_SHIELDS = re.compile(r"img\.shields\.io/badge/([^?#]+)", re.I)


def normal_label(text: str) -> str:
    """A link's label as compared with the known ones: ``[[Paper 2]]`` -> ``paper``."""
    label = " ".join(text.split()).strip(_BRACKETS).lower()
    stem = label.rstrip("0123456789")  # ``paper 2``, ``paper2``
    if stem != label and stem.strip():
        label = stem.rstrip()
    return label.replace(":", "").strip(_BRACKETS)


def unwrapped(href: str) -> str:
    """The address a redirect link leads to (``google.com/url?…&url=REAL``), else ``href``."""
    if "google." not in href or "/url?" not in href:
        return href
    from urllib.parse import parse_qs, urlsplit

    try:
        query = parse_qs(urlsplit(href).query)
    except ValueError:
        return href
    for key in ("url", "q"):
        target = (query.get(key) or [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    return href


def host_of(href: str) -> str:
    try:
        host = (urlsplit(href if "//" in href else "https://" + href).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _on(host: str, href: str, hosts: tuple[str, ...]) -> bool:
    for h in hosts:
        if "/" in h:
            if h in href.lower():
                return True
        elif host == h or host.endswith("." + h):
            return True
    return False


_FILE = re.compile(
    r"^[^/?#]+\.(?:md|markdown|txt|xlsx?|tsv|csv|pdf|png|jpe?g|gif|svg|json|ya?ml|html?|ipynb"
    r"|py|r|rmd|bib|zip|gz)(?:[?#].*)?$",
    re.I,
)


def _is_local(href: str) -> bool:
    """True for a file of the list's own repository: ``CONTRIBUTING.md``, ``data/genes.xlsx``."""
    if "://" in href or href.startswith(("//", "www.")) or href.lower().startswith("doi:"):
        return False
    first = href.split("/", 1)[0]
    if "/" not in href:
        return bool(_FILE.match(href))
    return "." not in first or first in (".", "..")


def host_kind(href: str) -> str | None:
    """What a link's address alone says it points at (None: it does not say)."""
    href = href.strip()
    if not href:
        return None
    if href.startswith("#"):
        return ANCHOR
    if _is_local(href):
        return LOCAL
    if ids.ids_from_url(href):
        return PAPER
    host = host_of(href)
    if not host:
        return None
    if _on(host, href, _PAPER_HOSTS):
        return PAPER
    if _on(host, href, _SOFTWARE_HOSTS):
        return CODE
    if _on(host, href, _DATA_HOSTS):
        return DATA
    if _on(host, href, _COURSE_HOSTS):
        return COURSE
    if urlsplit(href).path.lower().endswith(".pdf"):
        return PAPER
    return None


#: DOI prefixes of data and software archives (Zenodo, figshare): a DOI, not a paper
_ARCHIVE_DOIS = ("10.5281/", "10.6084/")


def paper_identified(href: str) -> bool:
    """True when an address names a paper by its identifier (not an archive's DOI)."""
    found = ids.ids_from_url(href)
    return bool(found) and not found.get("doi", "").startswith(_ARCHIVE_DOIS)


def label_kind(label: str) -> str | None:
    """What a link's label says it points at (None: the label is a name or a title)."""
    raw = label.strip(_BRACKETS)
    if any(ids.normalize(kind, raw) for kind in ("doi", "arxiv")) or ids.ids_from_url(raw):
        return PAPER  # ``[[10.1101/2022.08.31.505981](…)]``: the label is the paper's id
    if is_venue_label(raw):
        # ``MedIA2020``, ``MICCAI 2019``: where the paper appeared, never a page's name
        # (``media`` is a web label only without its year)
        return PAPER if normal_label(label) in _PAPER_LABELS else None
    label = normal_label(label)
    if not label:
        return None
    short = len(label.split()) <= 2  # ``review paper``, ``paper 1``, never a title
    if label in _PAPER_LABELS or (
        short and (label.endswith(" paper") or label.startswith("paper "))
    ):
        return PAPER
    if label in _CODE_LABELS or label.endswith((" code", "code)")) or label.startswith("code "):
        return CODE
    if label in _DATA_LABELS:
        return DATA
    if label in _WEB_LABELS:
        return WEB
    if label in _COURSE_LABELS:
        return COURSE
    return None


def badge_text(image: str, alt: str) -> tuple[str, str]:
    """``(label, message)`` of a shields.io badge (``Paper``, ``JPI 2013``), else the alt text."""
    m = _SHIELDS.search(image or "")
    if m:
        spec = unquote(m.group(1)).replace("--", "\x00").replace("__", "\x01")
        spec = spec.replace("_", " ").replace("\x01", "_")
        parts = spec.split("-")
        parts = [p.replace("\x00", "-") for p in parts]
        if len(parts) >= 3:
            return parts[0].strip(), "-".join(parts[1:-1]).strip()
        if len(parts) == 2:
            return "", parts[0].strip()
    return alt.strip(), ""


def is_venue_label(label: str) -> bool:
    """``JBHI2025``, ``MICCAI 2019``, ``ICLR'21``: a label naming where a paper appeared."""
    return bool(_VENUE_YEAR.match(" ".join(label.split()).strip(_BRACKETS)))
