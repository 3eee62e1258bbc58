"""LaTeX in BibTeX fields to plain Unicode text, and back.

BibTeX files write ``M{\\"a}chler``, ``Go{\\l}osz``, ``\\&`` and ``$\\alpha$``; the
library stores ``Mächler``, ``Gołosz``, ``&`` and ``α``. The common cases (accents,
special letters, escapes, dashes, quotes, text-style commands, Greek letters) are
decoded here by a small table-driven scanner, which is some twenty times faster
than a general LaTeX parser; a field with a command this scanner does not know
falls back to ``pylatexenc`` (installed with bibtexparser), so nothing is lost.

Writing goes through the same tables (:data:`TABLE`, the accents and escapes):
:func:`encode` for the BibTeX exporter, :func:`to_ascii` for classic BibTeX, and
:func:`ascii_fold` for citation keys, so a character igbib reads is written back
as the command it was read from.
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
}
# How encode() writes a character back (``%s`` is the command's name); None: it
# does not (an alias, or a command that needs T1 fonts, which classic BibTeX lacks).
_LETTER, _TEXT, _MATH = "{\\%s}", "\\%s{}", "$\\%s$"

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
    ("dh", "ð", None, "d"),
    ("DH", "Ð", None, "D"),
    ("th", "þ", None, "th"),
    ("TH", "Þ", None, "TH"),
    ("ng", "ŋ", None, "ng"),
    ("NG", "Ŋ", None, "NG"),
    (None, "đ", None, "d"),
    (None, "Đ", None, "D"),
    # text symbols
    ("textendash", "–", "--", None),
    ("textemdash", "—", "---", None),
    ("textasciitilde", "~", _TEXT, None),
    ("textasciicircum", "^", _TEXT, None),
    ("textbackslash", "\\", _TEXT, None),
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
    ("textmu", "µ", "$\\mu$", None),
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
    (None, "\u00a0", "~", None),
    # mathematics
    ("leq", "≤", _MATH, None),
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
_ASCII_SPELLINGS = str.maketrans({char: ascii for _, char, _, ascii in TABLE if ascii})


def encode(text: str, ascii: bool = False) -> str:
    """``text`` safe inside a braced BibTeX value: decode() gives ``text`` back.

    The characters LaTeX reserves (``{ } % & # _ $ ~ ^ \\``) are escaped; with
    ``ascii``, every other non-ASCII character is written as LaTeX (:func:`to_ascii`).
    """
    text = _RESERVED_RE.sub(lambda m: _RESERVED_ESCAPES[m.group()], text)
    return to_ascii(text) if ascii else text


def to_ascii(text: str) -> str:
    """Non-ASCII letters as LaTeX commands (``é`` -> ``{\\'e}``); unknown symbols become ``?``."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif char in _ENCODE:
            out.append(_ENCODE[char])
        else:
            decomposed = unicodedata.normalize("NFD", char)
            base, marks = decomposed[0], decomposed[1:]
            if base.isascii() and marks and all(m in _ACCENT_COMMANDS for m in marks):
                for mark in marks:
                    base = f"\\{_ACCENT_COMMANDS[mark]}{{{base}}}"
                out.append("{" + base + "}")
            else:
                out.append(ascii_fold(char) or "?")
    return "".join(out)


def ascii_fold(text: str) -> str:
    """``Müller`` -> ``Muller``, ``Gołosz`` -> ``Golosz``; other scripts are dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_SPELLINGS))
    return text.encode("ascii", "ignore").decode("ascii")


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
        out = text.replace("{", "").replace("}", "").replace("~", " ")  # only braces and ties
    else:
        try:
            out = _Scanner(text).run()
        except _Unknown:
            out = _fallback(text)
    out = out.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    out = unicodedata.normalize("NFC", out)
    return _SPACE.sub(" ", out).strip()


class _Unknown(Exception):
    pass


def _fallback(text: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", keep_comments=True).latex_to_text(text)


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
                out.append(text[self.pos :])
                break
            if m.start() > self.pos:
                out.append(text[self.pos : m.start()])
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

    def _argument(self) -> str:
        """The next argument: a braced group (decoded) or one character."""
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
                    return _Scanner(text[start + 1 : m.start()]).run()
            raise _Unknown  # unbalanced
        if text[self.pos] == "\\":
            return self._command()
        self.pos += 1
        return text[self.pos - 1]

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
        if len(name) == 1 and name in _ACCENTS and name not in _SYMBOLS:
            return _accent(name, self._argument())
        if name in _SYMBOLS:
            # a control word eats the spaces after it: {\o}rsted, \ss{} or \ss x
            if self.text.startswith("{}", self.pos):
                self.pos += 2
            else:
                while self.pos < len(self.text) and self.text[self.pos] == " ":
                    self.pos += 1
            return _SYMBOLS[name]
        if name in _WRAPPERS:
            if name == "href":
                self._argument()
            return self._argument()
        raise _Unknown


def _accent(mark: str, base: str) -> str:
    if not base:
        return ""
    if base == "ı":
        base = "i"
    elif base == "ȷ":
        base = "j"
    return unicodedata.normalize("NFC", base[0] + _ACCENTS[mark] + base[1:])
