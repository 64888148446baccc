//! Chart data as the page embeds it: a JSON block that `assets/app.js` turns into a Chart.js chart with
//! a pattern and a label per series (so it reads without colour) next to the table that holds the same
//! numbers (so it reads without the chart, and prints).

use serde::Serialize;

/// One chart.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    /// Element id of the embedded data block.
    pub id: String,
    /// `bar` or `line`.
    pub kind: &'static str,
    /// Category labels (project names, areas, years).
    pub labels: Vec<String>,
    pub datasets: Vec<Dataset>,
    /// What the value axis measures (`千円`).
    pub y_label: String,
    /// Horizontal bars, for long Japanese project names.
    pub horizontal: bool,
}

/// One series.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Dataset {
    pub label: String,
    pub data: Vec<Option<f64>>,
}

/// Yen to 千円 as a chart value.
pub(crate) fn k(yen: Option<i64>) -> Option<f64> {
    yen.map(|y| y as f64 / 1000.0)
}
