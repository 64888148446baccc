//! Fund totals printed apart from their labels, and what their sums confirm.
//!
//! 中央区 prints its totals as two lines of figures (`17,000 8,600 7,088`, `10,000 10,000 6,422`, lines
//! 331–333) and only then their labels, each a fund name over a bare `計` (`まちづくり推進経費` / `計`,
//! `復興支援自治推進経費` / `計`, lines 335–341), in the same order. A figure line is paired with a label
//! only when nothing but blank lines lies between them and the lines and labels match one to one.
//!
//! A pairing is still only a reading: it is confirmed when every paired fund's rows add up, in the
//! initial column, to the first figure of its line (a table prints its columns in phase order, initial
//! first). Rows carrying a fund marker (`【復興支援自治推進経費】`) are that fund's; the rows without one are
//! the one paired fund no marker names. Two kinds of candidates may complete the sums, and only the one
//! choice of them that makes *every* fund add up is taken:
//!
//! - a single figure glued in front of the number of a row that has no figures (`1,5001 地域リーダー応援
//!   事業`, line 97): that row's initial amount;
//! - a block shaped like a row but printed without a number (`【新規】 運動でつながる中央区事業`, a
//!   description, `1,300`, lines 214–221): a row of the table.
//!
//! When the sums confirm the pairing, the funds of the unmarked rows are set, the first figures become
//! the funds' initial totals, and the other figures of each line, whose columns no header names, are
//! reported. Otherwise nothing is placed and every figure stays reported as before.

use std::collections::HashSet;

use machi_domain::{Unit, Yen};

use super::layout::Section;
use super::resolve::{certain_initial, Alt};
use super::table::Found;
use super::themes::Settled;
use super::tokens;

/// Most candidates whose combinations are tried (2^12 sums).
const MAX_CANDIDATES: usize = 12;

/// What the apart totals confirmed beyond [`Settled`].
#[derive(Debug, Default)]
pub(crate) struct Apart {
    /// Unnumbered candidate rows confirmed as rows.
    pub rows: HashSet<usize>,
    /// Figures of a confirmed total line left unplaced: (line, message).
    pub warnings: Vec<(u32, String)>,
    /// The number of a confirmed unnumbered row, printed apart from it, as printed.
    pub numbers: std::collections::HashMap<usize, String>,
}

/// A candidate: the row it completes, its value and the line it was printed on.
struct Candidate {
    row: usize,
    value: Yen,
    line: u32,
    /// A lead figure (the row exists) rather than an unnumbered row.
    lead: bool,
}

pub(crate) fn settle(found: &Found, alts: &[Vec<Alt>], sections: &[Section], unit: Unit, out: &mut Settled) -> Apart {
    let mut apart = Apart::default();
    for (s, sec) in sections.iter().enumerate() {
        // Section line numbers are 1-based; `start..end` are line indexes.
        let (lo, hi) = (sec.start as u32 + 1, sec.end as u32);
        if out.totals.iter().any(|t| t.0 == s) {
            continue;
        }
        section(found, alts, s, lo..=hi, unit, out, &mut apart);
    }
    apart
}

fn section(
    found: &Found,
    alts: &[Vec<Alt>],
    s: usize,
    span: std::ops::RangeInclusive<u32>,
    unit: Unit,
    out: &mut Settled,
    apart: &mut Apart,
) {
    // Labels with a fund, in line order, each with the line it starts on (its fund name's line).
    let labels: Vec<(u32, u32, &str)> = found
        .bare_totals
        .iter()
        .filter(|(sec, line, _)| *sec == s && !out.found_for.contains(line))
        .filter_map(|(_, line, fund)| {
            let first = found.label_lines.iter().find(|(l, _)| l == line).map_or(*line, |(_, n)| *n);
            fund.as_deref().map(|f| (*line, first, f))
        })
        .collect();
    if labels.is_empty() {
        return;
    }
    // Every line something was recorded on, but the labels' own lines.
    let label_lines: HashSet<u32> = labels.iter().flat_map(|(l, n, _)| [*l, *n]).collect();
    let rows: Vec<usize> = found.section_rows(s).collect();
    let mut events: Vec<u32> = rows
        .iter()
        .flat_map(|&i| [Some(found.rows[i].line), found.rows[i].num_line])
        .flatten()
        .chain(found.loose.iter().map(|(l, _, _)| *l))
        .chain(found.skipped.iter().copied())
        .chain(found.headings.iter().filter(|h| h.section == s).map(|h| h.line))
        .chain(found.totals.iter().filter(|t| t.section == s).map(|t| t.line))
        .filter(|l| span.contains(l) && !label_lines.contains(l))
        .collect();
    events.sort_unstable();
    events.dedup();
    // The labels follow one another with nothing recorded between them.
    let first_label = labels[0].1;
    let last_label = labels[labels.len() - 1].0;
    if events.iter().any(|l| (first_label..=last_label).contains(l)) {
        return;
    }
    // As many figure lines right before the first label, each nothing but numbers.
    let before: Vec<u32> = events.iter().copied().filter(|l| *l < first_label).collect();
    let Some(fig_lines) = before.len().checked_sub(labels.len()).map(|k| &before[k..]) else { return };
    let mut figures: Vec<(u32, Vec<tokens::NumTok>)> = Vec::new();
    for &l in fig_lines {
        let Some((_, text, _)) = found.loose.iter().find(|(x, _, _)| *x == l) else { return };
        let Some(toks) = tokens::all_numbers(text, unit) else { return };
        match toks.first() {
            Some(t) if t.is_clean() && t.readings[0][0].is_some() => figures.push((l, toks)),
            _ => return,
        }
    }
    let stated: Vec<Yen> = figures.iter().filter_map(|(_, t)| t[0].readings[0][0]).collect();
    let funds: Vec<&str> = labels.iter().map(|(_, _, f)| *f).collect();
    if stated.len() != funds.len() {
        return;
    }

    // Which fund each row is: its marker's, or the one paired fund no marker names.
    let marked: HashSet<&str> = rows.iter().filter_map(|&i| found.rows[i].fund_marker.as_deref()).collect();
    if marked.iter().any(|m| !funds.contains(m)) {
        return;
    }
    let unmarked: Vec<usize> = (0..funds.len()).filter(|&k| !marked.contains(funds[k])).collect();
    let fund_of = |i: usize| -> Option<usize> {
        match found.rows[i].fund_marker.as_deref() {
            Some(m) => funds.iter().position(|f| *f == m),
            None => match unmarked.as_slice() {
                [one] => Some(*one),
                _ => None,
            },
        }
    };

    // Certain sums, and the candidates.
    let mut sums = vec![0i64; funds.len()];
    let mut cands: Vec<Candidate> = Vec::new();
    for &i in &rows {
        let r = &found.rows[i];
        if r.parent.is_some() {
            continue;
        }
        let Some(k) = fund_of(i) else { return };
        let init = certain_initial(&alts[i]);
        if r.unnumbered {
            match (init, r.num_line) {
                (Some(Some(y)), Some(line)) => cands.push(Candidate { row: i, value: y, line, lead: false }),
                _ => return,
            }
            continue;
        }
        match init {
            Some(v) => sums[k] += v.map_or(0, Yen::get),
            None if r.num_line.is_none() && alts[i].is_empty() => {
                // A row without figures: only a lead glued in front of it can complete it.
                let lead = found.leads.iter().find(|(row, _, _)| *row == i);
                match lead.and_then(|(_, line, t)| t.readings[0][0].map(|y| (y, *line))) {
                    Some((y, line)) => cands.push(Candidate { row: i, value: y, line, lead: true }),
                    None => return,
                }
            }
            None => return,
        }
    }
    if cands.len() > MAX_CANDIDATES {
        return;
    }
    // The one choice of candidates that makes every fund add up.
    let mut choice: Option<u32> = None;
    for mask in 0u32..(1 << cands.len()) {
        let mut got = sums.clone();
        for (c, cand) in cands.iter().enumerate() {
            if mask & (1 << c) != 0 {
                if let Some(k) = fund_of(cand.row) {
                    got[k] += cand.value.get();
                }
            }
        }
        if got.iter().zip(&stated).all(|(g, s)| *g == s.get()) {
            if choice.is_some() {
                return;
            }
            choice = Some(mask);
        }
    }
    let Some(mask) = choice else { return };

    let show = |y: Yen| y.display_in(unit);
    for (k, ((fig_line, toks), (label, _, fund))) in figures.iter().zip(&labels).enumerate() {
        out.totals.push((s, fund.to_string(), stated[k], *fig_line));
        out.used_loose.push(*fig_line);
        out.found_for.push(*label);
        let n = rows.iter().filter(|&&i| found.rows[i].parent.is_none() && fund_of(i) == Some(k)).count();
        out.diags.push((
            *fig_line,
            "total-apart",
            format!(
                "figures on this line are the total of {fund:?} (label at line {label}): its {n} rows add up to {} in the initial column",
                show(stated[k])
            ),
        ));
        if toks.len() > 1 {
            let rest: Vec<&str> = toks[1..].iter().map(|t| t.text.as_str()).collect();
            apart.warnings.push((
                *fig_line,
                format!(
                    "{:?}: figures of the total of {fund:?} after its initial {}; no column header here says which phases they are; not placed",
                    rest.join(" "),
                    show(stated[k])
                ),
            ));
        }
    }
    for &i in &rows {
        if found.rows[i].fund_marker.is_none() && found.rows[i].parent.is_none() {
            if let Some(k) = fund_of(i) {
                out.fund[i] = Some(funds[k].to_string());
            }
        }
    }
    let mut confirmed = Vec::new();
    for (c, cand) in cands.iter().enumerate() {
        let r = &found.rows[cand.row];
        if mask & (1 << c) == 0 {
            // Not part of the one choice: an unnumbered candidate is not a row, a lead not its row's.
            continue;
        }
        out.used_loose.push(cand.line);
        if cand.lead {
            out.initial.insert(cand.row, (cand.value, cand.line));
            out.diags.push((
                cand.line,
                "lead-placed",
                format!(
                    "{} glued in front of row {} is its initial amount: the fund totals add up with it",
                    show(cand.value),
                    r.number
                ),
            ));
        } else {
            apart.rows.insert(cand.row);
            confirmed.push(cand.row);
            out.diags.push((
                r.line,
                "unnumbered-row",
                format!(
                    "{:?} (lines {}–{}) is printed like a row without its number; stored as a row with {} (line {}): the fund totals add up with it",
                    r.joined_name(),
                    r.line,
                    cand.line,
                    show(cand.value),
                    cand.line
                ),
            ));
        }
    }
    if let [row] = confirmed.as_slice() {
        number_apart(found, &rows, *row, &span, out, apart);
    }
}

/// The number of the one confirmed unnumbered row, when the table's plain numbers run 1 to N with exactly
/// one missing and that number is printed alone on a loose line of the section (中央区 `14`, line 323):
/// every other number is taken, so the row without one is that one.
fn number_apart(
    found: &Found,
    rows: &[usize],
    row: usize,
    span: &std::ops::RangeInclusive<u32>,
    out: &mut Settled,
    apart: &mut Apart,
) {
    let mut values: Vec<u32> = rows
        .iter()
        .map(|&i| &found.rows[i])
        .filter(|r| r.parent.is_none() && !r.circled && !r.unnumbered)
        .filter_map(|r| r.value)
        .collect();
    values.sort_unstable();
    let n = values.len() as u32 + 1;
    // Each of 1..=n once, but one.
    if values.windows(2).any(|w| w[0] == w[1]) || values.iter().any(|v| *v == 0 || *v > n) {
        return;
    }
    let missing: Vec<u32> = (1..=n).filter(|v| values.binary_search(v).is_err()).collect();
    let [m] = missing.as_slice() else { return };
    let used: HashSet<u32> = out.used_loose.iter().copied().collect();
    let hits: Vec<(u32, &str)> = found
        .loose
        .iter()
        .filter(|(l, _, _)| span.contains(l) && !used.contains(l))
        .filter(|(_, text, _)| {
            !text.contains(',') && tokens::single_value(text, Unit::Yen).is_some_and(|y| y.get() == i64::from(*m))
        })
        .map(|(l, text, _)| (*l, text.as_str()))
        .collect();
    let [(line, printed)] = hits.as_slice() else { return };
    apart.numbers.insert(row, printed.trim().to_string());
    out.used_loose.push(*line);
    out.diags.push((
        *line,
        "row-number-apart",
        format!(
            "{printed} printed alone numbers {:?} (line {}): the table's rows are numbered 1–{n} and only {m} is not printed on a row",
            found.rows[row].joined_name(),
            found.rows[row].line
        ),
    ));
}
