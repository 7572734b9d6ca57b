-- The kompass store (DuckDB). One place that documents every table.
-- Reference data (municipality, neighbour, framework_area) is loaded from data/;
-- everything else comes from ingested reports or imports, with provenance.

-- Sweden's 290 municipalities (data/municipalities.csv; centroid from
-- data/municipalities.geojson geo_point_2d).
CREATE TABLE IF NOT EXISTS municipality (
    code              VARCHAR PRIMARY KEY,   -- SCB kommunkod, 4 digits, leading zero kept
    name              VARCHAR NOT NULL,
    county_code       VARCHAR NOT NULL,
    county_name       VARCHAR NOT NULL,
    kommungrupp_code  VARCHAR,              -- SKR kommungrupp 2023 (A1–C9)
    kommungrupp_name  VARCHAR,
    population        INTEGER,              -- SCB via Kolada, 31 Dec of population_year
    population_year   INTEGER,
    lat               DOUBLE,               -- polygon centroid
    lon               DOUBLE
);

-- Land borders (data/neighbours.csv), both directions.
CREATE TABLE IF NOT EXISTS neighbour (
    code           VARCHAR NOT NULL,
    neighbour_code VARCHAR NOT NULL,
    PRIMARY KEY (code, neighbour_code)
);

-- Area names of both framework generations (data/frameworks.csv).
CREATE TABLE IF NOT EXISTS framework_area (
    framework          VARCHAR NOT NULL,    -- '2010' | '2020'
    area               INTEGER NOT NULL,    -- 1..8
    name               VARCHAR NOT NULL,
    role               VARCHAR NOT NULL,    -- canonical | alias | table_title
    maps_to_2020_area  INTEGER              -- 2010 rows: approximate 2020 counterpart
);

CREATE SEQUENCE IF NOT EXISTS report_seq;
-- One ingested file (a report, or an import CSV).
CREATE TABLE IF NOT EXISTS report (
    report_id       INTEGER PRIMARY KEY DEFAULT nextval('report_seq'),
    sha256          VARCHAR NOT NULL UNIQUE,
    file_name       VARCHAR NOT NULL,
    -- text | pdf: a report; csv: a user's import; published: data/published/, loaded by
    -- store.imports.load_published (`kompass ingest`, `make run`, the app's first start)
    format          VARCHAR NOT NULL,
    parser_version  VARCHAR NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,     -- UTC
    warnings        VARCHAR[] NOT NULL DEFAULT [],  -- English messages (the CLI's words)
    -- JSON list aligned with warnings: {"code", "fields"} per warning (kompass.domain.notices),
    -- null for one without a code; NULL for rows stored before schema version 3.
    notices         VARCHAR
);

-- A file whose evaluation a different file for the same municipality and year
-- replaced. Its hash stays known, so ingesting the old version again (the
-- bundled sample after a corrected upload, say) changes nothing.
CREATE TABLE IF NOT EXISTS superseded (
    sha256             VARCHAR PRIMARY KEY,
    file_name          VARCHAR NOT NULL,
    municipality_code  VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    replaced_by        VARCHAR NOT NULL,    -- file name of the file that replaced it
    replaced_by_sha256 VARCHAR NOT NULL,
    superseded_at      TIMESTAMP NOT NULL   -- UTC
);

CREATE SEQUENCE IF NOT EXISTS evaluation_seq;
-- One evaluation of one municipality in one year. At most one row per
-- (municipality_code, year): a report outranks an import, which outranks a
-- value stated in a later report.
CREATE TABLE IF NOT EXISTS evaluation (
    evaluation_id      INTEGER PRIMARY KEY DEFAULT nextval('evaluation_seq'),
    municipality_code  VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    month              INTEGER,
    framework          VARCHAR NOT NULL,    -- '2010' | '2020'
    origin             VARCHAR NOT NULL,    -- report | import | stated_in_report
    report_id          INTEGER NOT NULL,    -- the file it came from (for stated: the later report)
    evaluation_number  INTEGER,
    interviewees       INTEGER,
    evaluators         VARCHAR[] NOT NULL DEFAULT [],
    -- A report's: the sum of its area scores. A stated or imported evaluation's: the
    -- total its source states, else the sum of all eight areas, else NULL (an import
    -- row that gives only some areas and no total).
    total              DOUBLE,
    total_line         INTEGER,             -- line of the stated total, if any
    source_note        VARCHAR,             -- free text: "Sala 2019 i sala-2023.txt", kalla
    -- true when an import gave all eight areas and no total, so `total` is their sum
    -- (schema version 4)
    total_computed     BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (municipality_code, year)
);

-- The chosen score per area, with the line it came from and the area's own "Poäng".
-- For a stated evaluation, line is the summary table's header line (the parser
-- keeps one line per column of that table). Only the areas a source gives have rows:
-- an imported or stated evaluation may have fewer than eight.
CREATE TABLE IF NOT EXISTS area_score (
    evaluation_id  INTEGER NOT NULL,
    area           INTEGER NOT NULL,        -- 1..8 in the evaluation's framework
    score          DOUBLE NOT NULL,         -- 0..100
    line           INTEGER,
    stated_score   DOUBLE,
    stated_line    INTEGER,
    PRIMARY KEY (evaluation_id, area)
);

CREATE TABLE IF NOT EXISTS subarea_score (
    evaluation_id  INTEGER NOT NULL,
    area           INTEGER NOT NULL,
    code           VARCHAR NOT NULL,        -- "1.1"
    name           VARCHAR NOT NULL,
    score          DOUBLE NOT NULL,
    max            DOUBLE NOT NULL,
    line           INTEGER,
    PRIMARY KEY (evaluation_id, code)
);

-- Strengths, partial points and improvements, in report order.
CREATE TABLE IF NOT EXISTS finding (
    evaluation_id  INTEGER NOT NULL,
    area           INTEGER NOT NULL,
    kind           VARCHAR NOT NULL,        -- strengths | partial | improvements
    ordinal        INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    PRIMARY KEY (evaluation_id, area, kind, ordinal)
);

CREATE SEQUENCE IF NOT EXISTS reference_seq;
-- A mean (or other reference) per area: "Medel 2020-" stated in a report,
-- or imported with its source. total: as stated, else (imports) the sum of all eight
-- areas, else NULL; reference_score holds only the areas the source gives.
CREATE TABLE IF NOT EXISTS reference_series (
    reference_id      INTEGER PRIMARY KEY DEFAULT nextval('reference_seq'),
    label             VARCHAR NOT NULL,
    framework         VARCHAR NOT NULL,
    year              INTEGER,
    n_municipalities  INTEGER,
    total             DOUBLE,
    report_id         INTEGER NOT NULL,     -- the report or import file it came from
    source_note       VARCHAR,
    line              INTEGER,
    UNIQUE (label, framework, report_id)
);

CREATE TABLE IF NOT EXISTS reference_score (
    reference_id  INTEGER NOT NULL,
    area          INTEGER NOT NULL,
    score         DOUBLE NOT NULL,
    PRIMARY KEY (reference_id, area)
);

-- Where sources disagree about one number (rule in DESIGN.md, "Which number wins").
-- `chosen` is always the value the store keeps (what the app shows), `stated` the
-- other one. Kinds:
--   area_header | subarea_sum | summary_table | total: a report contradicts itself
--     (line: the report's line of the stated value);
--   import_total: an import row gives all eight areas and a total that differ by more
--     than 0.5; area NULL, stated = the sum of the eight areas, chosen = the row's
--     total, which `evaluation.total` keeps as the source states it (line: the CSV line);
--   published: a report and an imported or published result for the same municipality
--     and year disagree (beyond 0.5); the report wins. One row per area and for the
--     total (area NULL) where both give a value: stated = the import's value, chosen =
--     the report's, line = the import file's line, note = the import row's kalla (its
--     source). The rows belong to the report's evaluation, so they outlive the import.
CREATE TABLE IF NOT EXISTS discrepancy (
    evaluation_id  INTEGER NOT NULL,
    area           INTEGER,                 -- NULL for the total
    kind           VARCHAR NOT NULL,        -- see above
    stated         DOUBLE NOT NULL,
    chosen         DOUBLE NOT NULL,
    line           INTEGER,
    note           VARCHAR
);

-- Facts about the database itself: schema_version; content = 'synthetic' for a
-- database that `kompass demo` made (only such a database may be refilled by it).
CREATE TABLE IF NOT EXISTS meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- The bytes of every ingested report and imported CSV file (schema version 5), so that
-- `kompass reparse` can parse the reports again after a parser change. Written in the
-- transaction that stores the file; kept when a later file supersedes it. Each is at
-- most parse.text.MAX_BYTES (a report) or imports.MAX_IMPORT_BYTES (a CSV file).
-- Files stored before version 5 have none: ingesting them again keeps them.
CREATE TABLE IF NOT EXISTS original (
    sha256     VARCHAR PRIMARY KEY,         -- report.sha256 of the file
    file_name  VARCHAR NOT NULL,
    format     VARCHAR NOT NULL,            -- text | pdf | csv | published (as report.format)
    bytes      BLOB NOT NULL,
    kept_at    TIMESTAMP NOT NULL           -- UTC
);

-- Every write by the CLI and the app (schema version 5): who wrote which file, and what
-- came of it. The CLI's rows and the app's stored writes go in with the write itself
-- (kompass.store.audit); a refused or failed write in the app is recorded after it.
CREATE TABLE IF NOT EXISTS audit (
    recorded_at TIMESTAMP NOT NULL,         -- UTC (`at` is a keyword in DuckDB)
    via        VARCHAR NOT NULL,            -- cli | app
    who        VARCHAR,                     -- app: the signed-in user; cli: the OS user
    action     VARCHAR NOT NULL,            -- ingest | import-scores | upload | reparse | …
    file_name  VARCHAR,
    sha256     VARCHAR,                     -- NULL where the file could not be read
    result     VARCHAR NOT NULL             -- added | replaced | unchanged | failed: … | …
);
