-- The decoded text of each published source, so that every value can be shown with the lines it was
-- read from. Interchange imports have no source text.
CREATE TABLE sources (
    document_id TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text        TEXT NOT NULL
);
