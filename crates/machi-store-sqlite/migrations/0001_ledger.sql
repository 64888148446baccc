-- The ledger, one table per interchange file. Never edit a migration once released: add a new one.

CREATE TABLE documents (
    id                TEXT PRIMARY KEY NOT NULL,
    title             TEXT NOT NULL,
    municipality_code TEXT,
    municipality      TEXT NOT NULL,
    fiscal_year       INTEGER,
    unit              TEXT,
    source_name       TEXT NOT NULL,
    source_sha256     TEXT NOT NULL UNIQUE,
    imported_at       TEXT NOT NULL
);

CREATE TABLE areas (
    id           TEXT PRIMARY KEY NOT NULL,
    municipality TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    parent_id    TEXT REFERENCES areas(id),
    lg_code      TEXT
);

CREATE TABLE policies (
    id                TEXT PRIMARY KEY NOT NULL,
    document_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    parent_id         TEXT REFERENCES policies(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    code              TEXT NOT NULL,
    title             TEXT NOT NULL,
    stated_amount_yen INTEGER,
    source_line       INTEGER
);
CREATE INDEX policies_document ON policies(document_id);
CREATE INDEX policies_parent ON policies(parent_id);

CREATE TABLE projects (
    id           TEXT PRIMARY KEY NOT NULL,
    document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    parent_id    TEXT REFERENCES projects(id) ON DELETE CASCADE,
    municipality TEXT NOT NULL,
    area         TEXT NOT NULL,
    fiscal_year  INTEGER,
    fund         TEXT NOT NULL,
    pillar       TEXT NOT NULL,
    number       TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    is_new       INTEGER NOT NULL,
    status       TEXT NOT NULL,
    status_note  TEXT NOT NULL,
    department   TEXT NOT NULL,
    tags         TEXT NOT NULL,
    source_line  INTEGER
);
CREATE INDEX projects_document ON projects(document_id);
CREATE INDEX projects_parent ON projects(parent_id);
CREATE INDEX projects_area_year ON projects(area, fiscal_year);

CREATE TABLE amounts (
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    phase       TEXT NOT NULL,
    amount_yen  INTEGER,
    source_line INTEGER,
    PRIMARY KEY (project_id, phase)
);

CREATE TABLE totals (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    area        TEXT NOT NULL,
    scope_kind  TEXT NOT NULL,
    scope       TEXT NOT NULL,
    phase       TEXT NOT NULL,
    stated_yen  INTEGER,
    source_line INTEGER
);
CREATE INDEX totals_document ON totals(document_id);

CREATE TABLE kpis (
    id             TEXT PRIMARY KEY NOT NULL,
    document_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    policy_id      TEXT REFERENCES policies(id) ON DELETE SET NULL,
    indicator      TEXT NOT NULL,
    unit           TEXT NOT NULL,
    cumulative     INTEGER NOT NULL,
    baseline_year  INTEGER,
    baseline_value TEXT,
    target_year    INTEGER,
    target_value   TEXT,
    department     TEXT NOT NULL,
    source_line    INTEGER
);
CREATE INDEX kpis_document ON kpis(document_id);

CREATE TABLE kpi_observations (
    kpi_id      TEXT NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    fiscal_year INTEGER NOT NULL,
    value       TEXT NOT NULL,
    source_line INTEGER,
    PRIMARY KEY (kpi_id, fiscal_year)
);

CREATE TABLE actions (
    id          TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    policy_id   TEXT REFERENCES policies(id) ON DELETE SET NULL,
    number      TEXT NOT NULL,
    description TEXT NOT NULL,
    department  TEXT NOT NULL,
    status      TEXT NOT NULL,
    first_year  INTEGER,
    last_year   INTEGER,
    record      TEXT NOT NULL,
    source_line INTEGER
);
CREATE INDEX actions_document ON actions(document_id);

CREATE TABLE diagnostics (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    line        INTEGER,
    severity    TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX diagnostics_document ON diagnostics(document_id);
