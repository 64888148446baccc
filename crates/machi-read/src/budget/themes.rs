//! Themes and numbering sequences of a scrambled section (南区 of seed `001`): which fund and theme a row
//! belongs to when the rows, theme headings and totals come out of the extractor in the wrong order.
//!
//! Only the document's own sums decide. A theme heading `情報受発信の充実（1,668千円）` is followed by the
//! first row of its theme; the themes cover consecutive row numbers, so a theme runs from its first row to
//! the first row of the next theme. Such a range is *confirmed* when every row in it has a certain initial
//! amount and they add up to the theme's amount. A fund total printed without figures takes the sum of
//! the section's theme amounts when exactly one loose number equals it. A numbering sequence (the rows
//! printed `(N)` in one paren width) is one table, so once one of its themes is confirmed and the themes add
//! up to a fund's total, the whole sequence belongs to that fund; with exactly two funds in the section the
//! other sequence belongs to the other one. Everything short of that is reported, never guessed.

use std::collections::{BTreeMap, HashMap};

use machi_domain::{Phase, Yen};

use super::resolve::Alt;
use super::table::Found;
use super::tokens;

/// What the themes and sums settle, per row (indexes into `Found::rows`) and per section.
#[derive(Debug, Default)]
pub(crate) struct Settled {
    /// Fund of a row, when its sequence is confirmed.
    pub fund: Vec<Option<String>>,
    /// Theme of a row, when its theme range is confirmed.
    pub pillar: Vec<Option<String>>,
    /// Parent of an orphaned line item, when the parent's amount confirms it.
    pub parent: Vec<Option<usize>>,
    /// Fund totals found for a label printed without figures: (section, fund, initial, line of the figure).
    pub totals: Vec<(usize, String, Yen, u32)>,
    /// Loose lines used for those totals.
    pub used_loose: Vec<u32>,
    /// Lines of the total labels those figures were found for.
    pub found_for: Vec<u32>,
    /// (line, code, message).
    pub diags: Vec<(u32, &'static str, String)>,
}

/// The certain initial amount of a row: one reading, with an initial value.
fn initial(alts: &[Alt]) -> Option<Yen> {
    match alts {
        [one] => one.iter().find(|(p, _)| *p == Phase::Initial).and_then(|(_, v)| *v),
        _ => None,
    }
}

/// Paren width of a printed row number: `(3)` and `（3）` are two numbering sequences.
fn sequence(printed: &str) -> Option<bool> {
    let first = printed.chars().next()?;
    match first {
        '(' => Some(false),
        '（' => Some(true),
        _ => None,
    }
}

fn k(y: Yen) -> String {
    machi_domain::money::group_thousands(y.get().unsigned_abs() / 1000)
}

/// Settle themes, sequences and bare totals. `total_initial[i]` is the certain initial figure of
/// `found.totals[i]`.
pub(crate) fn settle(
    found: &Found,
    alts: &[Vec<Alt>],
    total_initial: &[Option<Yen>],
    sections: usize,
    unit: machi_domain::Unit,
) -> Settled {
    let n = found.rows.len();
    let mut out = Settled { fund: vec![None; n], pillar: vec![None; n], parent: vec![None; n], ..Settled::default() };
    // Only sections with two or more theme amounts have anything to settle; count them in one pass.
    let mut themed = vec![0usize; sections];
    for h in &found.headings {
        if matches!(h.stated, Some((_, Phase::Initial))) {
            if let Some(c) = themed.get_mut(h.section) {
                *c += 1;
            }
        }
    }
    for (s, _) in themed.iter().enumerate().filter(|(_, c)| **c >= 2) {
        section(found, alts, total_initial, s, unit, &mut out);
    }
    orphans(found, alts, &mut out);
    out
}

fn section(
    found: &Found,
    alts: &[Vec<Alt>],
    total_initial: &[Option<Yen>],
    s: usize,
    unit: machi_domain::Unit,
    out: &mut Settled,
) {
    // Themes: headings with a stated initial amount.
    let themes: Vec<(&str, u32, Yen)> = found
        .headings
        .iter()
        .filter(|h| h.section == s)
        .filter_map(|h| match &h.stated {
            Some((t, Phase::Initial)) if t.is_clean() => t.readings[0][0].map(|y| (h.title.as_str(), h.line, y)),
            _ => None,
        })
        .collect();
    if themes.len() < 2 {
        return;
    }
    let theme_sum: i64 = themes.iter().map(|t| t.2.get()).sum();

    // Fund totals of the section with a certain initial figure.
    let mut funds: Vec<(String, i64, u32)> = found
        .totals
        .iter()
        .zip(total_initial)
        .filter(|(t, _)| t.section == s && !t.fund.is_empty())
        .filter_map(|(t, v)| v.map(|y| (t.fund.clone(), y.get(), t.line)))
        .collect();
    // A total label without figures: the loose number equal to the theme amounts' sum is its figure.
    for (_, line, fund) in found.bare_totals.iter().filter(|(sec, _, _)| *sec == s) {
        let Some(fund) = fund else { continue };
        let (lo, hi) = span(found, s);
        if funds.iter().any(|(f, ..)| f == fund) {
            continue;
        }
        let hits: Vec<(u32, Yen)> = found
            .loose
            .iter()
            .filter(|(l, text, _)| *l > *line && !text.is_empty() && lo <= *l && *l <= hi)
            .filter_map(|(l, text, _)| {
                let nums = tokens::all_numbers(text, unit)?;
                match nums.as_slice() {
                    [one] if one.is_clean() => one.readings[0][0].filter(|y| y.get() == theme_sum).map(|y| (*l, y)),
                    _ => None,
                }
            })
            .collect();
        if let [(l, y)] = hits.as_slice() {
            out.totals.push((s, fund.clone(), *y, *l));
            out.used_loose.push(*l);
            out.found_for.push(*line);
            funds.push((fund.clone(), y.get(), *l));
            out.diags.push((
                *line,
                "total-figure-found",
                format!(
                    "total of {fund:?} printed without figures: {} (line {l}) is its initial figure, being the sum of the {} theme amounts",
                    k(*y),
                    themes.len()
                ),
            ));
        }
    }

    // Numbered rows of the section by sequence, keyed by number value.
    let mut seqs: BTreeMap<bool, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
    for (i, r) in found.rows.iter().enumerate() {
        if r.section != s || r.circled || r.parent.is_some() {
            continue;
        }
        if let (Some(w), Some(v)) = (sequence(&r.number), r.value) {
            seqs.entry(w).or_default().entry(v).or_default().push(i);
        }
    }
    // Anchors: the row printed right after a theme heading, nothing between them.
    let mut events: Vec<u32> = found.rows.iter().filter(|r| r.section == s).map(|r| r.line).collect();
    events.extend(found.headings.iter().filter(|h| h.section == s).map(|h| h.line));
    events.sort_unstable();
    let mut confirmed_seq: Option<(bool, i64)> = None;
    // Which numbering sequence each theme heads (the sequence of the row printed right after it).
    let mut anchored: HashMap<usize, bool> = HashMap::new();
    for (wide, rows) in &seqs {
        let mut anchors: Vec<(u32, usize)> = Vec::new(); // (first value, theme index)
        for (ti, (_, hline, _)) in themes.iter().enumerate() {
            let next = events.iter().find(|&&l| l > *hline).copied();
            let hit = rows.iter().find(|(_, rs)| rs.iter().any(|&r| Some(found.rows[r].line) == next));
            if let Some((v, _)) = hit {
                anchors.push((*v, ti));
                anchored.insert(ti, *wide);
            }
        }
        anchors.sort_unstable();
        let mut confirmed = 0;
        for (a, &(first, ti)) in anchors.iter().enumerate() {
            let (title, hline, amount) = themes[ti];
            let Some(&(end, _)) = anchors.get(a + 1) else {
                out.diags.push((
                    hline,
                    "theme-unconfirmed",
                    format!(
                        "theme {title:?} ({}) starts at row ({first}); where it ends is not certain, so its rows are not checked against it",
                        k(amount)
                    ),
                ));
                continue;
            };
            let mut known = 0i64;
            let mut missing = Vec::new();
            let mut members = Vec::new();
            for v in first..end {
                match rows.get(&v).map(Vec::as_slice) {
                    Some([r]) => match initial(&alts[*r]) {
                        Some(y) => {
                            known += y.get();
                            members.push(*r);
                        }
                        None => missing.push(format!("({v})")),
                    },
                    Some(_) => missing.push(format!("({v}) printed more than once")),
                    None => missing.push(format!("({v}) not found")),
                }
            }
            if missing.is_empty() && known == amount.get() {
                confirmed += 1;
                for r in members {
                    out.pillar[r] = Some(title.to_string());
                }
            } else if missing.is_empty() {
                out.diags.push((
                    hline,
                    "theme-unconfirmed",
                    format!(
                        "theme {title:?} ({}): rows ({first})–({}) add up to {}; not confirmed",
                        k(amount),
                        end - 1,
                        k(Yen::new(known))
                    ),
                ));
            } else {
                out.diags.push((
                    hline,
                    "theme-unconfirmed",
                    format!(
                        "theme {title:?} ({}): rows ({first})–({}) have {} certain; {} of the theme is left for {} without a certain initial amount",
                        k(amount),
                        end - 1,
                        k(Yen::new(known)),
                        k(Yen::new(amount.get() - known)),
                        missing.join(", ")
                    ),
                ));
            }
        }
        if confirmed > 0 {
            if let Some((f, _, _)) = funds.iter().find(|(_, v, _)| *v == theme_sum) {
                confirmed_seq = Some((*wide, theme_sum));
                for rs in rows.values() {
                    for &r in rs {
                        out.fund[r] = Some(f.clone());
                    }
                }
            }
        }
    }
    // A row of one numbering sequence printed under a theme heading that heads the other sequence is
    // a row of the other table that the extractor dropped there (南区 （8） among the (N) rows): that
    // theme is not its theme, and nothing tells which one is.
    for (wide, rows) in &seqs {
        for &r in rows.values().flatten() {
            let row = &found.rows[r];
            let foreign = themes
                .iter()
                .enumerate()
                .any(|(ti, (title, ..))| **title == *row.pillar && anchored.get(&ti).is_some_and(|w| w != wide));
            if foreign && out.pillar[r].is_none() {
                out.pillar[r] = Some(String::new());
                out.diags.push((
                    row.line,
                    "theme-unknown",
                    format!(
                        "row {} is printed under the theme {:?}, which heads the other numbering sequence; its theme is left unset",
                        row.number, row.pillar
                    ),
                ));
            }
        }
    }
    // Two funds, two sequences, one confirmed: the other sequence is the other fund's table.
    if let (Some((wide, sum)), 2, 2) = (confirmed_seq, funds.len(), seqs.len()) {
        let other = funds.iter().find(|(_, v, _)| *v != sum).map(|(f, ..)| f.clone());
        if let (Some(f), Some(rows)) = (other, seqs.get(&!wide)) {
            for rs in rows.values() {
                for &r in rs {
                    out.fund[r] = Some(f.clone());
                }
            }
        }
    }
}

fn span(found: &Found, s: usize) -> (u32, u32) {
    // Sections are contiguous: a section spans its first to last recorded row or total label, widened a
    // little for figures printed after the last label.
    let lines = found
        .rows
        .iter()
        .filter(|r| r.section == s)
        .map(|r| r.line)
        .chain(found.bare_totals.iter().filter(|t| t.0 == s).map(|t| t.1))
        .chain(found.totals.iter().filter(|t| t.section == s).map(|t| t.line));
    let (lo, hi) = lines.fold((u32::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
    (lo, hi.saturating_add(50))
}

/// A line item printed away from its parent (`②おいしいもの…` before `(3) …バスツアー`): attached when
/// exactly one parent lacks that item number and its initial amount is the sum of its items with it.
fn orphans(found: &Found, alts: &[Vec<Alt>], out: &mut Settled) {
    // Parents by (section, initial amount still unaccounted for by their items): one pass, so that a long
    // document is not searched once per line item.
    let mut kids: HashMap<usize, Vec<usize>> = HashMap::new();
    for (c, r) in found.rows.iter().enumerate() {
        if let Some(p) = r.parent {
            kids.entry(p).or_default().push(c);
        }
    }
    let mut open: HashMap<(usize, i64), Vec<usize>> = HashMap::new();
    for (&p, ks) in &kids {
        if found.rows[p].circled {
            continue;
        }
        let Some(total) = initial(&alts[p]) else { continue };
        let mut sum = 0;
        let mut certain = true;
        for &c in ks {
            match initial(&alts[c]) {
                Some(y) => sum += y.get(),
                None => certain = false,
            }
        }
        if certain && total.get() > sum {
            open.entry((found.rows[p].section, total.get() - sum)).or_default().push(p);
        }
    }
    if open.is_empty() {
        return;
    }
    for (i, r) in found.rows.iter().enumerate() {
        if !r.circled || r.parent.is_some() {
            continue;
        }
        let (Some(v), Some(own)) = (r.value, initial(&alts[i])) else { continue };
        let Some(ps) = open.get(&(r.section, own.get())) else { continue };
        let cands: Vec<usize> = ps
            .iter()
            .copied()
            .filter(|p| kids.get(p).is_some_and(|ks| ks.iter().all(|&c| found.rows[c].value != Some(v))))
            .collect();
        if let [p] = cands.as_slice() {
            out.parent[i] = Some(*p);
            out.diags.push((
                r.line,
                "item-attached",
                format!(
                    "line item {} printed apart from its parent (line {}): attached, as the parent's initial amount is the sum of its items with it",
                    r.number, found.rows[*p].line
                ),
            ));
        }
    }
}
