-- What the review's lists and replay read. `changes` is sorted by seq and
-- partitioned by month, so a week's cohort or a day's replay would read
-- (and group) every change of the month; these tables, all filled from the
-- base tables by materialized views, make each a range of a primary key.

-- The replay reads a day or a week in time order. seq does not follow time
-- once a history is seeded into a running deployment (old cases get fresh
-- seqs), so this copy is sorted by time: a window is one key range,
-- whatever the report day of the cases it touches.
CREATE TABLE IF NOT EXISTS changes_by_time (
    at          DateTime,
    seq         UInt64,
    event_id    String,
    from_status LowCardinality(String),
    to_status   LowCardinality(String),
    action      LowCardinality(String),
    actor       String,
    target      String,
    kind        LowCardinality(String),
    category    LowCardinality(String),
    severity    LowCardinality(String),
    grid_id     String,
    street_code LowCardinality(String),
    reported    UInt8
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, seq);

-- Where each event is and what it is called, sorted by event id: a page of
-- the replay or of a late-case list looks its events up by primary key,
-- however long ago they were reported. Small granules, because every
-- lookup is a scatter of single keys.
CREATE TABLE IF NOT EXISTS event_places (
    event_id     String,
    day          Date,
    lon          Float64,
    lat          Float64,
    title        String,
    address      String,
    community_id String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY event_id
SETTINGS index_granularity = 512;

-- Each event's state per report day: open (its report and reopenings less
-- its "done" changes), the state and the last dispatch target now. The
-- open-and-overdue list groups one week of these instead of the week's
-- changes. The plain columns are the same in every row of an event.
-- String, not LowCardinality: on 18.16 an aggregate of a LowCardinality
-- column is a String, which a view cannot push into LowCardinality.
CREATE TABLE IF NOT EXISTS case_states (
    day         Date,
    event_id    String,
    kind        String,
    category    String,
    severity    String,
    grid_id     String,
    street_code String,
    reported_at DateTime,
    due_at      DateTime,
    open        AggregateFunction(sum, Int64),
    status      AggregateFunction(argMax, String, UInt64),
    assignee    AggregateFunction(argMaxIf, String, UInt64, UInt8)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, event_id);

-- The changes the review lists one by one, by report day: late closings
-- (about one case in ten) and the steps of whistle and report (a few in a
-- hundred cases).
CREATE TABLE IF NOT EXISTS review_changes (
    day         Date,
    event_id    String,
    seq         UInt64,
    at          DateTime,
    action      LowCardinality(String),
    target      String,
    closing     UInt8,
    on_time     UInt8,
    reported_at DateTime,
    due_at      DateTime,
    kind        LowCardinality(String),
    category    LowCardinality(String),
    severity    LowCardinality(String),
    grid_id     String,
    street_code LowCardinality(String)
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, event_id, seq);

-- History written before this migration, copied once. Only into empty
-- tables, so that running the migration again after a crash never copies
-- twice; the views come after, so nothing is in both. The states are made
-- one row per change (arrayReduce) rather than grouped, so the copy needs
-- no memory for millions of groups; merges fold them later.
INSERT INTO changes_by_time (at, seq, event_id, from_status, to_status, action, actor, target, kind, category,
    severity, grid_id, street_code, reported)
SELECT at, seq, event_id, from_status, to_status, action, actor, target, kind, category, severity, grid_id,
       street_code, reported
FROM changes
WHERE (SELECT count() FROM changes_by_time) = 0;

INSERT INTO event_places (event_id, day, lon, lat, title, address, community_id)
SELECT event_id, day, lon, lat, title, address, community_id
FROM events
WHERE (SELECT count() FROM event_places) = 0;

INSERT INTO case_states (day, event_id, kind, category, severity, grid_id, street_code, reported_at, due_at, open,
    status, assignee)
SELECT day, event_id, CAST(kind AS String), CAST(category AS String), CAST(severity AS String), grid_id,
       CAST(street_code AS String), reported_at, due_at,
       arrayReduce('sumState', [toInt64(reported) - toInt64(done_delta)]),
       arrayReduce('argMaxState', [CAST(to_status AS String)], [seq]),
       arrayReduce('argMaxIfState', [target], [seq], [toUInt8(action = 'dispatch')])
FROM changes
WHERE (SELECT count() FROM case_states) = 0;

INSERT INTO review_changes (day, event_id, seq, at, action, target, closing, on_time, reported_at, due_at, kind,
    category, severity, grid_id, street_code)
SELECT day, event_id, seq, at, action, target, closing, on_time, reported_at, due_at, kind, category, severity,
       grid_id, street_code
FROM changes
WHERE ((closing = 1 AND on_time = 0) OR action IN ('whistle', 'checkin', 'checkin_missed'))
  AND (SELECT count() FROM review_changes) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS changes_by_time_mv TO changes_by_time AS
SELECT at, seq, event_id, from_status, to_status, action, actor, target, kind, category, severity, grid_id,
       street_code, reported
FROM changes;

CREATE MATERIALIZED VIEW IF NOT EXISTS event_places_mv TO event_places AS
SELECT event_id, day, lon, lat, title, address, community_id
FROM events;

CREATE MATERIALIZED VIEW IF NOT EXISTS case_states_mv TO case_states AS
SELECT day, event_id,
       any(CAST(kind AS String))        AS kind,
       any(CAST(category AS String))    AS category,
       any(CAST(severity AS String))    AS severity,
       any(grid_id)                     AS grid_id,
       any(CAST(street_code AS String)) AS street_code,
       min(reported_at)                 AS reported_at,
       max(due_at)                      AS due_at,
       sumState(toInt64(reported) - toInt64(done_delta))    AS open,
       argMaxState(CAST(to_status AS String), seq)          AS status,
       argMaxIfState(target, seq, action = 'dispatch')      AS assignee
FROM changes
GROUP BY day, event_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS review_changes_mv TO review_changes AS
SELECT day, event_id, seq, at, action, target, closing, on_time, reported_at, due_at, kind, category, severity,
       grid_id, street_code
FROM changes
WHERE (closing = 1 AND on_time = 0) OR action IN ('whistle', 'checkin', 'checkin_missed');
