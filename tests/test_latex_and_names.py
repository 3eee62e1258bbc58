import pytest

from igbib.citekey import ascii_fold, base_key, unique_key
from igbib.latex import decode
from igbib.model import Paper
from igbib.names import parse_author_list, parse_bibtex_names


@pytest.mark.parametrize(
    "latex, text",
    [
        (r"N V{\'e}lez", "N Vélez"),
        (r"M M{\"a}chler", "M Mächler"),
        (r"P S\"{o}rqvist", "P Sörqvist"),
        (r"Jerzy Go{\l}osz", "Jerzy Gołosz"),
        (r"L Gro{\ss}berger", "L Großberger"),
        (r"St{\'{e}}fan", "Stéfan"),
        (r"{\L}ukasz", "Łukasz"),
        (r"{\I}lhan", "İlhan"),
        (r"M {\v C}adik", "M Čadik"),
        (r"K U{\u{g}}urbil", "K Uğurbil"),
        (r"Fran\c{c}ois D{\'\i}az", "François Díaz"),
        (r"Biomedical \& Health ({BHI})", "Biomedical & Health (BHI)"),
        (r"100\% of \$5 \#1 a\_b", "100% of $5 #1 a_b"),
        (r"\texttt{Davos}: a ``smuggler''", "Davos: a “smuggler”"),
        (r"$^{18}$F-FDG and $\alpha$-synuclein", "18F-FDG and α-synuclein"),
        (r"pages 1--10, a---b", "pages 1–10, a—b"),
        (r"\emph{In vivo}   imaging", "In vivo imaging"),
        ("plain text", "plain text"),
        # what igbib writes: a brace without its pair, T1 letters, TeX's ligatures kept apart
        (r"[0, 1\textbraceright{} and \textbraceleft{}x", "[0, 1} and {x"),
        (r"{{\UseTextSymbol{T1}{\NG}}}go {{\UseTextSymbol{T1}{\dh}}}", "Ŋgo ð"),
        (r"D{{\UseTextAccent{T1}{\k}{a}}}browski {\textcommabelow{S}}tefan", "Dąbrowski Ștefan"),
        (r"a -{}- b '{}' c `{}` d -{}-- e", "a -- b '' c `` d -– e"),
        (r"a -{}- b", "a -- b"),
        # symbols igbib's table lacks are pylatexenc's
        (r"{\textonehalf}-dose at 5 {\textperthousand} and 3{$\prime$}", "½-dose at 5 ‰ and 3′"),
    ],
)
def test_decode_latex(latex, text):
    assert decode(latex) == text


def test_decode_falls_back_for_unknown_commands():
    assert "world" in decode(r"hello \unknowncommand{x} world")
    assert "\\" not in decode(r"hello \unknowncommand{x} world")


def test_markdown_author_forms():
    assert parse_author_list("Gevaert et al.") == ([{"family": "Gevaert"}], True)
    assert parse_author_list("Smith and Jones") == (
        [{"family": "Smith"}, {"family": "Jones"}],
        False,
    )
    assert parse_author_list("De Ruysscher et al.")[0] == [{"family": "De Ruysscher"}]
    assert parse_author_list("Smith JA, Jones K")[0] == [
        {"family": "Smith", "given": "JA"},
        {"family": "Jones", "given": "K"},
    ]
    assert parse_author_list("TCGA Research Network")[0] == [{"literal": "TCGA Research Network"}]
    assert parse_author_list("Lee") == ([{"family": "Lee"}], False)


def test_bibtex_names_keep_braced_groups_and_decode_afterwards():
    authors, et_al = parse_bibtex_names(
        r"M{\"u}ller, Hans and {World Health Organization} and R {La Joie} and others"
    )
    assert authors == [
        {"family": "Müller", "given": "Hans"},
        {"literal": "World Health Organization"},
        {"family": "La Joie", "given": "R"},
    ]
    assert et_al


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Guido van Rossum", [{"family": "van Rossum", "given": "Guido"}]),
        ("van der Walt, Stefan", [{"family": "van der Walt", "given": "Stefan"}]),
        ("King, Jr, Martin Luther", [{"family": "King", "given": "Martin Luther", "suffix": "Jr"}]),
        (
            "C A Lindbergh AND N Walker",
            [
                {"family": "Lindbergh", "given": "C A"},
                {"family": "Walker", "given": "N"},
            ],
        ),
    ],
)
def test_plain_bibtex_names_follow_bibtex_rules(value, expected):
    assert parse_bibtex_names(value)[0] == expected


def test_citekeys_are_ascii_and_unique():
    paper = Paper(authors=[{"family": "Müller"}], year=2014, title="The Glioma of Things")
    assert base_key(paper) == "muller2014glioma"
    assert ascii_fold("Gołosz Ørsted") == "Golosz Orsted"
    taken = {"muller2014glioma", "muller2014gliomaa"}
    assert unique_key("muller2014glioma", taken) == "muller2014gliomab"
    many = {"k"} | {"k" + chr(c) for c in range(ord("a"), ord("z") + 1)}
    assert unique_key("k", many) == "kaa"


def test_every_character_igbib_writes_as_latex_reads_back_as_itself():
    """One table: what to_ascii writes for a character, decode reads as that character."""
    from igbib.latex import TABLE, to_ascii

    chars = {char for _, char, form, _ in TABLE if form and not char.isascii()}
    assert len(chars) > 60
    # written as what LaTeX prints the same: plain quotes, a tie, the hyphen
    same = {"‘": "`", "’": "'", "\u00a0": " ", "\u2010": "-", "\u2011": "-"}
    for char in sorted(chars):
        expected = same.get(char, char)
        assert decode(f"a{to_ascii(char)}b") == f"a{expected}b", char


@pytest.mark.parametrize(
    "text",
    [
        "p ≠ 0.05, ≈ 3 ∞ → ← § ¶ † ‡ £",
        "Ørsted, Łukasz, Großberger, Ærø, Œuvre, Jiří Čadík",
        "50% of {x} & #1 a_b $5 ~ ^ \\",
        "α-synuclein ± 2 × 10 ≤ 5 ≥ 1 – 2 — “quoted” … © ® ™ °",
    ],
)
def test_an_ascii_bibtex_value_decodes_to_the_text_it_was_written_from(text):
    from igbib.latex import encode

    written = encode(text, ascii=True)
    assert written.isascii()
    assert decode(written) == text


def test_symbols_never_turn_into_other_symbols_in_ascii():
    from igbib.latex import to_ascii

    assert to_ascii("p ≠ 0") == r"p {$\neq$} 0"  # not "p = 0"
    lost = []
    assert to_ascii("☃", lost) == "?" and lost == [("☃", "?")]
