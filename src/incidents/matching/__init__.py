"""Matching the records of one attack across data sets (GTD, ACLED, UCDP GED
and hand-kept incidents), and counting each attack once.

Two records can be one attack when their dates and places meet within
windows that follow each record's own precision, and their kinds of
violence, perpetrators and tolls are compatible.  Each such pair gets a
score and its evidence in words; links are kept in the store, named by each
record's origin, with the decisions people make on them.  ``--distinct``
then counts each group of linked records as one incident.

What lives where, lower floors first:
- ``taxonomy``: one coarse taxonomy of every data set's kinds of violence,
  and the names of groups.
- ``windows``: date and place windows from each record's precision.
- ``records``: what matching reads of a record (``MatchRecord``), its key.
- ``scoring``: how alike two records are, and the evidence in words.
- ``blocking``: candidate pairs by grid cell and time, never all pairs.
- ``groups``: links to groups (one record per data set), likely or possible.
- ``engine``: a run over the records that changed, keeping every decision.
- ``distinct``: a group made one incident: agreed dates, combined tolls.
- ``sources``: the counted-once view as a ``query.IncidentSource`` (index or
  memory), and the twins of a record for ``show``.
- ``persistence``: links written into the store; what the last run saw.
- ``session``: a store's records and links as ``incidents match`` uses them.

No click and no rich here: ``cli.matching`` and ``formats.matching`` show it.
"""
