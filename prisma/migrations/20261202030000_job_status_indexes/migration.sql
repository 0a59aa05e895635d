-- /metrics counts each job table by status on every scrape: with an index that is an index-only
-- scan (measured 0.02 s against 0.10-0.15 s for a full scan of 200,000 imports)
create index imports_status_idx on imports (status);
create index exports_status_idx on exports (status);
