-- Operations (issue 16): the figures of GET /metrics are counted from the tables at each scrape;
-- these indexes keep those counts off full table scans.
CREATE INDEX refusals_rule ON refusals(decided_by);
CREATE INDEX deliveries_state ON deliveries(status, attempts);
