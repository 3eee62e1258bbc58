"""Tags: free labels on papers, matched without regard to case."""

from __future__ import annotations


class Tags:
    """The ``tags`` and ``paper_tags`` tables. Mixed into ``Library``."""

    def add_tags(self, paper_ids: list[int], names: list[str]) -> None:
        for name in names:
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
            tag_id = self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))
            self.conn.executemany(
                "INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) VALUES (?, ?)",
                [(pid, tag_id) for pid in dict.fromkeys(paper_ids)],
            )

    def remove_tags(self, paper_ids: list[int], names: list[str]) -> None:
        """Take these tags (any case) off these papers; the tags themselves stay."""
        for name in names:
            self.conn.executemany(
                "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id IN"
                " (SELECT id FROM tags WHERE name = ? COLLATE NOCASE)",
                [(pid, name) for pid in dict.fromkeys(paper_ids)],
            )

    def delete_unused_tags(self) -> list[str]:
        """Delete the tags no paper has; return their names."""
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
        """Every tag, in alphabetical order (for completion and listings)."""
        return [
            name
            for (name,) in self.conn.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")
        ]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many papers have it, in alphabetical order."""
        return list(
            self.conn.execute(
                "SELECT t.name, count(pt.paper_id) FROM tags t"
                " LEFT JOIN paper_tags pt ON pt.tag_id = t.id"
                " GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
            )
        )
