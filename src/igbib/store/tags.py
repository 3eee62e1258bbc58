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

    def tag_names(self) -> list[str]:
        """Every tag, in alphabetical order (for completion and listings)."""
        return [
            name
            for (name,) in self.conn.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")
        ]
