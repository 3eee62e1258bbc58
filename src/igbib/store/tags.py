"""Tags: free labels on papers, matched without regard to case.

A paper's tag has an origin (``paper_tags.origin``): ``curator`` (given by hand or
imported), ``auto`` (given by the topic rules, :mod:`igbib.topics`) or ``rejected``
(a topic tag a curator took off: kept so that the rules never give it back; it is
no tag of the paper's, and nothing shows it).
"""

from __future__ import annotations

CURATOR, AUTO, REJECTED = "curator", "auto", "rejected"
#: The paper has the tag (of either origin a paper shows), on a ``paper_tags`` row ``pt``.
SHOWN = f"pt.origin <> '{REJECTED}'"


def axis_sql(name: str) -> str:
    """SQL: the topic axis of the tag named by the column ``name`` (``site``), NULL for a
    tag on no axis. :func:`igbib.topics.split_tag` in SQL: the part before the first
    ``/``, in lower case (SQLite's lower() is ASCII's, as split_tag's), one of the axes,
    with something after the ``/``."""
    from igbib.topics import AXES  # not at the top: the rules' module costs every command

    slash = f"instr({name}, '/')"
    axes = ", ".join(f"'{axis}'" for axis in AXES)
    head = f"lower(substr({name}, 1, {slash} - 1))"
    test = f"{slash} > 1 AND length({name}) > {slash} AND {head} IN ({axes})"
    return f"(CASE WHEN {test} THEN {head} END)"


class Tags:
    """The ``tags`` and ``paper_tags`` tables. Mixed into ``Library``."""

    def _tag_id(self, name: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        return self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))

    def tag_ids(self, names) -> dict[str, int]:
        """Tag name (case folded) -> id, for these names; those not yet stored are created,
        spelled as given. One query for the tags already there, one insert per new tag."""
        wanted = {name.casefold(): name for name in names}
        out: dict[str, int] = {}
        for tag_id, name in self.conn.execute("SELECT id, name FROM tags"):
            if name.casefold() in wanted:
                out[name.casefold()] = tag_id
        for key, name in wanted.items():
            if key not in out:
                out[key] = self._tag_id(name)
        return out

    def add_tags(self, paper_ids: list[int], names: list[str]) -> None:
        """Give these papers these tags as a curator's (an automatic or rejected one
        becomes the curator's)."""
        for name in names:
            tag_id = self._tag_id(name)
            self.conn.executemany(
                f"INSERT INTO paper_tags (paper_id, tag_id, origin) VALUES (?, ?, '{CURATOR}')"
                f" ON CONFLICT(paper_id, tag_id) DO UPDATE SET origin = '{CURATOR}'"
                f" WHERE origin <> '{CURATOR}'",
                [(pid, tag_id) for pid in dict.fromkeys(paper_ids)],
            )

    def remove_tags(self, paper_ids: list[int], names: list[str], remember=()) -> None:
        """Take these tags (any case) off these papers; the tags themselves stay.

        Those of ``remember`` (topic tags) are kept as ``rejected``, so that the
        rules never give them back.
        """
        kept = {name.casefold() for name in remember}
        for name in names:
            pairs = [(pid, name) for pid in dict.fromkeys(paper_ids)]
            if name.casefold() in kept:
                self.conn.executemany(
                    f"UPDATE paper_tags SET origin = '{REJECTED}' WHERE paper_id = ? AND tag_id IN"
                    " (SELECT id FROM tags WHERE name = ? COLLATE NOCASE)",
                    pairs,
                )
            else:
                self.conn.executemany(
                    "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id IN"
                    " (SELECT id FROM tags WHERE name = ? COLLATE NOCASE)",
                    pairs,
                )

    def tag_origins(self, paper_ids) -> dict[int, dict[str, str]]:
        """Paper id -> {tag name: origin} of every tag row of these papers, rejected ones too."""
        out: dict[int, dict[str, str]] = {}
        rows = self._in(
            "SELECT pt.paper_id, t.name, pt.origin FROM paper_tags pt"
            " JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id IN ({})",
            paper_ids,
        )
        for paper_id, name, origin in rows:
            out.setdefault(paper_id, {})[name] = origin
        return out

    def set_tag_origin(self, paper_id: int, name: str, origin: str) -> None:
        """Give ``paper_id`` the tag ``name`` with this origin, whatever it had."""
        self.conn.execute(
            "INSERT INTO paper_tags (paper_id, tag_id, origin) VALUES (?, ?, ?)"
            " ON CONFLICT(paper_id, tag_id) DO UPDATE SET origin = excluded.origin"
            " WHERE origin <> excluded.origin",
            (paper_id, self._tag_id(name), origin),
        )

    def set_auto_tags(self, pairs) -> None:
        """Give each ``(paper id, tag id)`` the tag as an automatic one (a curator's or a
        rejected one is left as it is)."""
        self.conn.executemany(
            f"INSERT INTO paper_tags (paper_id, tag_id, origin) VALUES (?, ?, '{AUTO}')"
            " ON CONFLICT(paper_id, tag_id) DO NOTHING",
            pairs,
        )

    def remove_auto_tags(self, pairs) -> None:
        """Take each ``(paper id, tag id)`` automatic tag off (a curator's or a rejected one
        stays)."""
        self.conn.executemany(
            f"DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ? AND origin = '{AUTO}'",
            pairs,
        )

    def delete_unused_tags(self) -> list[str]:
        """Delete the tags no paper has (not even as rejected); return their names."""
        unused = [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM tags WHERE id NOT IN (SELECT tag_id FROM paper_tags)"
                " ORDER BY name COLLATE NOCASE"
            )
        ]
        if unused:
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM paper_tags)")
        return unused

    def tag_names(self) -> list[str]:
        """Every tag some paper shows, a curator's or the topic rules', alphabetically (for
        completion: what ``--tag`` selects)."""
        return [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM tags WHERE id IN"
                f" (SELECT tag_id FROM paper_tags pt WHERE {SHOWN})"
                " ORDER BY name COLLATE NOCASE"
            )
        ]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many papers have it as a curator's, alphabetically (the
        automatic ones: :meth:`tag_counts_by_origin`)."""
        return [(name, mine) for name, mine, _auto in self.tag_counts_by_origin() if mine]

    def tag_counts_by_origin(self) -> list[tuple[str, int, int]]:
        """Every tag some paper has: ``(name, papers with it as a curator's, papers with
        it automatically)``, alphabetically."""
        return list(
            self.conn.execute(
                f"SELECT t.name, sum(pt.origin = '{CURATOR}'), sum(pt.origin = '{AUTO}')"
                f" FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id WHERE {SHOWN}"
                " GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
            )
        )

    def papers_per_axis(self, origin: str) -> dict[str, int]:
        """Axis -> how many papers have a tag of this origin on that axis (:func:`axis_sql`)."""
        found = dict(
            self.conn.execute(
                f"SELECT {axis_sql('t.name')} AS axis, count(DISTINCT pt.paper_id)"
                " FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.origin = ?"
                " GROUP BY axis",
                (origin,),
            )
        )
        from igbib.topics import AXES

        return {axis: found.get(axis, 0) for axis in AXES}

    def shown_tag_count(self) -> int:
        """How many tags some paper has (a tag only a rejection keeps is none)."""
        return self._one(f"SELECT count(DISTINCT pt.tag_id) FROM paper_tags pt WHERE {SHOWN}")
