-- A measurement's KPI is no longer checked by a foreign key on PostgreSQL: the check ran once per
-- row, half the time of a large CSV import. Measurements are written only by
-- Db::add_measurements, which takes the KPI rows FOR KEY SHARE first (once per KPI), and KPIs are
-- never deleted; a future KPI deletion must delete its measurements itself.
ALTER TABLE kpi_measurements DROP CONSTRAINT IF EXISTS kpi_measurements_kpi_id_fkey;
