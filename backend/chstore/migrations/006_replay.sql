-- The review's replay reads the changes of a day or a week in time order.
-- `changes` is sorted by seq, and seq does not follow time once a history is
-- seeded into a running deployment (old cases get fresh seqs), so the replay
-- reads this copy sorted by time instead: a window is one range of the
-- primary key, whatever the report day of the cases it touches.
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

-- Where each event is and what it is called, sorted by event id: the replay
-- puts a change of an event reported months earlier on the map with one
-- primary-key lookup instead of a scan of `events`.
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
ORDER BY event_id;

-- History written before this migration, copied once. Only into an empty
-- table, so that running the migration again after a crash never copies
-- twice; the views come after, so nothing is in both.
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

CREATE MATERIALIZED VIEW IF NOT EXISTS changes_by_time_mv TO changes_by_time AS
SELECT at, seq, event_id, from_status, to_status, action, actor, target, kind, category, severity, grid_id,
       street_code, reported
FROM changes;

CREATE MATERIALIZED VIEW IF NOT EXISTS event_places_mv TO event_places AS
SELECT event_id, day, lon, lat, title, address, community_id
FROM events;
