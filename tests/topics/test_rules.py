"""The topic rules on real PubMed records and on the seed list's titles; rule files."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SEED

from igbib.errors import UsageError
from igbib.importers import parse_file
from igbib.model import Paper
from igbib.sources.pubmed import parse_efetch
from igbib.topics import AXES, TopicRulesError, load_rules, match, split_tag

TOPICS = FIXTURES / "topics"
NCBI = FIXTURES / "ncbi"


@pytest.fixture(autouse=True)
def no_user_rules(monkeypatch, tmp_path):
    """No curator's rule file: an empty config directory, no $IGBIB_TOPICS."""
    monkeypatch.delenv("IGBIB_TOPICS", raising=False)
    monkeypatch.setenv("IGBIB_CONFIG", str(tmp_path / "no-config" / "config.ini"))


@pytest.fixture(scope="module")
def rules():
    return load_rules(user="")


def records(path) -> dict[str, Paper]:
    return {p.pmid: p for p in parse_efetch(path.read_bytes())}


# -- the parser keeps the concepts -------------------------------------------------------


def test_the_parser_keeps_descriptors_with_ui_and_major_and_the_chemicals():
    (paper,) = records(TOPICS / "biopython_pubmed4.xml").values()
    assert {"ui": "C509186", "name": "TERT protein, human", "kind": "chemical"} in paper.concepts
    descriptors = [c for c in paper.concepts if c["kind"] == "descriptor"]
    assert [c["name"] for c in descriptors] == paper.mesh  # mesh: the names, as before
    pancreas = next(c for c in descriptors if c["ui"] == "D010190")
    assert pancreas["name"] == "Pancreatic Neoplasms" and pancreas["major"] is False
    shortening = next(c for c in descriptors if c["name"] == "Telomere Shortening")
    assert shortening == {"ui": "D059506", "name": "Telomere Shortening", "kind": "descriptor"} | {
        "major": True
    }


def test_a_record_without_mesh_has_no_concepts():
    papers = records(TOPICS / "biopython_pubmed7.xml")
    assert papers["29963580"].concepts == [] and papers["29963580"].keywords


# -- real records, tagged ------------------------------------------------------------------


def test_nsclc_by_descriptor_ui_and_by_title(rules):
    (paper,) = records(TOPICS / "metapub_sample_article_23435529_dtd2019.xml").values()
    found = match(paper, rules)
    assert set(found) == {"site/lung"}
    assert "MeSH D002289 Carcinoma, Non-Small-Cell Lung" in found["site/lung"]
    assert "MeSH D008175 Lung Neoplasms" in found["site/lung"]
    assert "title: non-small-cell" in found["site/lung"]


def test_gene_concepts_give_targets(rules):
    papers = records(NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml")
    pten = match(papers["18787170"], rules)
    assert pten["target/pten"][:2] == [
        "MeSH D051059 PTEN Phosphohydrolase",
        "supplementary concept C494929 PTEN protein, human",
    ]
    assert "site/breast" in pten
    mirna = match(papers["19008416"], rules)
    assert {"site/breast", "site/prostate", "site/stomach", "method/methylation"} <= set(mirna)
    assert "target/pten" not in mirna  # EZH2 is no rule's


def test_pancreas_by_mesh_and_an_upper_case_keyword_tert_by_concept_and_title(rules):
    (paper,) = records(TOPICS / "biopython_pubmed4.xml").values()
    found = match(paper, rules)
    assert found["site/pancreas"] == [
        "MeSH D010190 Pancreatic Neoplasms",
        "keyword: PANCREATIC CANCER",
        "title: pancreatic cancer",
    ]
    assert found["target/tert"] == [
        "supplementary concept C509186 TERT protein, human",
        "title: TERT",
    ]


def test_genomics_and_expression_profiling_descriptors(rules):
    papers = records(NCBI / "hawc_TestPubMedFetch.test_multiquery.i1.body.xml")
    profiling = match(papers["18239125"], rules)
    assert profiling["method/gene-expression"][0] == "MeSH D020869 Gene Expression Profiling"
    assert profiling["method/genomics"] == ["MeSH D023281 Genomics"]
    assert "site/colorectal" in match(papers["18239126"], rules)  # D003110 Colonic Neoplasms
    assert match(papers["18487186"], rules)["target/brca"] == ["MeSH D019313 BRCA1 Protein"]


def test_keywords_give_modalities_and_lung_disease_is_no_cancer_site(rules):
    paper = records(TOPICS / "biopython_pubmed7.xml")["29963580"]
    found = match(paper, rules)
    assert found["modality/mri"] == ["keyword: magnetic resonance imaging"]
    assert found["modality/ct"] == ["keyword: thoracic computed tomography"]
    assert not any(tag.startswith("site/") for tag in found)  # "chronic lung disease"


def test_a_paper_on_no_topic_gets_no_tag_and_mri_in_a_title_does(rules):
    papers = records(TOPICS / "biopython_pubmed2.xml")
    assert match(papers["11748933"], rules) == {}  # sperm cryopreservation
    assert match(papers["11700088"], rules) == {"modality/mri": ["title: MRI"]}


def test_triple_negative_breast_cancer(rules):
    paper = records(TOPICS / "metapub_pmid_35649368.xml")["35649368"]
    assert match(paper, rules)["site/breast"] == ["MeSH D064726 Triple Negative Breast Neoplasms"]


# -- the seed list: titles only --------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_tags(rules):
    entries = parse_file(SEED).entries
    return {e.paper.title: set(match(e.paper, rules)) for e in entries}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("lung adenocarcinomas harboring ALK", {"site/lung", "target/alk"}),
        ("harboring BRAF mutations", {"site/lung", "target/braf", "method/radiogenomics"}),
        ("MYC-overexpressing", {"site/breast", "modality/pet", "target/myc"}),
        ("PTEN expression of peripheral zone", {"site/prostate", "modality/mri", "target/pten"}),
        ("isocitrate dehydrogenase 1 mutation", {"site/glioma", "target/idh"}),
        (
            "clear cell renal cell carcinoma: associations between CT",
            {"site/kidney", "modality/ct"},
        ),
        ("ethoxybenzylmagnetic resonance", {"site/liver", "modality/mri"}),
        ("chemoradioresistant cervical cancer", {"site/cervix", "modality/mri"}),
        ("(18)F-FDG PET tumor uptake in non-small cell", {"site/lung", "modality/pet"}),
        ("brain tumor gene-expression modules", {"site/brain", "method/gene-expression"}),
        ("Radiomics and imaging genomics", {"method/radiomics", "method/radiogenomics"}),
    ],
)
def test_seed_titles_give_their_topics(seed_tags, words, expected):
    (title,) = [t for t in seed_tags if words in t]
    assert expected <= seed_tags[title]


def test_seed_titles_give_no_false_topics(seed_tags):
    def tagged(words):
        (title,) = [t for t in seed_tags if words in t]
        return seed_tags[title]

    # "radiation-induced lung damage" is no lung cancer; a neuroblastoma's brain metastasis no glioma
    assert not any(t.startswith("site/") for t in tagged("radiation-induced lung damage"))
    assert not any(t.startswith("site/") for t in tagged("stage 4 neuroblastoma"))
    # glioma papers are not also "brain, unspecified"; imaging genomics is not genomics
    assert all("site/brain" not in tags for tags in seed_tags.values() if "site/glioma" in tags)
    assert "method/genomics" not in tagged("Imaging genomics in cancer research")
    # "MR" alone is no MRI; a MR imaging title is
    assert "modality/mri" in tagged("multiregional MR imaging features")
    # perfusion parameters alone may be CT's (this study's were): no modality from the title
    assert "modality/mri" not in tagged("Correlation of perfusion parameters")
    # diffusion and perfusion measures together are MR's
    assert "modality/mri" in tagged("Are diffusion, perfusion and spectroscopic")
    # radiation-induced damage and "radiogenomics": the radiotherapy sense of the word
    radiation = tagged("radiation-induced lung damage")
    assert "method/radiation-genomics" in radiation and "method/radiogenomics" not in radiation
    # a title naming mutations is genomics, whichever gene
    for words in ("BRAF mutations", "IDH1 mutant", "isocitrate dehydrogenase 1 mutation"):
        assert "method/genomics" in tagged(words), words
    assert "method/genomics" in tagged("CT imaging features and mutations")


def test_most_seed_papers_get_a_site_and_every_axis_is_used(seed_tags):
    with_site = [t for t, tags in seed_tags.items() if any(x.startswith("site/") for x in tags)]
    assert len(seed_tags) == 52 and len(with_site) >= 44
    used = {split_tag(tag)[0] for tags in seed_tags.values() for tag in tags}
    assert used == set(AXES)


# -- word boundaries and case (titles as a user would store them) ------------------------------


@pytest.mark.parametrize(
    ("title", "absent"),
    [
        ("Competitive binding of ligands to receptors", "modality/pet"),
        ("Pet ownership and asthma in children", "modality/pet"),
        ("MR relaxometry of the liver", "modality/mri"),
        ("The patients met the criteria of the talk", "target/met"),
        ("Alkaline phosphatase levels", "target/alk"),
        ("Stalk and talk: doctors met the MYCology board", "target/myc"),
        ("Diffusion of innovations in hospitals", "modality/mri"),
        ("Cervical spine injuries", "site/cervix"),
    ],
)
def test_short_words_match_only_as_whole_words_in_their_case(rules, title, absent):
    assert absent not in match(Paper(title=title), rules)


@pytest.mark.parametrize(
    ("title", "present"),
    [
        ("MET amplification in lung adenocarcinoma", "target/met"),
        ("Deep learning predicts MGMT status", "target/mgmt"),
        ("1p/19q codeletion from MRI", "target/1p19q"),
        ("EGFR mutations in NSCLC", "target/egfr"),
        ("HER2-positive breast cancer on mammograms", "target/her2"),
        ("PET/CT of the liver", "modality/pet"),
    ],
)
def test_gene_symbols_and_modalities_in_titles(rules, title, present):
    assert present in match(Paper(title=title), rules)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Perfusion CT in glioblastoma", {"site/glioma", "modality/ct"}),
        ("DCE-CT perfusion of lung cancer", {"site/lung", "modality/ct"}),
        ("DSC perfusion MRI of gliomas", {"site/glioma", "modality/mri"}),
        ("Dynamic susceptibility contrast perfusion in glioma", {"site/glioma", "modality/mri"}),
        ("Arterial spin labeling perfusion of brain tumors", {"site/brain", "modality/mri"}),
        # a PET/CT is both scans, by decision (topics.toml says so)
        ("FDG PET/CT of lung cancer", {"site/lung", "modality/pet", "modality/ct"}),
    ],
)
def test_perfusion_is_mri_only_with_mr_context(rules, title, expected):
    assert set(match(Paper(title=title), rules)) == expected


def test_a_mutation_of_any_gene_is_genomics(rules):
    for title in (
        "IDH1 mutation in glioma",
        "BRAF mutations in lung adenocarcinoma",
        "CT features and mutations in renal cell carcinoma",
        "Somatic mutations associated with MRI features",
        "IDH1 mutant glioma",
    ):
        assert "method/genomics" in match(Paper(title=title), rules), title


def test_her2_is_not_egfr(rules):
    found = match(Paper(title="epidermal growth factor receptor 2 in breast cancer"), rules)
    assert "target/her2" in found and "target/egfr" not in found


# -- a curator's rule file ------------------------------------------------------------------


def write(tmp_path, text: str):
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_user_rule_replaces_extends_disables_and_adds(tmp_path):
    path = write(
        tmp_path,
        """
disable = ["site/stomach"]

[[rule]]
tag = "site/glioma"
title = ['diffuse midline']

[[rule]]
tag = "method/radiomics"
extend = true
keywords = ["texture analysis"]

[[rule]]
tag = "site/ovary"
label = "Ovary"
mesh = ["Ovarian Neoplasms"]
""",
    )
    rules = load_rules(user=path)
    shipped = load_rules(user="")
    assert rules.sources[-1] == path and "site/stomach" not in rules.by_tag
    assert rules.by_tag["site/glioma"].title == ["diffuse midline"]  # replaced
    assert "site/glioma" not in match(Paper(title="Glioblastoma imaging"), rules)
    assert "site/glioma" in match(Paper(title="A diffuse midline tumour"), rules)
    radiomics = rules.by_tag["method/radiomics"]
    assert radiomics.keywords[-1] == "texture analysis"  # extended ...
    assert radiomics.title == shipped.by_tag["method/radiomics"].title  # ... not replaced
    assert [r.tag for r in rules.rules][-1] == "site/ovary"
    assert rules.heading("site/ovary") == "Ovary"
    assert match(Paper(title="x", mesh=["ovarian neoplasms"]), rules) == {
        "site/ovary": ["MeSH ovarian neoplasms"]
    }
    assert rules.digest() != shipped.digest()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[[rule]]\ntag = 'site/x'\ntitle = ['(unclosed']", "is not a regular expression"),
        ("[[rule]]\ntag = 'color/red'\ntitle = ['red']", "is not AXIS/VALUE"),
        ("[[rule]]\ntag = 'site/x'\ntitles = ['x']", "unknown key 'titles'"),
        ("[[rule]]\ntag = 'site/x'", "no mesh, supplementary, keywords, title or abstract"),
        ("[[rule]]\ntag = 'site/x'\ntitle = 'x'\nmesh = [1]", "mesh must be a list"),
        ("[[rule]]\ntag = 'site/x'\ntitle = ['x?']", "matches the empty string (every title)"),
        (
            "[[rule]]\ntag = 'site/x'\nabstract = ['a*']",
            "matches the empty string (every abstract)",
        ),
        ("[[rule]]\ntag = 'site/x'\ntitle = ['foo)|(bar']", "is not a regular expression"),
        ("[[rule]]\ntag = 'site/x'\ntitle = ['x']\nunless = ['site/nowhere']", "no rule gives"),
        ("[[rule]]\ntag = 'site/x'\ntitle = ['x']\nunless = ['site/x']", "the rule's own tag"),
        ("[[rule]\ntag = 'site/x'", "not TOML"),
        ("disable = ['site/nowhere']", "no shipped rule's tag"),
        ("[[rule]]\ntag = 'site/x'\nextend = true\ntitle = ['x']", "no shipped rule"),
        ("[[rule]]\ntag='site/x'\ntitle=['x']\n[[rule]]\ntag='site/x'\ntitle=['y']", "already"),
    ],
)
def test_a_bad_rule_file_is_one_error_naming_it(tmp_path, text, why):
    path = write(tmp_path, text)
    with pytest.raises(TopicRulesError) as caught:
        load_rules(user=path)
    message = str(caught.value)
    assert message.startswith(f"bad topic rules in {path}: ") and why in message
    assert "\n" not in message and isinstance(caught.value, UsageError)


def test_split_tag():
    assert split_tag("site/glioma") == ("site", "glioma")
    assert split_tag("Site/Glioma") == ("site", "Glioma")
    assert split_tag("review") is None and split_tag("colour/red") is None
    assert split_tag("site/") is None and split_tag("/glioma") is None
    assert split_tag("site//x") == ("site", "/x")
    assert split_tag("\u017fite/x") is None  # casefolds to "site", but is no ASCII axis


def test_a_missing_rule_file_named_by_igbib_topics_is_an_error(monkeypatch, tmp_path):
    missing = tmp_path / "gone" / "topics.toml"
    monkeypatch.setenv("IGBIB_TOPICS", str(missing))
    with pytest.raises(TopicRulesError) as caught:
        load_rules()
    assert str(caught.value) == f"bad topic rules in {missing}: no such file"
    monkeypatch.delenv("IGBIB_TOPICS")
    assert len(load_rules().sources) == 1  # none beside config.ini: the shipped rules only


def test_patterns_with_the_same_group_name_each_work(tmp_path):
    rules = load_rules(
        user=write(
            tmp_path,
            "[[rule]]\ntag = 'site/x'\ntitle = ['(?P<g>foo)', '(?P<g>bar)', '(a)\\1', '(b)\\1']\n",
        )
    )
    for title, word in [("foo", "foo"), ("a bar b", "bar"), ("aa", "aa"), ("the bb", "bb")]:
        assert match(Paper(title=title), rules).get("site/x") == [f"title: {word}"], title
    assert "site/x" not in match(Paper(title="ab ba"), rules)


def test_a_pattern_cannot_escape_the_whole_word_wrapper(tmp_path):
    path = write(tmp_path, "[[rule]]\ntag = 'site/x'\ntitle = ['foo)|(bar']\n")
    with pytest.raises(TopicRulesError, match="not a regular expression"):
        load_rules(user=path)


def test_title_evidence_is_in_the_order_of_the_title(tmp_path):
    rules = load_rules(user=write(tmp_path, "[[rule]]\ntag = 'site/x'\ntitle = ['(b)', 'a']\n"))
    assert match(Paper(title="b a b"), rules)["site/x"] == ["title: b", "title: a"]


@pytest.mark.parametrize("order", [("a", "b", "c"), ("c", "b", "a"), ("b", "a", "c")])
def test_unless_does_not_depend_on_the_rules_order(tmp_path, order):
    bodies = {
        "a": "tag = 'site/a'\ntitle = ['alpha']\nunless = ['site/b']",
        "b": "tag = 'site/b'\ntitle = ['beta']\nunless = ['site/c']",
        "c": "tag = 'site/c'\ntitle = ['gamma']",
    }
    text = "\n".join(f"[[rule]]\n{bodies[name]}\n" for name in order)
    rules = load_rules(user=write(tmp_path, text))
    assert set(match(Paper(title="alpha beta gamma"), rules)) == {"site/c"}
    assert set(match(Paper(title="alpha beta"), rules)) == {"site/b"}
    assert set(match(Paper(title="alpha gamma"), rules)) == {"site/a", "site/c"}


def test_unless_may_name_a_shipped_tag_the_curator_disabled(tmp_path):
    path = write(tmp_path, 'disable = ["site/glioma"]\n')
    rules = load_rules(user=path)  # site/brain's unless = ["site/glioma"] stays valid
    assert "site/brain" in match(Paper(title="Glioma and brain tumor imaging"), rules)
