"""LaTeX in BibTeX fields to plain Unicode text, and back.

BibTeX files write ``M{\\"a}chler``, ``Go{\\l}osz``, ``\\&`` and ``$\\alpha$``; the
library stores ``Mächler``, ``Gołosz``, ``&`` and ``α``. The common cases (accents,
special letters, escapes, dashes, quotes, text-style commands, Greek letters) are
decoded here by a small table-driven scanner, which is some twenty times faster
than a general LaTeX parser. A symbol command the scanner does not know is looked
up in pylatexenc's table (installed with bibtexparser); a field with any other
unknown command falls back to pylatexenc's LaTeX parser, so nothing is lost.

Writing goes through the same tables (:data:`TABLE`, the accents and escapes):
:func:`encode` for the BibTeX exporter, :func:`to_ascii` for classic BibTeX, and
:func:`ascii_fold` for citation keys, so a character igbib reads is written back
as the command it was read from. :func:`to_ascii` completes the table with
pylatexenc's (imported only when the table lacks a character), keeping a form
only when it compiles in a plain LaTeX document, with or without T1 fonts, and
reads back as the same character; a character with no such form is written as
``?`` and reported, never changed in silence.

What BibTeX itself would misread is written so it cannot be: a brace without its
pair (BibTeX counts escaped braces too, so one ``\\}`` ends the field early) as
``\\textbraceleft{}`` or ``\\textbraceright{}``, and characters that TeX joins into
another (``--`` into a dash, ``''`` into a quote) with ``{}`` between them.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
    "t": "\u0361",
    "textcommabelow": "\u0326",  # Romanian ș, ț
}
#: Accents only T1 fonts have: written through \\UseTextAccent{T1}, which works in any
#: document (LaTeX takes the one glyph from the T1 font, installed with every TeX).
_T1_ACCENTS = {"k"}
# How encode() writes a character back (``%s`` is the command's name); None: it does
# not (an alias). Mathematics is braced so a style that lower-cases a title leaves
# $\\Gamma$ alone; a letter only T1 fonts have goes through \\UseTextSymbol{T1} (so it
# compiles without T1 too), braced twice so BibTeX does not lower-case the "T1".
_LETTER, _TEXT, _MATH = "{\\%s}", "\\%s{}", "{$\\%s$}"
_T1 = "{{\\UseTextSymbol{T1}{\\%s}}}"

#: The one LaTeX table: ``(command, character, written back as, ASCII spelling)``.
#: decode() reads every command; encode() and to_ascii() write a character with
#: the first row that gives it a form; ascii_fold() spells the letters Unicode does
#: not decompose (``ß`` is ``ss``). A row with no command is for writing only.
TABLE = (
    # letters
    ("ss", "ß", _LETTER, "ss"),
    ("o", "ø", _LETTER, "o"),
    ("O", "Ø", _LETTER, "O"),
    ("aa", "å", _LETTER, "a"),
    ("AA", "Å", _LETTER, "A"),
    ("ae", "æ", _LETTER, "ae"),
    ("AE", "Æ", _LETTER, "AE"),
    ("oe", "œ", _LETTER, "oe"),
    ("OE", "Œ", _LETTER, "OE"),
    ("l", "ł", _LETTER, "l"),
    ("L", "Ł", _LETTER, "L"),
    ("i", "ı", _LETTER, "i"),
    ("I", "İ", None, "I"),
    ("j", "ȷ", _LETTER, "j"),
    ("dh", "ð", _T1, "d"),
    ("DH", "Ð", _T1, "D"),
    ("th", "þ", _T1, "th"),
    ("TH", "Þ", _T1, "TH"),
    ("ng", "ŋ", _T1, "ng"),
    ("NG", "Ŋ", _T1, "NG"),
    ("dj", "đ", _T1, "d"),
    ("DJ", "Đ", _T1, "D"),
    # text symbols
    ("textendash", "–", "--", None),
    ("textemdash", "—", "---", None),
    ("textasciitilde", "~", _TEXT, None),
    ("textasciicircum", "^", _TEXT, None),
    ("textbackslash", "\\", _TEXT, None),
    ("textbraceleft", "{", None, None),  # encode() writes a brace without its pair so
    ("textbraceright", "}", None, None),
    ("textbar", "|", None, None),
    ("textless", "<", None, None),
    ("textgreater", ">", None, None),
    ("textquoteleft", "‘", "`", None),
    ("textquoteright", "’", "'", None),
    ("textquotedblleft", "“", "``", None),
    ("textquotedblright", "”", "''", None),
    ("textregistered", "®", _TEXT, None),
    ("texttrademark", "™", _TEXT, None),
    ("textcopyright", "©", _TEXT, None),
    ("copyright", "©", None, None),
    ("textdegree", "°", _TEXT, None),
    ("textmu", "µ", _TEXT, None),
    ("pm", "±", _MATH, None),
    ("textpm", "±", None, None),
    ("times", "×", _MATH, None),
    ("ldots", "…", _TEXT, None),
    ("dots", "…", None, None),
    ("textellipsis", "…", None, None),
    ("S", "§", _LETTER, None),  # braced: BibTeX styles must not lower-case it
    ("P", "¶", _LETTER, None),
    ("dag", "†", _TEXT, None),
    ("ddag", "‡", _TEXT, None),
    ("pounds", "£", _TEXT, None),
    ("euro", "€", None, None),
    ("texteuro", "€", _TEXT, None),
    ("guillemotleft", "«", _T1, None),
    ("guillemotright", "»", _T1, None),
    ("guilsinglleft", "‹", _T1, None),
    ("guilsinglright", "›", _T1, None),
    ("quotedblbase", "„", _T1, None),
    ("quotesinglbase", "‚", _T1, None),
    (None, "\u00a0", "~", None),
    (None, "\u2010", "-", None),  # hyphens: LaTeX prints the hyphen the same
    (None, "\u2011", "-", None),
    # mathematics
    ("leq", "≤", _MATH, None),
    ("prime", "′", _MATH, None),
    ("geq", "≥", _MATH, None),
    ("le", "≤", None, None),
    ("ge", "≥", None, None),
    ("neq", "≠", _MATH, None),
    ("approx", "≈", _MATH, None),
    ("sim", "∼", _MATH, None),
    ("infty", "∞", _MATH, None),
    ("rightarrow", "→", _MATH, None),
    ("to", "→", None, None),
    ("leftarrow", "←", _MATH, None),
    # Greek
    ("alpha", "α", _MATH, None),
    ("beta", "β", _MATH, None),
    ("gamma", "γ", _MATH, None),
    ("delta", "δ", _MATH, None),
    ("epsilon", "ε", _MATH, None),
    ("varepsilon", "ε", None, None),
    ("zeta", "ζ", _MATH, None),
    ("eta", "η", _MATH, None),
    ("theta", "θ", _MATH, None),
    ("iota", "ι", _MATH, None),
    ("kappa", "κ", _MATH, None),
    ("lambda", "λ", _MATH, None),
    ("mu", "μ", _MATH, None),
    ("nu", "ν", _MATH, None),
    ("xi", "ξ", _MATH, None),
    ("pi", "π", _MATH, None),
    ("rho", "ρ", _MATH, None),
    ("sigma", "σ", _MATH, None),
    ("tau", "τ", _MATH, None),
    ("upsilon", "υ", _MATH, None),
    ("phi", "φ", _MATH, None),
    ("varphi", "φ", None, None),
    ("chi", "χ", _MATH, None),
    ("psi", "ψ", _MATH, None),
    ("omega", "ω", _MATH, None),
    ("Gamma", "Γ", _MATH, None),
    ("Delta", "Δ", _MATH, None),
    ("Theta", "Θ", _MATH, None),
    ("Lambda", "Λ", _MATH, None),
    ("Xi", "Ξ", _MATH, None),
    ("Pi", "Π", _MATH, None),
    ("Sigma", "Σ", _MATH, None),
    ("Phi", "Φ", _MATH, None),
    ("Psi", "Ψ", _MATH, None),
    ("Omega", "Ω", _MATH, None),
    # spacing and commands that print nothing
    ("textsuperscript", "", None, None),
    ("quad", " ", None, None),
    ("qquad", " ", None, None),
    ("relax", "", None, None),
    ("protect", "", None, None),
    ("noopsort", "", None, None),
)
_SYMBOLS = {command: char for command, char, _, _ in TABLE if command}
#: Commands whose argument is kept as text and whose own meaning is dropped.
_WRAPPERS = {
    "emph",
    "textit",
    "textbf",
    "textsc",
    "texttt",
    "textrm",
    "textsf",
    "textup",
    "textnormal",
    "textsuperscript",
    "textsubscript",
    "mathrm",
    "mathit",
    "mathbf",
    "mathsf",
    "mathtt",
    "mathcal",
    "mbox",
    "hbox",
    "text",
    "url",
    "href",
    "uppercase",
    "MakeUppercase",
    "enquote",
    "ensuremath",
    "bm",
    "boldsymbol",
    "it",
    "bf",
    "em",
    "sc",
    "rm",
    "tt",
    "sf",
    "small",
    "textmd",
}
_ESCAPES = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": "\u2009",
    ";": " ",
    "!": "",
    "/": "",
    "-": "",  # discretionary hyphen
    "\\": " ",  # a line break
}
_SPECIAL = re.compile(r"[\\{}$~]|--|``|''|(?<!\w)`")
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?|\\(.)", re.S)
_STOP = re.compile(r"[\\{}$~^_]")
_BRACE = re.compile(r"(?<!\\)[{}]")
_SPACE = re.compile(r"\s+")
_SPECIAL_OR_SPACING = re.compile(r"[\\{}$~\t\n\r\f\v]|--|``|''|(?<!\w)`|\s\s")


# -- writing: derived from the same tables ----------------------------------------

_ACCENT_COMMANDS = {mark: command for command, mark in _ACCENTS.items()}
_ENCODE: dict[str, str] = {}
for _command, _char, _form, _ in TABLE:
    if _form and _char not in _ENCODE:
        _ENCODE[_char] = _form.replace("%s", _command or "")
#: Characters LaTeX reserves, escaped with a backslash (decode() reads them via _ESCAPES).
_RESERVED = "{}%&#_$"
_RESERVED_ESCAPES = {c: "\\" + c for c in _RESERVED}
_RESERVED_ESCAPES.update({c: text for c, text in _ENCODE.items() if c.isascii()})
_RESERVED_RE = re.compile("[" + re.escape("".join(_RESERVED_ESCAPES)) + "]")
_UNPAIRED = {"{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
#: Pairs of characters TeX joins into another (``--`` a dash, ``''`` a quote, ``?``` an
#: inverted question mark, ``<<`` a guillemet in T1): written with ``{}`` between them.
_LIGATURES = {("-", "-"), ("'", "'"), ("`", "`"), ("?", "`"), ("!", "`"), ("<", "<")}
_LIGATURES |= {(">", ">"), (",", ",")}
_LIGATURE_RE = re.compile("|".join(f"(?<={re.escape(a)})(?={re.escape(b)})" for a, b in _LIGATURES))
_LIGATURE_PAIR = re.compile("|".join(re.escape(a + b) for a, b in _LIGATURES))
_ASCII_SPELLINGS = str.maketrans({char: ascii for _, char, _, ascii in TABLE if ascii})


def encode(text: str, ascii: bool = False, lost: list[tuple[str, str]] | None = None) -> str:
    """``text`` safe inside a braced BibTeX value: decode() gives ``text`` back.

    The characters LaTeX reserves (``{ } % & # _ $ ~ ^ \\``) are escaped, a brace
    without its pair as a command (BibTeX would count it), and characters TeX would
    join are kept apart. With ``ascii``, every other non-ASCII character is written
    as LaTeX (:func:`to_ascii`); those that cannot be are appended to ``lost``
    with what was written instead.
    """
    if "{" in text or "}" in text:
        unpaired = _unpaired_braces(text)

        def escape(m: re.Match) -> str:
            c = m.group()
            return _UNPAIRED[c] if m.start() in unpaired else _RESERVED_ESCAPES[c]

        text = _RESERVED_RE.sub(escape, text)
    else:
        text = _RESERVED_RE.sub(lambda m: _RESERVED_ESCAPES[m.group()], text)
    if _LIGATURE_PAIR.search(text):
        text = _LIGATURE_RE.sub("{}", text)
    return to_ascii(text, lost) if ascii else text


def _unpaired_braces(text: str) -> set[int]:
    """Where ``text`` has a brace without its pair."""
    opened: list[int] = []
    unpaired = set()
    for i, char in enumerate(text):
        if char == "{":
            opened.append(i)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                unpaired.add(i)
    return unpaired.union(opened)


def to_ascii(text: str, lost: list[tuple[str, str]] | None = None) -> str:
    """Non-ASCII characters as LaTeX (``é`` -> ``{\\'{e}}``, ``½`` -> ``{\\textonehalf}``).

    A character with no LaTeX form that compiles everywhere and reads back as
    itself is written as its compatibility form where that has one (``ﬁ`` as
    ``fi``, ``ℝ`` as ``R``), else as ``?`` (CJK, Cyrillic), and ``(character, what
    was written instead)`` is appended to ``lost``.
    """
    if text.isascii():
        return text
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            piece = char
        else:
            piece = _ENCODE.get(char) or _accented(char) or _complete(char)
            if piece is None:
                piece, instead = _instead(char)
                if lost is not None:
                    lost.append((char, instead))
        if out and (out[-1][-1], piece[0]) in _LIGATURES:
            out.append("{}")  # "-" then "–" (--) is not "---"
        out.append(piece)
    return "".join(out)


def _instead(char: str) -> tuple[str, str]:
    """``(LaTeX, text)`` written for a character LaTeX cannot take: its compatibility form, or ?."""
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.strip():
        inner: list[tuple[str, str]] = []
        written = to_ascii(folded, inner)
        if not inner:
            return written, folded
    return "?", "?"


def _accented(char: str) -> str | None:
    """An ASCII letter with accents igbib knows: ``{\\'{e}}``, ``{\\v{\\'{e}}}``-like."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha() and marks):
        return None
    if not all(m in _ACCENT_COMMANDS for m in marks):
        return None
    t1 = False
    for mark in marks:
        command = _ACCENT_COMMANDS[mark]
        if command in _T1_ACCENTS:
            base = f"\\UseTextAccent{{T1}}{{\\{command}}}{{{base}}}"
            t1 = True
        else:
            base = f"\\{command}{{{base}}}"
    return "{{" + base + "}}" if t1 else "{" + base + "}"


def ascii_fold(text: str) -> str:
    """``Müller`` -> ``Muller``, ``Gołosz`` -> ``Golosz``; other scripts are dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_SPELLINGS))
    return text.encode("ascii", "ignore").decode("ascii")


# What pylatexenc writes, kept only where a plain LaTeX document takes it: these
# commands compile in an article with no package, OT1 or T1 fonts (LaTeX's kernel
# has had textcomp's symbols since 2020); the T1-only ones go through \UseTextSymbol.
# Everything else it writes (\mathbb, \cyrchar, amssymb's relations) needs a package.
_TEXT_COMMANDS = set(
    """AE H IJ L O OE ae c i ij l o oe r ss textsc textsuperscript u v textacutedbl
    textasciiacute textasciibreve textasciicaron textasciicircum textasciidieresis
    textasciimacron textasciitilde textasteriskcentered textbaht textbigcircle
    textbrokenbar textbullet textcelsius textcent textcircledP textcolonmonetary
    textcopyright textcurrency textdagger textdaggerdbl textdegree textdiscount textdiv
    textdong textdownarrow textellipsis textemdash textendash textestimated texteuro
    textexclamdown textflorin textfractionsolidus textinterrobang textlangle textleftarrow
    textlira textlnot textmho textmu textmusicalnote textnaira textnumero textohm
    textonehalf textonequarter textonesuperior textopenbullet textordfeminine
    textordmasculine textparagraph textperiodcentered textpertenthousand textperthousand
    textpeso textquestiondown textquotedblleft textquotedblright textquoteleft
    textquoteright textrangle textrecipe textreferencemark textregistered textrightarrow
    textsection textservicemark textsterling textthreequarters textthreesuperior texttimes
    texttrademark texttwosuperior textuparrow textwon textyen""".split()
) | set("\"'.=^`~-")
_MATH_COMMANDS = set(
    """Delta Downarrow Gamma Lambda Leftarrow Leftrightarrow Longleftarrow Longleftrightarrow
    Longrightarrow Omega Phi Pi Psi Rightarrow Sigma Theta Uparrow Updownarrow Upsilon Vert
    Xi acute aleph alpha amalg angle approx asymp beta bigcap bigcirc bigcup bigtriangledown
    bigtriangleup bigvee bigwedge bowtie bullet cap cdot cdots chi circ cong coprod cup
    dashv ddot ddots delta diamond dot doteq ell epsilon equiv eta exists forall frown
    gamma geq gg hbar hookleftarrow hookrightarrow in infty int iota kappa lambda langle
    lceil leftharpoondown leftharpoonup leftrightarrow leq lfloor ll lmoustache
    longleftarrow longleftrightarrow longmapsto longrightarrow mapsto mid mp mu nabla
    nearrow neq ni notin nu nwarrow odot oint omega ominus oplus oslash otimes parallel
    partial perp phi pi pm prec preceq prod propto psi rangle rceil rfloor rho
    rightharpoondown rightharpoonup rightleftharpoons rmoustache searrow sigma sim simeq
    smile sqcap sqcup sqrt sqsubseteq sqsupseteq star subset subseteq succ succeq sum
    supset supseteq swarrow tau theta times top triangleleft triangleright updownarrow
    uplus upsilon varepsilon varphi varpi varrho varsigma vartheta vdash vdots vee wedge
    wp wr xi zeta""".split()
)
_T1_SYMBOLS = {"DH", "DJ", "NG", "TH", "dh", "dj", "ng", "th", "guillemotleft"}
_T1_SYMBOLS |= {"guillemotright", "guilsinglleft", "guilsinglright", "quotedblbase"}
_T1_SYMBOLS |= {"quotesinglbase"}
_NAME = re.compile(r"\\([A-Za-z]+|[^A-Za-z])")
_MATH_GROUP = re.compile(r"\\ensuremath\{((?:[^{}]|\{[^{}]*\})*)\}")
_FORMS: dict[str, str | None] = {}


def _complete(char: str) -> str | None:
    """pylatexenc's form of ``char`` when it compiles everywhere and reads back, else None."""
    if char not in _FORMS:
        _FORMS[char] = _checked(_pylatexenc_table().get(ord(char)), char)
    return _FORMS[char]


_PYLATEXENC: dict[int, str] | None = None


def _pylatexenc_table() -> dict[int, str]:
    """pylatexenc's table (its ``defaults`` rule): code point -> LaTeX. Imported when needed."""
    global _PYLATEXENC
    if _PYLATEXENC is None:
        from pylatexenc.latexencode import get_builtin_uni2latex_dict

        _PYLATEXENC = get_builtin_uni2latex_dict()
    return _PYLATEXENC


def _checked(form: str | None, char: str) -> str | None:
    if not form:
        return None
    m = re.fullmatch(r"\\([A-Za-z]+)", form)
    if m and m.group(1) in _T1_SYMBOLS:
        form = _T1 % m.group(1)
    else:
        outside = _MATH_GROUP.sub("", form)
        inside = "".join(_MATH_GROUP.findall(form))
        if not set(_NAME.findall(outside)) <= _TEXT_COMMANDS:
            return None
        if not set(_NAME.findall(inside)) <= _MATH_COMMANDS:
            return None
        # braced: a control word cannot run into the next letter, and a group with
        # letters outside its commands is braced twice, so no style changes its case
        letters = re.sub(r"\\[A-Za-z]+", "", form)
        form = "{{" + form + "}}" if any(c.isalpha() for c in letters) else "{" + form + "}"
    try:
        back = _read(form)
    except _Unknown:
        return None
    return form if back == char else None


# -- reading -------------------------------------------------------------------------


def decode(text: str) -> str:
    """Plain Unicode for a BibTeX field value (braces, escapes and commands removed)."""
    if not text:
        return text
    m = _SPECIAL_OR_SPACING.search(text)
    if m is None:
        return text.strip()
    if not _SPECIAL.search(text, m.start()):
        return _SPACE.sub(" ", text).strip()
    if "\\" not in text and "$" not in text and "^{" not in text and "_{" not in text:
        # only braces and ties: TeX joins -- into a dash only where no brace stands between
        out = _ligatures(text).replace("{", "").replace("}", "").replace("~", " ")
    else:
        try:
            out = _Scanner(text).run()
        except _Unknown:
            out = _ligatures(_fallback(text))
    out = unicodedata.normalize("NFC", out)
    return _SPACE.sub(" ", out).strip()


def _read(text: str) -> str:
    """What decode() makes of ``text``, but _Unknown where it would need pylatexenc's parser."""
    return unicodedata.normalize("NFC", _Scanner(text).run())


def _ligatures(text: str) -> str:
    if "-" not in text and "`" not in text and "'" not in text:
        return text
    return text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")


class _Unknown(Exception):
    pass


def _fallback(text: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", keep_comments=True).latex_to_text(text)


_MORE_SYMBOLS: dict[str, str] | None = None


def _more_symbols() -> dict[str, str]:
    """Symbol commands igbib's table lacks, from pylatexenc's: ``textonehalf`` -> ``½``."""
    global _MORE_SYMBOLS
    if _MORE_SYMBOLS is None:
        _MORE_SYMBOLS = {}
        single = re.compile(r"\\([A-Za-z]+)|\\ensuremath\{\\([A-Za-z]+)\}")
        for code, form in sorted(_pylatexenc_table().items()):
            m = single.fullmatch(form)
            if m:
                _MORE_SYMBOLS.setdefault(m.group(1) or m.group(2), chr(code))
    return _MORE_SYMBOLS


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def run(self) -> str:
        out: list[str] = []
        text, n = self.text, len(self.text)
        while self.pos < n:
            m = _STOP.search(text, self.pos)
            if m is None:
                out.append(_ligatures(text[self.pos :]))
                break
            if m.start() > self.pos:
                out.append(_ligatures(text[self.pos : m.start()]))
            self.pos = m.start()
            c = text[self.pos]
            if c == "\\":
                out.append(self._command())
            elif c in "{}$":
                self.pos += 1
            elif c == "~":
                out.append(" ")
                self.pos += 1
            elif c in "^_" and self.pos + 1 < n and text[self.pos + 1] == "{":
                # $^{18}$F, H$_{2}$O: keep the script's text
                self.pos += 1
            else:
                out.append(c)
                self.pos += 1
        return "".join(out)

    def _group(self) -> str:
        """The next argument as it is written: a braced group's text, or one character."""
        text = self.text
        while self.pos < len(text) and text[self.pos] == " ":
            self.pos += 1
        if self.pos >= len(text):
            return ""
        if text[self.pos] == "{":
            depth, start = 0, self.pos
            for m in _BRACE.finditer(text, self.pos):
                depth += 1 if m.group() == "{" else -1
                if depth == 0:
                    self.pos = m.end()
                    return text[start + 1 : m.start()]
            raise _Unknown  # unbalanced
        if text[self.pos] == "\\":
            m = _COMMAND.match(text, self.pos)
            if m:
                self.pos = m.end()
                return m.group()
        self.pos += 1
        return text[self.pos - 1]

    def _argument(self) -> str:
        """The next argument: a braced group (decoded) or one character."""
        text = self.text
        while self.pos < len(text) and text[self.pos] == " ":
            self.pos += 1
        if self.pos < len(text) and text[self.pos] == "\\":
            return self._command()
        start = self.pos
        raw = self._group()
        return _Scanner(raw).run() if text[start : start + 1] == "{" else raw

    def _command(self) -> str:
        m = _COMMAND.match(self.text, self.pos)
        if not m:  # a lone backslash at the end
            self.pos += 1
            return ""
        self.pos = m.end()
        name = m.group(1)
        if name is None:
            char = m.group(2)
            if char in _ACCENTS:
                return _accent(char, self._argument())
            if char in _ESCAPES:
                return _ESCAPES[char]
            raise _Unknown
        if name in _ACCENTS and name not in _SYMBOLS:
            return _accent(name, self._argument())
        if name in _SYMBOLS:
            return self._symbol(_SYMBOLS[name])
        if name in _WRAPPERS:
            if name == "href":
                self._argument()
            return self._argument()
        if name == "UseTextSymbol":  # {\UseTextSymbol{T1}{\NG}}: the symbol, from T1
            self._group()
            return self._argument()
        if name == "UseTextAccent":  # {\UseTextAccent{T1}{\k}{a}}: the accent, from T1
            self._group()
            accent = self._group().strip().lstrip("\\")
            if accent not in _ACCENTS:
                raise _Unknown
            return _accent(accent, self._argument())
        more = _more_symbols().get(name)
        if more is not None:
            return self._symbol(more)
        raise _Unknown

    def _symbol(self, char: str) -> str:
        # a control word eats the spaces after it: {\o}rsted, \ss{} or \ss x
        if self.text.startswith("{}", self.pos):
            self.pos += 2
        else:
            while self.pos < len(self.text) and self.text[self.pos] == " ":
                self.pos += 1
        return char


def _accent(mark: str, base: str) -> str:
    if not base:
        return ""
    if base == "ı":
        base = "i"
    elif base == "ȷ":
        base = "j"
    return unicodedata.normalize("NFC", base[0] + _ACCENTS[mark] + base[1:])
