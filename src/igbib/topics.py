"""Topic rules: which tags a paper's MeSH terms, keywords and title give it. Pure: no SQL.

A tag a rule gives is named ``AXIS/VALUE`` (``site/glioma``, ``modality/mri``,
``target/idh``, ``method/radiomics``), on one of the four :data:`AXES`. The rules
are one TOML file shipped with igbib (``igbib/data/topics.toml``), which a
curator's own ``topics.toml`` in igbib's config directory (next to
``config.ini``, or at ``$IGBIB_TOPICS``) extends: a rule of the same tag replaces
the shipped one (or, with ``extend = true``, adds its terms to it); ``disable``
lists shipped tags to drop. Each ``[[rule]]`` holds::

    tag = "site/glioma"                     # required: AXIS/VALUE
    label = "Glioma / glioblastoma"         # the heading an export groups it under
    mesh = ["D005909 Glioblastoma", "Glioma"]   # MeSH descriptors: "UI Name", a UI or a name
    supplementary = ["IDH1 protein, human"]     # supplementary concepts (genes, proteins)
    keywords = ["glioblastoma"]             # author keywords: whole words, any case
    title = ['glioblastomas?']              # regular expressions on the title
    abstract = ['radiomics?']               # ... and on the abstract
    unless = ["site/glioma"]                # not given when one of these tags is

A descriptor or concept matches by its unique ID, or by its name without regard
to case. A pattern matches whole words only (igbib adds the word boundaries) and
ignores case; ``(?-i:MET)`` makes part of one case-sensitive, as short gene
symbols need. :func:`match` gives, for each tag, the evidence: which term or
words of the paper matched which rule.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

from igbib.errors import UsageError

#: The axes a topic tag is on, in the order reports and listings show them.
AXES = ("site", "modality", "target", "method")
#: The ``meta`` key holding the digest of the rules the auto tags were last computed with.
META_KEY = "topic_rules"
#: The file name of a curator's rules, in igbib's config directory.
USER_FILE = "topics.toml"
#: Bumped when what a digest covers changes (so the auto tags are computed again).
_FORMAT = 1

#: What a rule file's tag value may be (the axis is :func:`split_tag`'s).
_VALUE = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
_UI = re.compile(r"^([DC]\d{6,9})(?:\s+(\S.*))?$")
_LISTS = ("mesh", "supplementary", "keywords", "title", "abstract", "unless")
_KEYS = frozenset({"tag", "label", "extend", *_LISTS})


class TopicRulesError(UsageError):
    """A rule file igbib cannot use: ``bad topic rules in PATH: why``."""

    def __init__(self, path: str, why: str):
        super().__init__(f"bad topic rules in {path}: {why}")


def split_tag(tag: str) -> tuple[str, str] | None:
    """``("site", "glioma")`` for ``site/glioma``; ``None`` for a tag on no axis (``review``).

    The one definition of a topic tag: the part before the first ``/`` is one of
    :data:`AXES` in any (ASCII) case, and something follows the ``/`` (the value,
    which may itself hold a ``/``: ``site//x`` is on ``site``, of value ``/x``).
    ``igbib.store.tags.AXIS_SQL`` is the same rule in SQL; every count, listing and
    ``tag:AXIS/`` search goes through one or the other.
    """
    axis, sep, value = tag.partition("/")
    if not sep or not value or not axis.isascii() or axis.lower() not in AXES:
        return None
    return axis.lower(), value


class Rule:
    """One tag and the terms that give it."""

    __slots__ = ("tag", "label", "mesh", "supplementary", "keywords", "title", "abstract")
    __slots__ += ("unless", "extend", "origin", "_compiled", "_checked")

    def __init__(self, tag: str, origin: str):
        self.tag, self.origin = tag, origin
        self.label: str | None = None
        self.mesh: list[str] = []
        self.supplementary: list[str] = []
        self.keywords: list[str] = []
        self.title: list[str] = []
        self.abstract: list[str] = []
        self.unless: list[str] = []
        #: A curator's rule adding its terms to the shipped rule of its tag.
        self.extend = False
        self._compiled: dict | None = None
        #: where -> (its patterns, compiled when the file was checked): compiled once
        self._checked: dict[str, tuple] = {}

    @property
    def axis(self) -> str:
        return self.tag.split("/", 1)[0]

    @property
    def value(self) -> str:
        return self.tag.split("/", 1)[1]

    def heading(self) -> str:
        return self.label or self.value

    def to_dict(self) -> dict:
        out: dict = {"tag": self.tag}
        if self.label:
            out["label"] = self.label
        for name in _LISTS:
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        return out

    def compiled(self) -> dict:
        """The terms made ready to match (once)."""
        if self._compiled is None:
            self._compiled = {
                "mesh": [_term(t) for t in self.mesh],
                "supplementary": [_term(t) for t in self.supplementary],
                "keywords": _any_words([re.escape(k) for k in self.keywords]),
                "title": self._patterns("title"),
                "abstract": self._patterns("abstract"),
            }
        return self._compiled

    def _patterns(self, where: str):
        patterns = getattr(self, where)
        checked = self._checked.get(where)
        if checked is not None and checked[0] == tuple(patterns):
            return checked[1]
        return _patterns(where, patterns)


class Rules:
    """The effective rules (the shipped ones with a curator's on top), in file order."""

    def __init__(self, rules: list[Rule], sources: list[str], disabled: list[str]):
        self.rules = rules
        self.sources = sources
        self.disabled = disabled
        self.by_tag = {r.tag: r for r in rules}
        self._place = {r.tag: i for i, r in enumerate(rules)}

    def digest(self) -> str:
        """What the auto tags depend on: changes whenever a rule, a term or a label does."""
        data = [_FORMAT, [r.to_dict() for r in self.rules]]
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def heading(self, tag: str) -> str:
        """The heading a tag is grouped under: its rule's label, else its value."""
        rule = self.by_tag.get(tag)
        if rule is not None:
            return rule.heading()
        found = split_tag(tag)
        return found[1] if found else tag

    def order(self, tag: str) -> int:
        """The tag's place among the rules (file order), for listings; unknown tags last."""
        return self._place.get(tag, len(self.rules))


# -- loading ---------------------------------------------------------------------------


def shipped_path() -> str:
    return os.path.join(os.path.dirname(__file__), "data", "topics.toml")


def user_path() -> tuple[str, bool]:
    """A curator's rule file, and whether it was named explicitly: ``$IGBIB_TOPICS``
    (which must exist), else ``topics.toml`` beside ``config.ini`` (used when it exists)."""
    explicit = os.environ.get("IGBIB_TOPICS")
    if explicit:
        return explicit, True
    from igbib.config import config_path

    return os.path.join(os.path.dirname(config_path()), USER_FILE), False


def load_rules(user: str | None = None) -> Rules:
    """The shipped rules, extended by a curator's file: ``user`` (``""``: none), else
    :func:`user_path`'s. A file that is not valid, or one named explicitly (``user``,
    ``$IGBIB_TOPICS``) that does not exist, is a :class:`TopicRulesError`.

    Read once a process while the files hold the same text (a command that checks
    the rules before it opens the library, then applies them, compiles them once).
    """
    path, explicit = (user, True) if user is not None else user_path()
    key = (user, path, explicit, _stamp(shipped_path()), _stamp(path) if path else None)
    rules = _LOADED.get(key)
    if rules is None:
        rules = _LOADED[key] = _load_rules(path, explicit)
    return rules


#: Rules read in this process, by the files they came from and those files' state.
_LOADED: dict[tuple, Rules] = {}


def _stamp(path: str) -> bytes | None:
    """What a rule file holds (None: it cannot be read; reading it says why)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _load_rules(path: str | None, explicit: bool) -> Rules:
    shipped = shipped_path()
    rules, disabled = read_rules(shipped, check=False)  # tests check igbib's own
    if disabled:
        raise TopicRulesError(shipped, "'disable' belongs in a curator's own file")
    sources = [shipped]
    known = {r.tag for r in rules}
    if path and (explicit or os.path.exists(path)):
        if not os.path.exists(path):
            raise TopicRulesError(path, "no such file")
        extra, disabled = read_rules(path)
        sources.append(path)
        known.update(r.tag for r in extra)
        rules = _combine(path, rules, extra, disabled)
    for rule in rules:
        for name in rule.unless:
            if name not in known:
                why = f"{rule.tag}: unless names {name}, which no rule gives"
                raise TopicRulesError(rule.origin, why)
    return Rules(rules, sources, disabled)


def read_rules(path: str, *, check: bool = True) -> tuple[list[Rule], list[str]]:
    """The rules of one file and the tags it disables; checked through (``check``: its
    patterns too, compiled now; igbib's own file, checked by its tests, compiles them
    when they are first matched)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise TopicRulesError(path, exc.strerror or str(exc)) from None
    return parse_rules(raw, path, check=check)


def parse_rules(raw: bytes | str, path: str, *, check: bool = True) -> tuple[list[Rule], list[str]]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise TopicRulesError(path, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise TopicRulesError(path, f"not TOML: {exc}") from None
    unknown = sorted(set(data) - {"rule", "disable"})
    if unknown:
        raise TopicRulesError(path, f"unknown key {unknown[0]!r} (use [[rule]] and disable)")
    disabled = data.get("disable", [])
    if not isinstance(disabled, list) or not all(isinstance(t, str) for t in disabled):
        raise TopicRulesError(path, "disable must be a list of tags")
    for name in disabled:
        _check_tag(path, name, "disable")
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        raise TopicRulesError(path, "rules are written [[rule]]")
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, 1):
        rule = _rule(path, number, table, check)
        if rule.tag in seen:
            raise TopicRulesError(path, f"rule {number}: {rule.tag} has a rule already")
        seen.add(rule.tag)
        rules.append(rule)
    return rules, list(disabled)


def _rule(path: str, number: int, table, check: bool = True) -> Rule:
    where = f"rule {number}"
    if not isinstance(table, dict):
        raise TopicRulesError(path, f"{where} is not a table")
    if "tag" not in table:
        raise TopicRulesError(path, f"{where} has no tag")
    tag = table["tag"]
    _check_tag(path, tag, where)
    where = f"rule {number} ({tag})"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise TopicRulesError(path, f"{where}: unknown key {unknown[0]!r} (known: {known})")
    rule = Rule(tag, path)
    label = table.get("label")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise TopicRulesError(path, f"{where}: label must be a non-empty string")
    rule.label = label.strip() if label else None
    extend = table.get("extend", False)
    if not isinstance(extend, bool):
        raise TopicRulesError(path, f"{where}: extend must be true or false")
    for name in _LISTS:
        values = table.get(name, [])
        if isinstance(values, str):
            values = [values]
        strings = isinstance(values, list) and all(isinstance(v, str) for v in values)
        if not strings or not all(v.strip() for v in values):
            raise TopicRulesError(path, f"{where}: {name} must be a list of non-empty strings")
        setattr(rule, name, [v.strip() for v in values])
    for name in ("title", "abstract") if check else ():
        try:
            compiled = _patterns(name, getattr(rule, name))  # exactly what matching compiles
        except _BadPattern as exc:
            raise TopicRulesError(path, f"{where}: {exc}") from None
        rule._checked[name] = (tuple(getattr(rule, name)), compiled)
    for name in rule.unless:
        _check_tag(path, name, f"{where}: unless")
        if name == tag:
            raise TopicRulesError(path, f"{where}: unless names the rule's own tag")
    if not any(getattr(rule, n) for n in _LISTS if n != "unless") and not extend:
        raise TopicRulesError(path, f"{where}: no mesh, supplementary, keywords, title or abstract")
    rule.extend = extend
    return rule


def _check_tag(path: str, tag, where: str) -> None:
    found = split_tag(tag) if isinstance(tag, str) else None
    if found is None or tag != f"{found[0]}/{found[1]}" or not _VALUE.match(found[1]):
        axes = ", ".join(AXES)
        raise TopicRulesError(
            path,
            f"{where}: tag {tag!r} is not AXIS/VALUE (axis one of {axes}; value in lower case,"
            " letters, digits, . + -)",
        )


def _combine(path: str, shipped: list[Rule], extra: list[Rule], disabled: list[str]) -> list[Rule]:
    """The shipped rules with a curator's on top: the same tag replaces (or, with
    ``extend``, adds to) the shipped rule; a new tag comes after them; disabled tags go."""
    by_tag = {r.tag: r for r in shipped}
    for name in disabled:
        if name not in by_tag:
            raise TopicRulesError(path, f"disable: {name} is no shipped rule's tag")
    added: list[Rule] = []
    for rule in extra:
        extend = rule.extend
        if rule.tag in disabled:
            raise TopicRulesError(path, f"{rule.tag} is both disabled and given a rule")
        base = by_tag.get(rule.tag)
        if base is None:
            if extend:
                raise TopicRulesError(path, f"{rule.tag}: extend = true, but no shipped rule")
            added.append(rule)
        elif extend:
            for name in _LISTS:
                merged = list(dict.fromkeys([*getattr(base, name), *getattr(rule, name)]))
                setattr(rule, name, merged)
            rule.label = rule.label or base.label
            by_tag[rule.tag] = rule
        else:
            by_tag[rule.tag] = rule
    kept = [by_tag[r.tag] for r in shipped if r.tag not in disabled]
    return kept + added


# -- matching --------------------------------------------------------------------------


def _words(pattern: str) -> re.Pattern:
    """``pattern`` matching whole words only, in any case."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


class _BadPattern(ValueError):
    """A title or abstract pattern that cannot be used: why, in one line."""


class _Patterns:
    """A rule's title (or abstract) patterns, each matching whole words in any case.

    The patterns without groups are joined into one expression (faster; joining
    cannot change what they match); one with a group (a backreference, a named
    group) is compiled alone, so that neither its numbers nor its names meet
    another pattern's.
    """

    __slots__ = ("regexes",)

    def __init__(self, regexes: list[re.Pattern]):
        self.regexes = regexes

    def search(self, text: str) -> bool:
        return any(regex.search(text) for regex in self.regexes)

    def finditer(self, text: str):
        """Every match of every pattern, in the order they are in ``text``."""
        if len(self.regexes) == 1:  # the usual case: one expression, no group
            return self.regexes[0].finditer(text)
        hits = [hit for regex in self.regexes for hit in regex.finditer(text)]
        return sorted(hits, key=lambda hit: (hit.start(), -hit.end()))


def _patterns(where: str, patterns: list[str]) -> _Patterns | None:
    """``patterns`` compiled as matching uses them, or a :class:`_BadPattern`: one that is
    not a regular expression, would escape its group (``foo)|(bar``), or matches the
    empty string."""
    if not patterns:
        return None
    plain: list[str] = []
    alone: list[re.Pattern] = []
    for pattern in patterns:
        try:
            groups = re.compile(pattern, re.IGNORECASE).groups  # balanced on its own
            regex = _words(pattern)
        except re.error as exc:
            raise _BadPattern(
                f"{where} pattern {pattern!r} is not a regular expression: {exc}"
            ) from None
        if regex.search(""):
            raise _BadPattern(
                f"{where} pattern {pattern!r} matches the empty string (every {where})"
            )
        if groups:
            alone.append(regex)
        else:
            plain.append(pattern)
    regexes = [_words("|".join(f"(?:{p})" for p in plain))] if plain else []
    return _Patterns(regexes + alone)


def _any_words(patterns: list[str]) -> re.Pattern | None:
    """One expression matching any of ``patterns`` (literal words, no groups), or None."""
    return _words("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _term(text: str) -> tuple[str | None, str | None]:
    """``("D001932", "brain neoplasms")`` from ``D001932 Brain Neoplasms``; a UI or a name."""
    found = _UI.match(text)
    if found:
        name = found.group(2)
        return found.group(1), name.casefold() if name else None
    return None, text.casefold()


def match(paper, rules: Rules) -> dict[str, list[str]]:
    """Tag -> the evidence for it (what matched), for every tag the rules give ``paper``,
    in rule order."""
    descriptors: list[dict] = []
    supplementary: list[dict] = []  # supplementary concepts, and chemicals that are one
    for concept in getattr(paper, "concepts", None) or ():
        (descriptors if _is_descriptor(concept) else supplementary).append(concept)
    known = {(c.get("name") or "").casefold() for c in descriptors}
    for name in paper.mesh or ():  # MeSH names without IDs (a file, another source)
        if name.casefold() not in known:
            descriptors.append({"ui": None, "name": name})
            known.add(name.casefold())
    keywords = [k for k in paper.keywords or () if k]
    found: dict[str, list[str]] = {}
    for rule in rules.rules:
        terms = rule.compiled()
        evidence: list[str] = []
        for concept in _matching(descriptors, terms["mesh"]):
            evidence.append(_named("MeSH", concept))
        for concept in _matching(supplementary, terms["supplementary"]):
            evidence.append(_named("supplementary concept", concept))
        if terms["keywords"] is not None:
            evidence.extend(f"keyword: {k}" for k in keywords if terms["keywords"].search(k))
        for where in ("title", "abstract"):
            regex, text = terms[where], getattr(paper, where)
            if regex is not None and text:
                seen = set()
                for hit in regex.finditer(text):
                    if hit.group(0) and hit.group(0).casefold() not in seen:
                        seen.add(hit.group(0).casefold())
                        evidence.append(f"{where}: {hit.group(0)}")
        if evidence:
            found[rule.tag] = list(dict.fromkeys(evidence))
    # decided on the tags found before any is dropped, so the rules' order does not matter
    stopped = [tag for tag in found if any(o in found for o in rules.by_tag[tag].unless)]
    for tag in stopped:
        del found[tag]
    return found


def _is_descriptor(concept: dict) -> bool:
    """A MeSH heading, or a chemical listed by its descriptor (``D...``): a descriptor too."""
    kind = concept.get("kind")
    return kind == "descriptor" or (
        kind == "chemical" and str(concept.get("ui") or "").startswith("D")
    )


def _matching(concepts: list[dict], terms: list[tuple[str | None, str | None]]):
    if not terms:
        return
    for concept in concepts:
        ui, name = concept.get("ui"), (concept.get("name") or "").casefold()
        if any((t_ui and t_ui == ui) or (t_name and t_name == name) for t_ui, t_name in terms):
            yield concept


def _named(what: str, concept: dict) -> str:
    ui, name = concept.get("ui"), concept.get("name") or ""
    return f"{what} {ui} {name}".rstrip() if ui else f"{what} {name}"
