"""The curated list: its sections, each section's papers in order, its prose.

A Markdown import rebuilds this structure; every other way in (BibTeX, ``add``)
only appends papers to a section.
"""

from __future__ import annotations


class Lists:
    """Sections, placements, the document, and ``meta``. Mixed into ``Library``.

    The datasets are :mod:`~igbib.store.datasets`' (the document's ``dataset`` blocks take
    the listed datasets in order).
    """

    # -- reading ---------------------------------------------------------------
    def sections(self) -> list[dict]:
        return [
            {"id": r[0], "name": r[1], "position": r[2], "style": r[3], "papers": r[4]}
            for r in self.conn.execute(
                "SELECT s.id, s.name, s.position, s.style,"
                " (SELECT count(*) FROM placements p WHERE p.section_id = s.id)"
                " FROM sections s ORDER BY s.position"
            )
        ]

    def listed_paper_ids(self) -> set[int]:
        """The papers the list places somewhere."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT paper_id FROM placements")}

    def placements(self) -> dict[int, list[int]]:
        """Section id -> its paper ids, in curated order."""
        out: dict[int, list[int]] = {}
        for section_id, paper_id in self.conn.execute(
            "SELECT section_id, paper_id FROM placements ORDER BY section_id, position"
        ):
            out.setdefault(section_id, []).append(paper_id)
        return out

    def section_named(self, name: str) -> dict | None:
        """The section called ``name`` (exactly, else ignoring case), or None."""
        sections = self.sections()
        for same in (
            lambda s: s["name"] == name,
            lambda s: s["name"].casefold() == name.casefold(),
        ):
            found = [s for s in sections if same(s)]
            if len(found) == 1:
                return found[0]
        return None

    def paper_placements(self, paper_id: int) -> list[dict]:
        """Where a paper is listed: ``section_id``, ``section`` (name), ``position``, ``line``,
        in the sections' order."""
        cols = ("section_id", "section", "position", "line")
        return [
            dict(zip(cols, r, strict=True))
            for r in self.conn.execute(
                "SELECT pl.section_id, s.name, pl.position, pl.line FROM placements pl"
                " JOIN sections s ON s.id = pl.section_id WHERE pl.paper_id = ?"
                " ORDER BY s.position",
                (paper_id,),
            )
        ]

    def section_entries(self, section_id: int) -> list[tuple[int, int | None]]:
        """``(paper id, list line)`` of each paper of a section, in order."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT paper_id, line FROM placements WHERE section_id = ? ORDER BY position",
                (section_id,),
            )
        ]

    def document(self) -> list[dict]:
        cols = ("position", "kind", "text", "section_id")
        return [
            dict(zip(cols, r, strict=True))
            for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM document ORDER BY position")
        ]

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- writing (inside Library.transaction) ----------------------------------
    def ensure_section(self, name: str, style: str) -> int:
        row = self.conn.execute("SELECT id FROM sections WHERE name = ?", (name,)).fetchone()
        if row:
            self.conn.execute("UPDATE sections SET style = ? WHERE id = ?", (style, row[0]))
            return row[0]
        position = self._one("SELECT coalesce(max(position), 0) + 1 FROM sections")
        cursor = self.conn.execute(
            "INSERT INTO sections (name, position, style) VALUES (?, ?, ?)",
            (name, position, style),
        )
        return cursor.lastrowid

    def add_section(self, name: str, style: str) -> int:
        """A new, empty section, last (:meth:`order_sections` puts it elsewhere)."""
        position = self._one("SELECT coalesce(max(position), 0) + 1 FROM sections")
        cursor = self.conn.execute(
            "INSERT INTO sections (name, position, style) VALUES (?, ?, ?)",
            (name, position, style),
        )
        return cursor.lastrowid

    def rename_section(self, section_id: int, name: str) -> None:
        self.conn.execute("UPDATE sections SET name = ? WHERE id = ?", (name, section_id))

    def delete_sections(self, section_ids) -> None:
        """Remove these sections, their placements and their places in the document."""
        section_ids = list(section_ids)
        if not section_ids:
            return
        marks = ",".join("?" * len(section_ids))
        self.conn.execute(f"DELETE FROM placements WHERE section_id IN ({marks})", section_ids)
        blocks = [b for b in self.document() if b["section_id"] not in set(section_ids)]
        self.set_document_blocks(blocks)
        self.conn.execute(f"DELETE FROM sections WHERE id IN ({marks})", section_ids)

    def remove_placement(self, paper_id: int, section_id: int) -> None:
        self.conn.execute(
            "DELETE FROM placements WHERE paper_id = ? AND section_id = ?", (paper_id, section_id)
        )

    def order_sections(self, section_ids: list[int]) -> None:
        """Put these sections first, in this order; the others keep theirs after them."""
        first = set(section_ids)
        rest = [
            r[0]
            for r in self.conn.execute("SELECT id FROM sections ORDER BY position")
            if r[0] not in first
        ]
        for position, section_id in enumerate([*section_ids, *rest], start=1):
            self.conn.execute(
                "UPDATE sections SET position = ? WHERE id = ?", (position, section_id)
            )

    def set_placements(
        self, section_id: int, paper_ids: list[int], lines: list[int | None] | None = None
    ) -> None:
        """Make the section list these papers, in this order (``lines``: where the list
        file lists each). Only the placements that differ are written, so importing a
        list again writes nothing."""
        lines = lines if lines is not None else [None] * len(paper_ids)
        wanted = {
            pid: (position, line)
            for position, (pid, line) in enumerate(zip(paper_ids, lines, strict=True), start=1)
        }
        have = {
            r[0]: (r[1], r[2])
            for r in self.conn.execute(
                "SELECT paper_id, position, line FROM placements WHERE section_id = ?",
                (section_id,),
            )
        }
        gone = [(pid, section_id) for pid in have if pid not in wanted]
        self.conn.executemany("DELETE FROM placements WHERE paper_id = ? AND section_id = ?", gone)
        self.conn.executemany(
            "UPDATE placements SET position = ?, line = ? WHERE paper_id = ? AND section_id = ?",
            [
                (*place, pid, section_id)
                for pid, place in wanted.items()
                if pid in have and have[pid] != place
            ],
        )
        self.conn.executemany(
            "INSERT INTO placements (paper_id, section_id, position, line) VALUES (?, ?, ?, ?)",
            [(pid, section_id, *place) for pid, place in wanted.items() if pid not in have],
        )

    def sections_of(self, paper_ids) -> list[int]:
        """The ids of the sections listing any of these papers."""
        ids = list(paper_ids)
        marks = ",".join("?" * len(ids))
        return (
            [
                r[0]
                for r in self.conn.execute(
                    f"SELECT DISTINCT section_id FROM placements WHERE paper_id IN ({marks})"
                    " ORDER BY section_id",
                    ids,
                )
            ]
            if ids
            else []
        )

    def renumber(self, section_ids) -> None:
        """Number each section's placements 1..n again, in their order (after a removal)."""
        for section_id in section_ids:
            rows = self.conn.execute(
                "SELECT paper_id, line FROM placements WHERE section_id = ? ORDER BY position",
                (section_id,),
            ).fetchall()
            self.set_placements(section_id, [r[0] for r in rows], [r[1] for r in rows])

    def append_placements(self, section_id: int, paper_ids: list[int]) -> None:
        """List these papers at the end of a section (those already in it stay where they are)."""
        present = {
            r[0]
            for r in self.conn.execute(
                "SELECT paper_id FROM placements WHERE section_id = ?", (section_id,)
            )
        }
        position = self._one(
            "SELECT coalesce(max(position), 0) FROM placements WHERE section_id = ?", (section_id,)
        )
        for paper_id in dict.fromkeys(paper_ids):
            if paper_id not in present:
                position += 1
                self.conn.execute(
                    "INSERT INTO placements (paper_id, section_id, position) VALUES (?, ?, ?)",
                    (paper_id, section_id, position),
                )

    def set_document_blocks(self, blocks: list[dict]) -> None:
        """The list's document blocks, replaced (only if they differ)."""
        self._replace_rows(
            "document",
            ("position", "kind", "text", "section_id"),
            [
                (pos, b["kind"], b.get("text"), b.get("section_id"))
                for pos, b in enumerate(blocks, start=1)
            ],
        )

    def _replace_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Make ``table`` hold exactly ``rows`` (by position), writing only if it does not
        already: importing the same list again writes, and records, nothing."""
        names = ", ".join(columns)
        if rows == self.conn.execute(f"SELECT {names} FROM {table} ORDER BY position").fetchall():
            return
        self.conn.execute(f"DELETE FROM {table}")
        self.conn.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows
        )

    def set_meta(self, key: str, value: str) -> None:
        if self.get_meta(key) == value:
            return
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
