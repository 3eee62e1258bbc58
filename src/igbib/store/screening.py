"""Watches, candidates, screening decisions and searches: the SQL of discovery.

A *candidate* is a paper found by a watch, a related-paper link or a file of
decisions, kept apart from the library's papers until a curator includes it.
Its record is the paper as the source gave it (JSON of the metadata fields);
its identifiers are columns so that a paper found again is matched by an index.
Decisions are appended, never changed; a candidate's ``status`` is its latest
decision, kept beside them so that the queue is one indexed look-up.
"""

from __future__ import annotations

import json
from collections import namedtuple

from igbib.model import METADATA_FIELDS, Paper, title_key

#: A candidate's states: waiting for a decision, decided "maybe", or decided.
STATUSES = ("pending", "maybe", "included", "excluded")
#: What a decision makes a candidate's status.
STATUS_OF = {"include": "included", "exclude": "excluded", "maybe": "maybe"}
#: PRISMA's two routes of identification.
ROUTES = ("database", "other")


# (namedtuples, not dataclasses: importing the store stays light, for a fast start)


class Candidate(
    namedtuple("Candidate", "id paper source route section tags added status reason paper_id made")
):
    """A paper found and not (yet) in the list: its record and its screening state."""

    __slots__ = ()

    @property
    def label(self) -> str:
        """How messages name it: its PMID, else its DOI, else its title."""
        if self.paper.pmid:
            return f"PMID {self.paper.pmid}"
        if self.paper.doi:
            return f"DOI {self.paper.doi}"
        return repr((self.paper.title or f"candidate {self.id}")[:60])


#: A saved PubMed search, and how far its runs have reached.
Watch = namedtuple(
    "Watch", "id name query section tags created watermark baseline last_run runs seen"
)
#: One screening decision, as it was made.
Decision = namedtuple("Decision", "id candidate_id decision reason stage reviewer at origin")


_CANDIDATE = "id, record, source, route, section, tags, added, status, reason, paper_id, made"
_WATCH = "id, name, query, section, tags, created, watermark, baseline, last_run, runs, seen"
_DECISION = "id, candidate_id, decision, reason, stage, reviewer, at, origin"


def record_json(paper: Paper) -> str:
    """The metadata of ``paper`` as a candidate keeps it."""
    return json.dumps(
        {f: getattr(paper, f) for f in METADATA_FIELDS if getattr(paper, f) not in (None, [], {})},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _candidate(row) -> Candidate:
    fields = json.loads(row[1])
    paper = Paper(**{k: v for k, v in fields.items() if k in METADATA_FIELDS})
    return Candidate(
        id=row[0],
        paper=paper,
        source=row[2],
        route=row[3],
        section=row[4],
        tags=json.loads(row[5]),
        added=row[6],
        status=row[7],
        reason=row[8],
        paper_id=row[9],
        made=bool(row[10]),
    )


def _watch(row) -> Watch:
    return Watch(*row[:4], json.loads(row[4]), *row[5:10], json.loads(row[10]))


class Screening:
    """Watches, candidates, decisions and searches. Mixed into :class:`~igbib.store.Library`."""

    # -- watches ------------------------------------------------------------------

    def watches(self) -> list[Watch]:
        sql = f"SELECT {_WATCH} FROM watches ORDER BY name COLLATE NOCASE"
        return [_watch(r) for r in self.conn.execute(sql)]

    def watch(self, name: str) -> Watch | None:
        row = self.conn.execute(f"SELECT {_WATCH} FROM watches WHERE name = ?", (name,)).fetchone()
        return _watch(row) if row else None

    def add_watch(
        self, name: str, query: str, section: str | None, tags: list[str], created: str
    ) -> int:
        return self.conn.execute(
            "INSERT INTO watches (name, query, section, tags, created) VALUES (?, ?, ?, ?, ?)",
            (name, query, section, json.dumps(tags, ensure_ascii=False), created),
        ).lastrowid

    def remove_watch(self, watch_id: int) -> None:
        self.conn.execute("DELETE FROM watches WHERE id = ?", (watch_id,))

    def set_watermark(self, watch_id: int, watermark: str) -> None:
        self.conn.execute("UPDATE watches SET watermark = ? WHERE id = ?", (watermark, watch_id))

    def watch_ran(
        self, watch_id: int, *, at: str, watermark: str, seen: list[str], baseline=None
    ) -> None:
        sql = "UPDATE watches SET last_run = ?, watermark = ?, seen = ?, runs = runs + 1"
        params: list = [at, watermark, json.dumps(seen)]
        if baseline is not None:
            sql += ", baseline = ?"
            params.append(baseline)
        self.conn.execute(sql + " WHERE id = ?", (*params, watch_id))

    # -- candidates ---------------------------------------------------------------

    def known_candidate(self, pmid=None, doi=None, title=None) -> Candidate | None:
        """The candidate with this PMID, else this DOI, else this title (folded)."""
        for column, value in (("pmid", pmid), ("doi", doi), ("title_key", title_key(title or ""))):
            if not value:
                continue
            row = self.conn.execute(
                f"SELECT {_CANDIDATE} FROM candidates WHERE {column} = ? ORDER BY id LIMIT 1",
                (value,),
            ).fetchone()
            if row:
                return _candidate(row)
        return None

    def candidate(self, candidate_id: int) -> Candidate | None:
        row = self.conn.execute(
            f"SELECT {_CANDIDATE} FROM candidates WHERE id = ?", (candidate_id,)
        ).fetchone()
        return _candidate(row) if row else None

    def candidates(self, statuses=None, source: str | None = None) -> list[Candidate]:
        """Candidates in the order they were found (``statuses``: only those)."""
        sql, params = f"SELECT {_CANDIDATE} FROM candidates", []
        where = []
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params.extend(statuses)
        if source:
            where.append("source = ?")
            params.append(source)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_candidate(r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def candidate_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM candidates GROUP BY status"
        ):
            counts[status] = n
        return counts

    def candidate_pmids(self, statuses=None) -> set[str]:
        sql = "SELECT pmid FROM candidates WHERE pmid IS NOT NULL"
        params: list = []
        if statuses:
            sql += f" AND status IN ({', '.join('?' * len(statuses))})"
            params.extend(statuses)
        return {r[0] for r in self.conn.execute(sql, params)}

    def add_candidate(
        self,
        paper: Paper,
        *,
        source: str,
        route: str,
        section: str | None,
        tags: list[str],
        added: str,
    ) -> int:
        return self.conn.execute(
            "INSERT INTO candidates (pmid, doi, title_key, record, source, route, section,"
            " tags, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                paper.pmid,
                paper.doi,
                title_key(paper.title or "") or None,
                record_json(paper),
                source,
                route,
                section,
                json.dumps(tags, ensure_ascii=False),
                added,
            ),
        ).lastrowid

    def set_candidate_status(self, candidate_id: int, status: str, reason: str | None) -> None:
        self.conn.execute(
            "UPDATE candidates SET status = ?, reason = ? WHERE id = ?",
            (status, reason, candidate_id),
        )

    def set_candidate_paper(self, candidate_id: int, paper_id: int | None, made: bool) -> None:
        """The library paper an inclusion made (``made``) or matched; None: none any more."""
        self.conn.execute(
            "UPDATE candidates SET paper_id = ?, made = ? WHERE id = ?",
            (paper_id, int(made), candidate_id),
        )

    def move_candidates(self, from_id: int, to_id: int) -> None:
        """The candidates that made or matched paper ``from_id`` now name ``to_id`` (a merge):
        a paper the merge kept is not one their inclusion made (excluding them later must
        not take it out)."""
        self.conn.execute(
            "UPDATE candidates SET paper_id = ?, made = 0 WHERE paper_id = ?", (to_id, from_id)
        )

    # -- decisions ----------------------------------------------------------------

    def add_decision(
        self,
        candidate_id: int,
        decision: str,
        *,
        reason: str | None,
        stage: str,
        reviewer: str,
        at: str,
        origin: str,
    ) -> int:
        return self.conn.execute(
            "INSERT INTO decisions (candidate_id, decision, reason, stage, reviewer, at, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (candidate_id, decision, reason, stage, reviewer, at, origin),
        ).lastrowid

    def decisions(self, candidate_id: int | None = None) -> list[Decision]:
        sql, params = f"SELECT {_DECISION} FROM decisions", ()
        if candidate_id is not None:
            sql, params = sql + " WHERE candidate_id = ?", (candidate_id,)
        return [Decision(*r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def reasons_used(self) -> list[str]:
        """The exclusion reasons decisions have given, in the order first given."""
        sql = (
            "SELECT reason FROM decisions WHERE reason IS NOT NULL GROUP BY reason ORDER BY min(id)"
        )
        return [r[0] for r in self.conn.execute(sql)]

    # -- searches -----------------------------------------------------------------

    def record_search(
        self,
        source: str,
        route: str,
        query: str | None,
        at: str,
        found: int,
        duplicates: int,
        new: int,
    ) -> int:
        return self.conn.execute(
            "INSERT INTO searches (source, route, query, at, found, duplicates, new)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (source, route, query, at, found, duplicates, new),
        ).lastrowid

    def search_totals(self) -> list[tuple[str, str, int, int, int]]:
        """``(source, route, found, duplicates, new)`` summed over every search of a source."""
        return list(
            self.conn.execute(
                "SELECT source, route, sum(found), sum(duplicates), sum(new) FROM searches"
                " GROUP BY source, route ORDER BY min(id)"
            )
        )
