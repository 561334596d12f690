-- The KPI counters per district day and kind only: the district-wide
-- summary (the common case, and the one a year-long comparison asks three
-- times) reads a few rows a day here instead of every category and street.
CREATE TABLE IF NOT EXISTS kpi_daily_kind (
    day       Date,
    kind      LowCardinality(String),
    reported  AggregateFunction(sum, UInt64),
    done      AggregateFunction(sum, Int64),
    closings  AggregateFunction(sum, UInt64),
    on_time   AggregateFunction(sum, UInt64),
    ratings   AggregateFunction(sum, UInt64),
    satisfied AggregateFunction(sum, UInt64),
    handling  AggregateFunction(quantilesTimingIf(0.5, 0.9), UInt32, UInt8)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, kind);

-- History written before this migration, rolled up from kpi_daily. Only
-- into an empty table, so that running the migration again after a crash
-- never counts twice; the view comes after, so nothing is in both.
INSERT INTO kpi_daily_kind (day, kind, reported, done, closings, on_time, ratings, satisfied, handling)
SELECT day, kind, sumMergeState(reported), sumMergeState(done), sumMergeState(closings), sumMergeState(on_time),
       sumMergeState(ratings), sumMergeState(satisfied), quantilesTimingIfMergeState(0.5, 0.9)(handling)
FROM kpi_daily
WHERE (SELECT count() FROM kpi_daily_kind) = 0
GROUP BY day, kind;

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_kind_mv TO kpi_daily_kind AS
SELECT day, kind,
       sumState(toUInt64(reported))                                        AS reported,
       sumState(toInt64(done_delta))                                       AS done,
       sumState(toUInt64(closing))                                         AS closings,
       sumState(toUInt64(on_time))                                         AS on_time,
       sumState(toUInt64(rated))                                           AS ratings,
       sumState(toUInt64(satisfied))                                       AS satisfied,
       quantilesTimingIfState(0.5, 0.9)(toUInt32(intDiv(handling_s, 300)), closing) AS handling
FROM changes
GROUP BY day, kind;
