"""Tags: free labels on papers, matched without regard to case.

A paper's tag has an origin (``paper_tags.origin``): ``curator`` (given by hand or
imported), ``auto`` (given by the topic rules, :mod:`igbib.topics`) or ``rejected``
(a topic tag a curator took off: kept so that the rules never give it back; it is
no tag of the paper's, and nothing shows it).
"""

from __future__ import annotations

from igbib.store.search import like_escape

CURATOR, AUTO, REJECTED = "curator", "auto", "rejected"
#: The paper has the tag (of either origin a paper shows).
SHOWN = f"origin <> '{REJECTED}'"


class Tags:
    """The ``tags`` and ``paper_tags`` tables. Mixed into ``Library``."""

    def _tag_id(self, name: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        return self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))

    def add_tags(self, paper_ids: list[int], names: list[str]) -> None:
        """Give these papers these tags as a curator's (an automatic or rejected one
        becomes the curator's)."""
        for name in names:
            tag_id = self._tag_id(name)
            self.conn.executemany(
                "INSERT INTO paper_tags (paper_id, tag_id, origin) VALUES (?, ?, 'curator')"
                " ON CONFLICT(paper_id, tag_id) DO UPDATE SET origin = 'curator'"
                " WHERE origin <> 'curator'",
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
                    "UPDATE paper_tags SET origin = 'rejected' WHERE paper_id = ? AND tag_id IN"
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

    def remove_auto_tags(self, paper_id: int, names: list[str]) -> None:
        """Take these automatic tags off the paper (a curator's or a rejected one stays)."""
        self.conn.executemany(
            "DELETE FROM paper_tags WHERE paper_id = ? AND origin = 'auto' AND tag_id IN"
            " (SELECT id FROM tags WHERE name = ? COLLATE NOCASE)",
            [(paper_id, name) for name in names],
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
        """Every tag a curator gave some paper, alphabetically (for completion)."""
        return [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM tags WHERE id IN"
                " (SELECT tag_id FROM paper_tags WHERE origin = 'curator')"
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
                "SELECT t.name, sum(pt.origin = 'curator'), sum(pt.origin = 'auto')"
                f" FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id WHERE pt.{SHOWN}"
                " GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
            )
        )

    def papers_with_tags_like(self, prefix: str, origin: str) -> int:
        """How many papers have a tag of this origin whose name begins with ``prefix``."""
        return self._one(
            "SELECT count(DISTINCT pt.paper_id) FROM paper_tags pt JOIN tags t"
            " ON t.id = pt.tag_id WHERE pt.origin = ? AND t.name LIKE ? ESCAPE '\\'",
            (origin, like_escape(prefix) + "%"),
        )
