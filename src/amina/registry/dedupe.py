"""Finding families registered twice: probabilistic record linkage with Splink on DuckDB,
then a second pass for a family registered again under another head.

What is compared, blocked and trained, and every threshold, is in
``amina.registry.dedupe_model``; this module reads the registry, runs the model and
turns its scores into proposals.

1. **Records.** One row per open, unmerged household: its head's comparison keys (from
   ``amina.registry.names``, so an alef or hamza variant never counts as a difference)
   and features of its members, built in DuckDB: the children as "first-name key|year"
   (``kids``; the two eldest, ``kids_sig``, for blocking; with the father's-name key
   too, ``kids_block``, for the other-head pass), the spouse's first-name key and year.
   A birth date of 1 January or 1 July, or none, counts as "only the year is known".
2. **Same head.** Splink scores pairs sharing a blocking key; u from random pairs
   (``max_pairs``), m by expectation maximisation on pairs sharing a document, then a
   phone; DuckDB's memory is capped. Pairs above ``THRESHOLD`` are kept, except those a
   hard rule forbids (two documents of the same kind that differ: two people).
3. **Same family, other head.** Households sharing at least two children (first name,
   year of birth and father's name) where one head *is* the children's father and the
   other is not (the wife registering while the husband is missing, detained or stayed
   behind) are proposed with the kind ``other_head``, unless a spouse either one names
   says otherwise, their share of children in common (Jaccard) is below
   ``OTHER_HEAD_MIN_SHARE``, or step 2 already proposed them; their "probability" is
   that share, not a model probability. The whole pass is one DuckDB query
   (``other_heads_sql``): it pairs households only through a shared child whose father
   is not the head of one of them (two fathers cannot qualify), applies every rule
   there, and only the proposals leave DuckDB.
4. **Clusters.** Only strong links make clusters (``clusters``): a weak pair, or a pair
   that would chain two households together through a third, is proposed alone.

DuckDB holds the registry as soon as it is read (the Python copy is dropped), and the
pairs leave it in batches: at millions of households the peak memory came from copies
of the registry and from whole query results held in Python.

The result is stored as ``DuplicateCandidate`` rows by ``services.save_candidates``:
decided pairs are never proposed again; pending pairs a new run no longer finds are
withdrawn.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext_noop

from amina.registry import dedupe_model as model
from amina.registry.models import DuplicateCandidate, Household, Member

log = logging.getLogger(__name__)

THRESHOLD = model.THRESHOLD
FIELDS = model.FIELDS
SAME_HEAD = DuplicateCandidate.Kind.SAME_HEAD.value
OTHER_HEAD = DuplicateCandidate.Kind.OTHER_HEAD.value

COLUMNS = [
    "unique_id",
    "governorate_id",
    "first",
    "father",
    "grandfather",
    "family",
    "latin",
    "birth_year",
    "birth_date",
    "phone",
    "document",
    "sex",
    "document_type",
]
MEMBER_COLUMNS = ["household_id", "relationship", "first", "father", "birth_year"]


@dataclass
class Outcome:
    records: int = 0
    pairs: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    clusters: int = 0
    timings: dict = field(default_factory=dict)


def _open_households(qs, governorate_ids):
    qs = qs.filter(
        household__status=Household.Status.OPEN, household__merged_into__isnull=True
    ).order_by()  # the model's ordering made PostgreSQL sort a million rows on disk
    if governorate_ids:
        qs = qs.filter(household__governorate_id__in=governorate_ids)
    return qs


def load_heads(governorate_ids: list[int] | None = None):
    """The heads of open, unmerged households as a pyarrow table (one scan, streamed).

    On PostgreSQL the rows leave the server as CSV (``COPY … TO STDOUT``) and pyarrow
    parses them in C: iterating a million Django rows in Python took most of the read.
    Empty keys become nulls, which Splink reads as "not known" rather than "equal".
    """
    values = _open_households(Member.objects.filter(is_head=True), governorate_ids).values_list(
        "household_id",
        "household__governorate_id",
        "key_first",
        "key_father",
        "key_grandfather",
        "key_family",
        "key_latin",
        "birth_year",
        "birth_date",
        "key_phone",
        "key_document",
        "sex",
        "document_type",
    )
    return _table(values, COLUMNS, _head_types())


def load_members(governorate_ids: list[int] | None = None):
    """The other members of the same households (relationship, first-name and
    father's-name keys, year of birth): what the children and spouse features are
    built from."""
    values = _open_households(
        Member.objects.filter(is_head=False).exclude(key_first=""), governorate_ids
    ).values_list("household_id", "relationship", "key_first", "key_father", "birth_year")
    return _table(values, MEMBER_COLUMNS, _member_types())


def _table(values, names: list[str], types: list):
    import pyarrow as pa

    if connection.vendor == "postgresql":
        return _copy(values, names, types)
    columns: list[list] = [[] for _ in names]
    for row in values.iterator(chunk_size=20_000):
        for index, value in enumerate(row):
            columns[index].append(value if value != "" else None)
    return pa.table(
        {
            name: pa.array(col, type=typ)
            for name, col, typ in zip(names, columns, types, strict=True)
        }
    )


def _head_types() -> list:
    import pyarrow as pa

    return [
        pa.int64(),
        pa.int64(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.int32(),
        pa.date32(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.string(),
    ]


def _member_types() -> list:
    import pyarrow as pa

    return [pa.int64(), pa.string(), pa.string(), pa.string(), pa.int32()]


def _copy(values, names: list[str], types: list):
    from pyarrow import csv

    query, params = values.query.sql_with_params()
    # The CSV is spooled to a file: kept in memory beside the table parsed from it, it
    # doubled what the read needed.
    with tempfile.TemporaryFile() as buffer:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)", params) as copy:
                for chunk in copy:
                    buffer.write(chunk)
        if not buffer.tell():
            # No rows (a registry with no members besides heads): pyarrow refuses empty CSV.
            import pyarrow as pa

            return pa.table({n: pa.array([], type=t) for n, t in zip(names, types, strict=True)})
        buffer.seek(0)
        return csv.read_csv(
            buffer,
            read_options=csv.ReadOptions(column_names=names),
            parse_options=csv.ParseOptions(newlines_in_values=True),
            convert_options=csv.ConvertOptions(
                column_types=dict(zip(names, types, strict=True)),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )


def records_sql() -> str:
    """The records Splink compares, from the tables ``heads`` and ``members``."""
    placeholders = " OR ".join(
        f"(month(h.birth_date) = {m} AND day(h.birth_date) = {d})"
        for m, d in model.PLACEHOLDER_DATES
    )
    identity = ", ".join(f"'{t}'" for t in model.IDENTITY_DOCUMENTS)
    return f"""
        CREATE TABLE records AS
        WITH kids AS (
            SELECT household_id,
                list_sort(list_distinct(list(first || '|' || birth_year))) AS kids,
                -- "year|name" sorts by year (four digits), then name.
                list_sort(list_distinct(list(birth_year || '|' || first))) AS eldest,
                list_distinct(
                    list(first || '|' || birth_year || '|' || father)
                    FILTER (WHERE father IS NOT NULL)
                ) AS kids_block
            FROM members
            WHERE relationship = 'child' AND birth_year IS NOT NULL
            GROUP BY household_id
        ), spouses AS (
            SELECT household_id, arg_min(first, birth_year) AS spouse,
                min(birth_year) AS spouse_year
            FROM members WHERE relationship = 'spouse'
            GROUP BY household_id
        )
        SELECT h.unique_id, h.governorate_id, h.first, h.father, h.grandfather, h.family,
            h.birth_year,
            CASE WHEN h.birth_date IS NULL OR {placeholders} THEN NULL
                ELSE h.birth_date END AS birth_full,
            h.phone, h.document,
            CASE WHEN h.document IS NOT NULL AND h.document_type IN ({identity})
                THEN h.document_type END AS doc_type,
            h.sex, k.kids,
            CASE WHEN len(k.eldest) >= 2 THEN k.eldest[1] || ',' || k.eldest[2] END
                AS kids_sig,
            CASE WHEN len(k.kids_block) > 0 THEN k.kids_block END AS kids_block,
            s.spouse, s.spouse_year
        FROM heads h
        LEFT JOIN kids k ON k.household_id = h.unique_id
        LEFT JOIN spouses s ON s.household_id = h.unique_id
    """  # noqa: S608 (the model's constants only)


def find(
    governorate_ids: list[int] | None = None,
    *,
    threshold: float = THRESHOLD,
    memory_limit: str | None = None,
    max_pairs: float = 2e6,
    progress=None,
    seed: int = 42,
) -> Outcome:
    """Run the linkage over the registry (or some governorates); returns the pairs
    proposed, each with its kind, cluster, and the fields that agree, disagree or are
    missing. The work happens in a DuckDB file of its own, removed afterwards."""
    progress = progress or (lambda *a: None)
    started = time.monotonic()
    outcome = Outcome()
    progress(0, 5, gettext_noop("reading the registry"))
    pairs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="amina-dedupe-") as tmp:
        con = _duckdb(tmp, memory_limit)
        try:
            outcome.records = _read(con, governorate_ids)
            outcome.timings["read"] = time.monotonic() - started
            if outcome.records >= 2:
                pairs = _link(con, outcome.records, threshold, max_pairs, progress, seed, outcome)
        finally:
            con.close()
    if outcome.records < 2:
        outcome.seconds = time.monotonic() - started
        return outcome
    progress(4, 5, gettext_noop("clustering"))
    outcome.clusters = clusters(pairs)
    outcome.pairs = pairs
    outcome.seconds = time.monotonic() - started
    return outcome


def _read(con, governorate_ids: list[int] | None) -> int:
    """Read the registry into DuckDB's ``records``; returns how many heads there are.

    The pyarrow tables live only in this function: kept by the caller, they stayed in
    memory through the whole linkage, beside DuckDB's own copy."""
    import pyarrow as pa

    started = time.monotonic()
    heads = load_heads(governorate_ids)
    members = load_members(governorate_ids)
    count = heads.num_rows
    _lap(started, "read %s heads and %s members", count, members.num_rows)
    _load_records(con, heads, members)
    del heads, members
    pa.default_memory_pool().release_unused()  # or the allocator may keep it
    return count


def _link(con, count, threshold, max_pairs, progress, seed, outcome) -> list[dict]:
    """Same-head pairs from Splink, then other-head pairs, from ``records`` in ``con``,
    with the time of each step in ``outcome.timings``."""
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    # Its one warning says that a small rule was not sampled, which is what we want.
    logging.getLogger("splink.internals.em_sampling").setLevel(logging.ERROR)
    table = DuckDBAPI(connection=con).register("records")
    linker = Linker(table, model.settings(), log_level=None)
    progress(1, 5, gettext_noop("training the model"))
    timer = time.monotonic()
    _train(linker, count, max_pairs, seed)
    outcome.timings["train"] = time.monotonic() - timer
    timer = _lap(timer, "trained on %s records", count)
    progress(2, 5, gettext_noop("comparing records"))
    _predict(con, linker, threshold)
    pairs = [_same_head_pair(row) for row in _batches(con, "SELECT * FROM same_head")]
    outcome.timings["compare"] = time.monotonic() - timer
    timer = _lap(timer, "compared")
    progress(3, 5, gettext_noop("families under another head"))
    other = _other_heads(con)
    outcome.timings["other_head"] = time.monotonic() - timer
    _lap(timer, "families under another head: %s pairs", len(other))
    return pairs + other


def _batches(con, sql: str, size: int = 50_000):
    """The rows of a query, fetched a batch at a time (a whole result as Python tuples
    is many times its size in DuckDB)."""
    cursor = con.execute(sql)
    while rows := cursor.fetchmany(size):
        yield from rows


def _duckdb(tmp: str, memory_limit: str | None):
    """A DuckDB database in ``tmp``, its memory capped (it spills to ``tmp`` beyond)."""
    import duckdb

    con = duckdb.connect(os.path.join(tmp, "dedupe.duckdb"))
    limit = memory_limit or os.environ.get("AMINA_DEDUPE_MEMORY", "3GB")
    con.execute(f"SET memory_limit = '{limit}'")
    con.execute(f"SET temp_directory = '{tmp}'")
    con.execute("SET preserve_insertion_order = false")
    return con


def _load_records(con, heads, members) -> None:
    """The ``records`` table from the heads and members (the inputs dropped after, to
    free their memory)."""
    con.register("heads_arrow", heads)
    con.register("members_arrow", members)
    con.execute("CREATE TABLE heads AS SELECT * FROM heads_arrow")
    con.execute("CREATE TABLE members AS SELECT * FROM members_arrow")
    con.unregister("heads_arrow")
    con.unregister("members_arrow")
    con.execute(records_sql())
    con.execute("DROP TABLE heads")
    con.execute("DROP TABLE members")


def _train(linker, count: int, max_pairs: float, seed: int) -> None:
    """The prior, u from random pairs, then m by expectation maximisation."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in model.PRIOR_RULES], recall=model.PRIOR_RECALL
    )
    # u needs many random pairs, but never more than the data has.
    available = count * (count - 1) / 2
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(max_pairs, max(1e4, available / 4)), seed=seed
    )
    for rule in model.TRAINING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule),
            estimate_without_term_frequencies=True,
            max_pairs=model.EM_MAX_PAIRS,
        )


def _predict(con, linker, threshold: float) -> None:
    """The table ``same_head``: pairs at or above ``threshold`` that no hard rule
    forbids, with both ids, the probability, then each field's match weight and each
    field's gamma. Splink's own table of predictions is dropped after."""
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    forbidden = " OR ".join(
        f"gamma_{name} = {_gamma(linker, name, label)}" for name, label in model.HARD_RULES
    )
    weights = ", ".join(f"mw_{name}" for name in FIELDS)
    gammas = ", ".join(f"gamma_{name}" for name in FIELDS)
    con.execute(
        "CREATE TABLE same_head AS SELECT unique_id_l, unique_id_r, "  # noqa: S608
        f"match_probability, {weights}, {gammas} "
        f"FROM {predictions.physical_name} WHERE NOT ({forbidden})"
    )
    predictions.drop_table_from_database_and_remove_from_cache()


def _same_head_pair(row: tuple) -> dict:
    """A predicted row as a proposal, with the fields that agree, disagree or are missing."""
    left, right, probability, *rest = row
    width = len(FIELDS)
    agreeing, disagreeing, missing = [], [], []
    # A field's match weight is positive when it speaks for a match, negative when
    # against; gamma -1 when a value is missing on either side.
    for name, weight, gamma in zip(FIELDS, rest[:width], rest[width:], strict=True):
        if gamma == -1:
            missing.append(name)
        elif weight:
            (agreeing if weight > 0 else disagreeing).append(name)
    a, b = sorted((int(left), int(right)))
    return {
        "a": a,
        "b": b,
        "kind": SAME_HEAD,
        "probability": float(probability),
        "agreeing": agreeing,
        "disagreeing": disagreeing,
        "missing": missing,
    }


def _gamma(linker, comparison: str, label: str) -> int:
    """The comparison vector value of a comparison's level, found by its label."""
    for item in linker._settings_obj.comparisons:
        if item.output_column_name == comparison:
            for level in item.comparison_levels:
                if level.label_for_charts == label:
                    return level.comparison_vector_value
    raise LookupError(f"{comparison}: no level {label!r}")


def other_heads_sql() -> str:
    """The "same family, other head" proposals (see the module's docstring, step 3),
    from the tables ``records`` and ``same_head``: each pair's ids, the children they
    share, each one's children, whether their governorates agree, and whether a spouse
    was checked."""
    return f"""
        WITH {_shared_children_sql()}, fathers AS (
            SELECT *, coalesce(first_l = father, false) AS father_l,
                coalesce(first_r = father, false) AS father_r
            FROM shared
        ), oriented AS (
            SELECT l, r, n, n_l, n_r, same_governorate,
                coalesce(CASE WHEN father_l THEN spouse_l ELSE spouse_r END <> '', false)
                    AND coalesce(CASE WHEN father_l THEN sex_r ELSE sex_l END = 'female', false)
                    AS check_father_spouse,
                CASE WHEN father_l THEN spouse_l ELSE spouse_r END AS father_spouse,
                CASE WHEN father_l THEN first_r ELSE first_l END AS other_first,
                coalesce(CASE WHEN father_l THEN spouse_r ELSE spouse_l END <> '', false)
                    AS check_other_spouse,
                CASE WHEN father_l THEN spouse_r ELSE spouse_l END AS other_spouse,
                CASE WHEN father_l THEN first_l ELSE first_r END AS father_first
            FROM fathers
            -- Both heads the children's father: the same head. Neither: not this case.
            WHERE father_l <> father_r
                AND n / (n_l + n_r - n) >= {model.OTHER_HEAD_MIN_SHARE!r}::DOUBLE
        )
        SELECT l, r, n, n_l, n_r, same_governorate,
            check_father_spouse OR check_other_spouse AS spouse_agrees
        FROM oriented
        -- The father's registration names a spouse: she must be the other head (when a
        -- woman). The other registration names a spouse: he must be the father.
        WHERE NOT (check_father_spouse AND father_spouse IS DISTINCT FROM other_first)
            AND NOT (check_other_spouse AND other_spouse IS DISTINCT FROM father_first)
    """  # noqa: S608 (the model's constants only)


def _shared_children_sql() -> str:
    """The pairs the other-head rules look at (``shared``): households sharing at least
    ``OTHER_HEAD_MIN_CHILDREN`` children, how many (``n``), the smallest father's-name
    key among them (``father``) and what the rules read of both heads; pairs already
    proposed as the same head are left out (Splink's question, answered).

    A pair qualifies only if exactly one head is the father of the children they share
    (the smallest father's-name key among them), so the other head is not that child's
    father: pairs are formed only through such a child (``unfathered``). That leaves
    out the pairs of two fathers, most of the households that share children, which the
    self-join of every child used to form and count.
    """
    return f"""
        k AS (
            SELECT unique_id AS hh, first, unnest(kids_block) AS kid
            FROM records WHERE kids_block IS NOT NULL
        ), unfathered AS (
            SELECT hh, kid FROM k WHERE first IS DISTINCT FROM split_part(kid, '|', 3)
        ), candidates AS (
            SELECT DISTINCT least(a.hh, b.hh) AS l, greatest(a.hh, b.hh) AS r
            FROM unfathered a JOIN k b ON a.kid = b.kid AND a.hh <> b.hh
        ), counted AS (
            SELECT c.l, c.r, count(*) AS n, min(split_part(a.kid, '|', 3)) AS father
            FROM candidates c
            JOIN k a ON a.hh = c.l
            JOIN k b ON b.hh = c.r AND b.kid = a.kid
            WHERE NOT EXISTS (
                SELECT 1 FROM same_head p WHERE p.unique_id_l = c.l AND p.unique_id_r = c.r
            )
            GROUP BY c.l, c.r
            HAVING count(*) >= {model.OTHER_HEAD_MIN_CHILDREN}
        ), shared AS (
            SELECT s.*, len(x.kids_block) AS n_l, len(y.kids_block) AS n_r,
                x.first AS first_l, y.first AS first_r, x.sex AS sex_l, y.sex AS sex_r,
                x.spouse AS spouse_l, y.spouse AS spouse_r,
                coalesce(x.governorate_id = y.governorate_id, false) AS same_governorate
            FROM counted s
            JOIN records x ON x.unique_id = s.l
            JOIN records y ON y.unique_id = s.r
        )
    """  # noqa: S608 (the model's constants only)


def _other_heads(con) -> list[dict]:
    """ "Same family, other head" pairs (see the module's docstring, step 3), from the
    tables ``records`` and ``same_head`` in ``con``."""
    found = []
    for row in _batches(con, other_heads_sql()):
        left, right, shared, n_l, n_r, same_governorate, spouse = row
        a, b = sorted((int(left), int(right)))
        share = shared / (n_l + n_r - shared)
        agreeing = ["children", "children_father"] + (["spouse"] if spouse else [])
        if same_governorate:
            agreeing.append("governorate")
        found.append(
            {
                "a": a,
                "b": b,
                "kind": OTHER_HEAD,
                "probability": round(min(1.0, share), 4),
                "agreeing": agreeing,
                "disagreeing": ["head"] + ([] if same_governorate else ["governorate"]),
                "missing": [],
                "children": [int(shared), int(n_l), int(n_r)],
            }
        )
    return found


def clusters(pairs: list[dict], link: float = model.LINK_THRESHOLD) -> int:
    """Give each pair its cluster number; returns how many clusters there are.

    A cluster of more than two households is proposed only when it holds together by
    strong links: its households are connected by pairs at or above ``link``, every
    pair of them is proposed, and each is strongly linked to at least half of the
    others. Anything else — a weak pair, a pair of another head, a chain A–B–C where A
    and C were not proposed together — is a cluster of its own (a pair), so no cluster
    joins two families only through a chain of weak or partial links.
    """
    proposed = {(p["a"], p["b"]) for p in pairs if p["kind"] == SAME_HEAD}
    strong = [
        (p["a"], p["b"]) for p in pairs if p["kind"] == SAME_HEAD and p["probability"] >= link
    ]
    roots = _components(strong)
    groups: dict[int, set[int]] = {}
    for node, root in roots.items():
        groups.setdefault(root, set()).add(node)
    degree: dict[int, int] = {}
    for a, b in strong:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    whole: dict[int, int] = {}  # root → cluster number, for clusters that hold
    for root, nodes in sorted(groups.items()):
        if len(nodes) > 2:
            ordered = sorted(nodes)
            complete = all(
                (x, y) in proposed for i, x in enumerate(ordered) for y in ordered[i + 1 :]
            )
            dense = all(degree[n] >= math.ceil((len(nodes) - 1) / 2) for n in nodes)
            if not (complete and dense):
                continue
        whole[root] = len(whole) + 1
    number = len(whole)
    for pair in sorted(pairs, key=lambda p: (p["a"], p["b"], p["kind"])):
        root_a, root_b = roots.get(pair["a"]), roots.get(pair["b"])
        if (
            pair["kind"] == SAME_HEAD
            and root_a is not None
            and root_a == root_b
            and root_a in whole
        ):
            pair["cluster"] = whole[root_a]
        else:
            number += 1
            pair["cluster"] = number
    return number


def _components(pairs) -> dict:
    """Each record of a pair → the smallest id of its connected component (union-find
    over the pairs rather than Splink's clustering, which walks every record)."""
    parent: dict = {}

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # halve the path as we go
            node = parent[node]
        return node

    for left, right in pairs:
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {node: root(node) for node in parent}


def _lap(started: float, what: str, *args) -> float:
    """Log how long a step took (the benchmark and a slow run's log say where time goes)."""
    now = time.monotonic()
    log.info("dedupe: " + what + " in %.1f s", *args, now - started)
    return now


def exact_baseline(governorate_ids: list[int] | None = None) -> set[tuple[int, int]]:
    """The naive rule the benchmark compares against: the head's four names exactly as
    written, and the year of birth, identical (what a spreadsheet lookup does)."""
    qs = Member.objects.filter(is_head=True, household__status=Household.Status.OPEN)
    if governorate_ids:
        qs = qs.filter(household__governorate_id__in=governorate_ids)
    groups: dict[tuple, list[int]] = {}
    for pk, *key in qs.values_list(
        "household_id",
        "first_name_ar",
        "father_name_ar",
        "grandfather_name_ar",
        "family_name_ar",
        "birth_year",
    ).iterator(chunk_size=20_000):
        if key[0] and key[-1]:
            groups.setdefault(tuple(key), []).append(pk)
    pairs = set()
    for ids in groups.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def run(user, governorate_ids: list[int] | None = None, progress=None, **options) -> dict:
    """Find duplicates and store them for review; returns a summary for the job."""
    from amina.registry.services import save_candidates

    outcome = find(governorate_ids, progress=progress, **options)
    progress = progress or (lambda *a: None)
    progress(4, 5, gettext_noop("saving"))
    ids = {p["a"] for p in outcome.pairs} | {p["b"] for p in outcome.pairs}
    governorates = (
        dict(Household.objects.filter(pk__in=ids).values_list("pk", "governorate_id"))
        if len(outcome.pairs) < 50_000
        else dict(Household.objects.values_list("pk", "governorate_id").iterator(chunk_size=50_000))
    )
    summary = save_candidates(outcome.pairs, governorates, withdraw_in=governorate_ids or "all")
    return {
        "records": outcome.records,
        "pairs": len(outcome.pairs),
        "other_head": sum(p["kind"] == OTHER_HEAD for p in outcome.pairs),
        "clusters": outcome.clusters,
        "seconds": round(outcome.seconds, 1),
        **summary,
    }
