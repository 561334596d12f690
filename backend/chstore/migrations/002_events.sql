-- One row per reported event: what the review screens show and group by.
-- No description and no personal fields (caller name and phone, reporter
-- name); title and address stay for the recurring list.
-- `day` is the district-local date of reported_at, computed by the writer.
-- The sort key serves category- and kind-filtered scans of a period
-- (recurring disputes, filtered heat maps); the writer's de-duplication
-- check reads `seq` within the batch's days.
CREATE TABLE IF NOT EXISTS events (
    seq          UInt64,
    event_id     String,
    kind         LowCardinality(String),
    source       LowCardinality(String),
    source_id    String,
    category     LowCardinality(String),
    severity     LowCardinality(String),
    title        String,
    address      String,
    lon          Float64,
    lat          Float64,
    grid_id      String,
    community_id String,
    street_code  LowCardinality(String),
    camera_id    String,
    sensor_id    String,
    occurred_at  DateTime,
    reported_at  DateTime,
    day          Date
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (kind, category, day, grid_id);

-- Events per district-local day and grid: the heat map, grid hot spots and
-- grid trends without a filter read this instead of every event.
CREATE TABLE IF NOT EXISTS grid_daily (
    day         Date,
    street_code LowCardinality(String),
    grid_id     String,
    n           UInt64
) ENGINE = SummingMergeTree(n)
PARTITION BY toYYYYMM(day)
ORDER BY (day, street_code, grid_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS grid_daily_mv TO grid_daily AS
SELECT day, street_code, grid_id, count() AS n
FROM events
GROUP BY day, street_code, grid_id;
