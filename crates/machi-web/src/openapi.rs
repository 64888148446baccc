//! The OpenAPI 3.1 document served at `/api/openapi.json`, written by hand with `serde_json::json!` (no
//! code generation). Tests check that every route is in it and that the JSON routes' responses match
//! their schemas, so it cannot drift from the code unnoticed.

use serde_json::{json, Value};

fn nullable(t: &str) -> Value {
    json!({ "type": [t, "null"] })
}

fn string_array() -> Value {
    json!({ "type": "array", "items": { "type": "string" } })
}

fn sums_props() -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for k in ["initial_yen", "last_budget_yen", "settled_yen", "unspent_yen"] {
        m.insert(k.into(), nullable("integer"));
    }
    for k in ["execution_rate_initial", "execution_rate_last"] {
        m.insert(k.into(), nullable("number"));
    }
    for k in ["projects", "cancelled", "totals_ok", "totals_ng"] {
        m.insert(k.into(), json!({ "type": "integer", "minimum": 0 }));
    }
    m
}

fn with(mut m: serde_json::Map<String, Value>, extra: Value) -> serde_json::Map<String, Value> {
    if let Value::Object(e) = extra {
        m.extend(e);
    }
    m
}

fn object(props: serde_json::Map<String, Value>) -> Value {
    let required: Vec<String> = props.keys().cloned().collect();
    json!({ "type": "object", "required": required, "properties": props })
}

fn obj(v: Value) -> Value {
    match v {
        Value::Object(m) => object(m),
        other => other,
    }
}

fn schemas() -> Value {
    let amount = obj(json!({
        "project_id": { "type": "string" },
        "phase": { "type": "string", "pattern": "^(initial|revised_(0[1-9]|1[0-2])|settled)$" },
        "amount_yen": nullable("integer"),
        "source_line": nullable("integer"),
    }));
    let project = obj(json!({
        "project_id": { "type": "string" },
        "document_id": { "type": "string" },
        "parent_project_id": nullable("string"),
        "municipality": { "type": "string" },
        "area": { "type": "string" },
        "fiscal_year": nullable("integer"),
        "fund": { "type": "string" },
        "pillar": { "type": "string" },
        "number": { "type": "string" },
        "name": { "type": "string" },
        "description": { "type": "string" },
        "is_new": { "type": "boolean" },
        "status": { "type": "string", "enum": ["planned", "done", "cancelled", "postponed", "not_started"] },
        "status_note": { "type": "string" },
        "department": { "type": "string" },
        "tags": string_array(),
        "source_line": nullable("integer"),
        "amounts": { "type": "array", "items": { "$ref": "#/components/schemas/Amount" } },
    }));
    let lineage = obj(json!({
        "project_id": { "type": "string" },
        "url": { "type": "string" },
        "fiscal_year": nullable("integer"),
        "number": { "type": "string" },
        "name": { "type": "string" },
        "fund": { "type": "string" },
        "score": { "type": "number", "minimum": 0, "maximum": 1 },
        "confidence": { "type": "string", "enum": ["high", "medium", "low"] },
        "reasons": string_array(),
    }));
    let area_year = object(with(sums_props(), json!({ "fiscal_year": nullable("integer") })));
    let area = obj(json!({
        "area_id": nullable("string"),
        "municipality": { "type": "string" },
        "name": { "type": "string" },
        "kind": nullable("string"),
        "lg_code": nullable("string"),
        "years": { "type": "array", "items": { "$ref": "#/components/schemas/AreaYear" } },
    }));
    let total = obj(json!({
        "document_id": { "type": "string" },
        "area": { "type": "string" },
        "fiscal_year": nullable("integer"),
        "scope_kind": { "type": "string", "enum": ["fund", "pillar", "project", "document"] },
        "scope": { "type": "string" },
        "phase": { "type": "string" },
        "stated_yen": nullable("integer"),
        "computed_yen": { "type": "integer" },
        "difference_yen": nullable("integer"),
        "status": { "type": "string", "enum": ["match", "rounding", "mismatch", "incomplete"] },
        "ok": { "type": "boolean" },
        "source_line": nullable("integer"),
    }));
    let kpi = obj(json!({
        "kpi_id": { "type": "string" },
        "policy_id": nullable("string"),
        "indicator": { "type": "string" },
        "unit": { "type": "string" },
        "kind": { "type": "string" },
        "baseline_year": nullable("integer"),
        "baseline_value": nullable("string"),
        "target_year": nullable("integer"),
        "target_value": nullable("string"),
        "latest_year": nullable("integer"),
        "latest_value": nullable("string"),
        "progress_pct": nullable("number"),
        "progress_raw": nullable("number"),
        "status": { "type": "string", "enum": ["achieved", "on_track", "caution", "behind", "no_data"] },
        "stale": { "type": "boolean" },
        "notes": string_array(),
    }));
    let hit = obj(json!({
        "kind": { "type": "string", "enum": ["project", "policy", "kpi", "action"] },
        "id": { "type": "string" },
        "url": { "type": "string" },
        "title": { "type": "string" },
        "text": { "type": "string" },
        "fiscal_year": nullable("integer"),
        "area": { "type": "string" },
    }));
    let paged = |item: &str| {
        obj(json!({
            "total": { "type": "integer", "minimum": 0 },
            "limit": { "type": "integer", "minimum": 1 },
            "offset": { "type": "integer", "minimum": 0 },
            "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } },
        }))
    };
    let items = |item: &str| {
        obj(json!({ "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } } }))
    };
    json!({
        "Amount": amount,
        "Project": project,
        "Lineage": lineage,
        "AreaYear": area_year,
        "Area": area,
        "Total": total,
        "Kpi": kpi,
        "Hit": hit,
        "AreasResponse": obj(json!({ "areas": { "type": "array", "items": { "$ref": "#/components/schemas/Area" } } })),
        "ProjectsResponse": paged("Project"),
        "AmountsResponse": paged("Amount"),
        "ProjectResponse": obj(json!({
            "project": { "$ref": "#/components/schemas/Project" },
            "line_items": { "type": "array", "items": { "$ref": "#/components/schemas/Project" } },
            "lineage": { "type": "array", "items": { "$ref": "#/components/schemas/Lineage" } },
        })),
        "TotalsResponse": items("Total"),
        "KpisResponse": items("Kpi"),
        "SearchResponse": obj(json!({
            "query": { "type": "string" },
            "total": { "type": "integer", "minimum": 0 },
            "items": { "type": "array", "items": { "$ref": "#/components/schemas/Hit" } },
        })),
        "Page": { "type": "object", "description": "The view model of an HTML page (its `.json` twin)." },
    })
}

fn param(name: &str, ty: &str, desc: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": ty }, "description": desc })
}

fn path_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })
}

fn json_op(summary: &str, schema: &str, params: Vec<Value>) -> Value {
    json!({ "get": {
        "summary": summary,
        "parameters": params,
        "responses": {
            "200": {
                "description": "OK (with an ETag; send If-None-Match for a 304)",
                "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }
            },
            "304": { "description": "Not modified" },
            "400": { "description": "A parameter does not parse" },
            "404": { "description": "Not found" }
        }
    }})
}

fn page_op(summary: &str, params: Vec<Value>) -> Value {
    json!({ "get": {
        "summary": summary,
        "description": "HTML page (Japanese; `?lang=en` for English). The same path with `.json` gives its view model, and with `.csv` its main table (UTF-8 with BOM).",
        "parameters": params,
        "responses": {
            "200": { "description": "OK", "content": {
                "text/html": { "schema": { "type": "string" } },
                "application/json": { "schema": { "$ref": "#/components/schemas/Page" } }
            } },
            "404": { "description": "Not found" }
        }
    }})
}

/// The whole document.
pub(crate) fn document() -> Value {
    let filters = || {
        vec![
            param("municipality", "string", "municipality name (熊本市)"),
            param("area", "string", "area name (北区)"),
            param("year", "integer", "fiscal year (2020 = 令和2年度)"),
            param("fund", "string", "fund name (まちづくり推進経費)"),
            param("status", "string", "planned, done, cancelled, postponed, not_started"),
            param("limit", "integer", "page size, 1–500 (default 500)"),
            param("offset", "integer", "rows to skip"),
        ]
    };
    let lang = || vec![param("lang", "string", "ja (default) or en; remembered in a cookie")];
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "machi API",
            "version": "1",
            "description": "まちづくり budgets, plans and KPIs as published by Japanese municipalities. Amounts are whole yen; fiscal years are western years (令和2年度 = 2020). Read-only."
        },
        "paths": {
            "/api/v1/areas": json_op("Areas with per-year sums", "AreasResponse", vec![]),
            "/api/v1/projects": json_op("Projects (top-level and line items), filtered and paged", "ProjectsResponse", filters()),
            "/api/v1/projects/{id}": json_op("One project with line items and lineage", "ProjectResponse", vec![path_param("id")]),
            "/api/v1/amounts": json_op("Amounts per project and phase, filtered like projects", "AmountsResponse", filters()),
            "/api/v1/totals": json_op("Stated totals and their reconciliation", "TotalsResponse",
                vec![param("area", "string", "area name"), param("year", "integer", "fiscal year")]),
            "/api/v1/kpis": json_op("KPIs with progress", "KpisResponse", vec![]),
            "/api/v1/search": json_op("Full-text search (NFKC substring; two-character words work)", "SearchResponse",
                vec![param("q", "string", "words, all must match"), param("year", "integer", "fiscal year"),
                     param("area", "string", "area"), param("fund", "string", "fund"), param("status", "string", "status")]),
            "/api/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OK" } } } },
            "/": page_op("Overview", lang()),
            "/areas/{area}/{year}": page_op("Area sheet in the published layout", vec![path_param("area"), path_param("year")]),
            "/projects/{id}": page_op("Project: phases, line items, lineage, sources", vec![path_param("id")]),
            "/plans": page_op("Policy tree, KPIs and actions", lang()),
            "/compare": page_op("Areas or years side by side", vec![param("year", "integer", "compare areas in this year"), param("area", "string", "compare years of this area")]),
            "/search": page_op("Search", vec![param("q", "string", "words"), param("year", "integer", ""), param("area", "string", ""), param("fund", "string", ""), param("status", "string", "")]),
            "/documents": page_op("Imported documents", lang()),
            "/documents/{id}": page_op("One document with its diagnostics", vec![path_param("id")]),
            "/download/machi-interchange.zip": { "get": {
                "summary": "The whole ledger as the interchange folder (CSV files and datapackage.json), zipped",
                "responses": { "200": { "description": "OK", "content": { "application/zip": { "schema": { "type": "string", "format": "binary" } } } } }
            } },
            "/assets/{name}": { "get": { "summary": "Embedded CSS and JavaScript", "parameters": [path_param("name")],
                "responses": { "200": { "description": "OK" }, "404": { "description": "Not found" } } } }
        },
        "components": { "schemas": schemas() }
    })
}
