-- Views over schema.sql's tables: the joins that queries repeat, written once.
-- Run (CREATE OR REPLACE) by every initialising open, after any schema upgrade.
-- Columns are listed by name (no `*`), so a table that gains a column leaves a view as it is.

-- The canonical name of each area in each framework generation (frameworks.csv),
-- with the 2010 areas' approximate 2020 counterpart.
CREATE OR REPLACE VIEW canonical_area AS
SELECT framework, area, name, maps_to_2020_area
FROM framework_area
WHERE role = 'canonical';

-- One row per evaluation with its municipality and the file it came from (for a
-- stated evaluation, the later report that states it; for an import, the CSV file).
-- total_computed: an import's total summed from its eight areas; published: the row
-- came from data/published/ (report.format 'published'), not from a user's import.
CREATE OR REPLACE VIEW evaluation_detail AS
SELECT e.evaluation_id, e.municipality_code AS code, m.name, m.county_code, m.county_name,
       m.kommungrupp_code, m.kommungrupp_name, m.population, m.population_year,
       e.year, e.month, e.framework, e.origin, e.evaluation_number, e.interviewees,
       e.evaluators, e.total, e.total_line, e.source_note, e.report_id,
       r.file_name, r.sha256, r.format,
       e.total_computed, r.format = 'published' AS published
FROM evaluation e
JOIN municipality m ON m.code = e.municipality_code
JOIN report r ON r.report_id = e.report_id;

-- Area scores in long form with their evaluation and the area's canonical name.
CREATE OR REPLACE VIEW area_score_detail AS
SELECT a.evaluation_id, d.code, d.name, d.year, d.framework, d.origin,
       a.area, c.name AS area_name, a.score, a.line, a.stated_score, a.stated_line,
       d.file_name, d.published
FROM area_score a
JOIN evaluation_detail d USING (evaluation_id)
JOIN canonical_area c ON c.framework = d.framework AND c.area = a.area;

-- Each municipality's latest evaluation with all eight area scores, per framework
-- generation: the evaluations a computed mean is taken over (a partial import, or a
-- total only, never counts).
CREATE OR REPLACE VIEW latest_scored_evaluation AS
SELECT evaluation_id, code, year, framework
FROM (
    SELECT e.evaluation_id, e.municipality_code AS code, e.year, e.framework,
           row_number() OVER (
               PARTITION BY e.municipality_code, e.framework ORDER BY e.year DESC
           ) AS recency
    FROM evaluation e
    WHERE e.evaluation_id IN (
        SELECT evaluation_id FROM area_score GROUP BY evaluation_id HAVING count(*) = 8
    )
)
WHERE recency = 1;

-- A reference series (a mean stated in a report's summary table, or imported from a
-- CSV file) with its file and, for a report, the evaluation the report is about;
-- published: from data/published/.
CREATE OR REPLACE VIEW reference_detail AS
SELECT s.reference_id, s.label, s.framework, s.year, s.n_municipalities, s.total,
       s.source_note, s.line, s.report_id, r.file_name, r.format,
       own.code AS report_code, own.name AS report_name, own.year AS report_year,
       r.format = 'published' AS published
FROM reference_series s
JOIN report r ON r.report_id = s.report_id
LEFT JOIN evaluation_detail own ON own.report_id = s.report_id AND own.origin = 'report';
