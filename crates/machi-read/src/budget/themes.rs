//! Themes and numbering sequences of a scrambled section (南区 of seed `001`): which fund and theme a row
//! belongs to, and what its initial amount is, when the rows, theme headings and totals come out of the
//! extractor in the wrong order.
//!
//! Only the document's own sums decide. A theme heading `情報受発信の充実（1,668千円）` is followed by the
//! first row of its theme; the themes cover consecutive row numbers, so a theme runs from its first row to
//! the first row of the next theme (the last one to the end of the sequence). Such a range is *confirmed*
//! when its rows add up to the theme's amount, counting:
//!
//! - a row's certain initial amount;
//! - a row's one printed number whose column the layout leaves open (`(10) 1,576` under a four-column
//!   header): its initial amount, but only because the theme then adds up;
//! - a run of bare row numbers printed together (`(14)` `(15)` `(16)`) standing, in print order, for as
//!   many unnumbered parent rows of the section (the parents' own figures);
//! - at most one bare row (`(9)`) whose amount is what the theme leaves, when exactly one unplaced loose
//!   figure of the section equals it.
//!
//! A theme whose heading heads no row is accepted where exactly one split of a range (or the rows before
//! the first theme) makes both themes add up. A fund total printed without figures takes the sum of the
//! section's theme amounts when exactly one loose number equals it. A numbering sequence (the rows printed
//! `(N)` in one paren width) is one table, so once one of its themes is confirmed and the themes add up to a
//! fund's total, the whole sequence belongs to that fund; with exactly two funds in the section the other
//! sequence belongs to the other one. A block of `name` / `description。` pairs printed apart names the
//! sequence's nameless rows in number order when the counts agree ([`names_by_order`]). Everything short of
//! that is reported, never guessed.

use std::collections::{BTreeMap, HashMap, HashSet};

use machi_domain::{Phase, Yen};

use super::resolve::Alt;
use super::table::{Found, Row};
use super::tokens;
use crate::source::Line;

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
    /// Initial amount of a row settled by its theme's amount, and the line it was printed on (few rows:
    /// maps, not a slot per row).
    pub initial: HashMap<usize, (Yen, u32)>,
    /// For an unnumbered parent row: the bare numbered row (`(14)`) that numbers it.
    pub number_of: HashMap<usize, usize>,
    /// For a bare numbered row: the parent row it numbers.
    pub stands_for: HashMap<usize, usize>,
}

/// The certain initial amount of a row: one reading, with an initial value.
fn initial(alts: &[Alt]) -> Option<Yen> {
    super::resolve::certain_initial(alts).flatten()
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

/// How a row of a theme's range gets its initial amount.
enum Member {
    /// Its own single reading.
    Certain(usize),
    /// Its one printed number, whose column the layout leaves open: the initial amount only if the
    /// theme then adds up.
    Lone(usize, Yen, u32),
    /// A number printed alone (`(14)`) standing for an unnumbered parent row printed elsewhere.
    Paired { bare: usize, parent: usize },
    /// A number printed alone, with no figures: its amount may be the one figure the theme leaves.
    Bare(usize),
}

/// A theme range whose rows add up to the theme's amount.
struct Confirmed {
    members: Vec<Member>,
    /// The bare row, the figure found for it and that figure's line.
    fill: Option<(usize, Yen, u32)>,
}

/// A confirmed head of a range that a theme without an anchor splits: (range index, cut, confirmation).
type SplitHead = (usize, u32, Confirmed);

/// A number printed alone: no name, no description, and no figure that fits a column (a scrambled table
/// can print the next row's figures after it).
fn is_bare(r: &Row, alts: &[Alt]) -> bool {
    r.name.is_empty() && r.desc.is_empty() && alts.is_empty() && !r.is_parent
}

/// One printed number whose column is not certain: every reading puts that one value in one phase, and
/// the initial amount is among them.
fn lone(alts: &[Alt]) -> Option<Yen> {
    if alts.len() < 2 {
        return None;
    }
    let mut val: Option<Yen> = None;
    let mut has_initial = false;
    for a in alts {
        match a.as_slice() {
            [(p, Some(y))] if val.is_none_or(|v| v == *y) => {
                val = Some(*y);
                has_initial |= *p == Phase::Initial;
            }
            _ => return None,
        }
    }
    val.filter(|_| has_initial)
}

/// Row numbers one theme may span. Row numbers come from the text (up to six digits): without a bound, a
/// garbled `(1)` … `(99999)` would make the search for a theme's split quadratic in the gap.
const MAX_THEME_ROWS: u32 = 200;

/// Rows `first..end` as printed: `(12)–(16)`, or `(17)` for one.
fn span_text(first: u32, end: u32) -> String {
    if end > first + 1 {
        format!("({first})–({})", end - 1)
    } else {
        format!("({first})")
    }
}

/// What one numbering sequence of a section offers a theme check.
struct Seq<'a> {
    found: &'a Found,
    alts: &'a [Vec<Alt>],
    rows: &'a BTreeMap<u32, Vec<usize>>,
    /// Bare numbered row → the unnumbered parent row it stands for.
    pairs: HashMap<usize, usize>,
    /// Loose lines of the section holding one clean number: (line, value).
    loose: &'a [(u32, Yen)],
}

impl Seq<'_> {
    /// Do rows `first..end` add up to `amount`? Loose lines in `used` are taken already.
    fn confirm(&self, first: u32, end: u32, amount: Yen, used: &HashSet<u32>) -> Result<Confirmed, String> {
        if end.saturating_sub(first) > MAX_THEME_ROWS {
            return Err(format!("rows {} are too many for one theme; not checked", span_text(first, end)));
        }
        let mut known = 0i64;
        let mut members = Vec::new();
        let mut bare = Vec::new();
        let mut missing = Vec::new();
        for v in first..end {
            let Some(rs) = self.rows.get(&v) else {
                missing.push(format!("({v}) not found"));
                continue;
            };
            let &[r] = rs.as_slice() else {
                missing.push(format!("({v}) printed more than once"));
                continue;
            };
            let row = &self.found.rows[r];
            if let Some(y) = initial(&self.alts[r]) {
                known += y.get();
                members.push(Member::Certain(r));
            } else if let (Some(y), Some(l)) = (lone(&self.alts[r]), row.num_line) {
                known += y.get();
                members.push(Member::Lone(r, y, l));
            } else if let Some((&p, Some(y))) = self.pairs.get(&r).map(|p| (p, initial(&self.alts[*p]))) {
                known += y.get();
                members.push(Member::Paired { bare: r, parent: p });
            } else if is_bare(row, &self.alts[r]) {
                bare.push(r);
            } else {
                missing.push(format!("({v})"));
            }
        }
        let range = span_text(first, end);
        let gap = amount.get() - known;
        if !missing.is_empty() {
            return Err(format!(
                "rows {range} have {} certain; {} of the theme is left for {} without a certain initial amount",
                k(Yen::new(known)),
                k(Yen::new(gap)),
                missing.join(", ")
            ));
        }
        match bare.as_slice() {
            [] if gap == 0 => Ok(Confirmed { members, fill: None }),
            [] => Err(format!("rows {range} add up to {}; not confirmed", k(Yen::new(known)))),
            [r] if gap >= 0 => {
                let hits: Vec<&(u32, Yen)> =
                    self.loose.iter().filter(|(l, y)| y.get() == gap && !used.contains(l)).collect();
                match hits.as_slice() {
                    [(l, y)] => {
                        members.push(Member::Bare(*r));
                        Ok(Confirmed { members, fill: Some((*r, *y, *l)) })
                    }
                    _ => Err(format!(
                        "rows {range} have {} certain; the {} left for {}, printed without figures, is {} of the section's unplaced figures",
                        k(Yen::new(known)),
                        k(Yen::new(gap)),
                        self.found.rows[*r].number,
                        if hits.is_empty() { "none".to_string() } else { format!("{} ", hits.len()) }
                    )),
                }
            }
            _ => Err(format!(
                "rows {range} have {} certain; {} is left for {} rows printed without figures",
                k(Yen::new(known)),
                k(Yen::new(gap)),
                bare.len()
            )),
        }
    }
}

/// Bare numbered rows printed together (`(14)`, `(15)`, `(16)`, nothing else between them) and as many
/// unnumbered parent rows elsewhere in the section: the run numbers those parents, in print order. Only a
/// hypothesis until a theme's amount confirms it.
fn pairing(found: &Found, alts: &[Vec<Alt>], s: usize, rows: &BTreeMap<u32, Vec<usize>>) -> HashMap<usize, usize> {
    let parents: Vec<usize> = found
        .section_rows(s)
        .filter(|&i| {
            let r = &found.rows[i];
            r.section == s && r.number.is_empty() && r.is_parent && r.parent.is_none()
        })
        .collect();
    let mut bare: Vec<usize> = rows
        .values()
        .flatten()
        .copied()
        .filter(|&r| is_bare(&found.rows[r], &alts[r]) && found.rows[r].nums.is_empty())
        .collect();
    bare.sort_unstable();
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for r in bare {
        let joins = runs.last().and_then(|run| run.last()).is_some_and(|&prev| {
            let (a, b) = (&found.rows[prev], &found.rows[r]);
            prev + 1 == r
                && a.value.map(|v| v + 1) == b.value
                && !found.headings.iter().any(|h| h.section == s && a.line < h.line && h.line < b.line)
        });
        match runs.last_mut() {
            Some(run) if joins => run.push(r),
            _ => runs.push(vec![r]),
        }
    }
    let fitting: Vec<&Vec<usize>> = runs.iter().filter(|run| run.len() == parents.len() && run.len() >= 2).collect();
    match fitting.as_slice() {
        [run] => run.iter().copied().zip(parents).collect(),
        _ => HashMap::new(),
    }
}

/// Loose lines of section `s` that hold one clean number.
fn loose_singles(found: &Found, s: usize, unit: machi_domain::Unit) -> Vec<(u32, Yen)> {
    let (lo, hi) = span(found, s);
    // Loose lines are recorded in line order.
    let from = found.loose.partition_point(|(l, _, _)| *l < lo);
    let to = found.loose.partition_point(|(l, _, _)| *l <= hi);
    found.loose[from..to].iter().filter_map(|(l, text, _)| tokens::single_value(text, unit).map(|y| (*l, y))).collect()
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
    let loose = loose_singles(found, s, unit);

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
        if funds.iter().any(|(f, ..)| f == fund) {
            continue;
        }
        let hits: Vec<&(u32, Yen)> = loose.iter().filter(|(l, y)| *l > *line && y.get() == theme_sum).collect();
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
    let mut used: HashSet<u32> = out.used_loose.iter().copied().collect();

    // Numbered rows of the section by sequence, keyed by number value.
    let mut seqs: BTreeMap<bool, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
    for i in found.section_rows(s) {
        let r = &found.rows[i];
        if r.circled || r.parent.is_some() {
            continue;
        }
        if let (Some(w), Some(v)) = (sequence(&r.number), r.value) {
            seqs.entry(w).or_default().entry(v).or_default().push(i);
        }
    }
    // Anchors: the row printed right after a theme heading, nothing between them.
    let mut events: Vec<u32> = found.section_rows(s).map(|i| found.rows[i].line).collect();
    events.extend(found.headings.iter().filter(|h| h.section == s).map(|h| h.line));
    events.sort_unstable();
    // Which numbering sequence each theme heads (the sequence of the row printed right after it), and
    // the first row value of each theme per sequence.
    let mut anchored: HashMap<usize, bool> = HashMap::new();
    let mut anchors: BTreeMap<bool, Vec<(u32, usize)>> = BTreeMap::new();
    for (wide, rows) in &seqs {
        for (ti, (_, hline, _)) in themes.iter().enumerate() {
            let next = events.iter().find(|&&l| l > *hline).copied();
            let hit = rows.iter().find(|(_, rs)| rs.iter().any(|&r| Some(found.rows[r].line) == next));
            if let Some((v, _)) = hit {
                anchors.entry(*wide).or_default().push((*v, ti));
                anchored.insert(ti, *wide);
            }
        }
    }
    // A theme whose heading heads no row: its rows lie between the anchored themes' rows.
    let free: Vec<usize> = (0..themes.len()).filter(|ti| !anchored.contains_key(ti)).collect();
    let mut confirmed_seq: Option<(bool, i64)> = None;
    for (wide, rows) in &seqs {
        let Some(mut anchors) = anchors.remove(wide) else { continue };
        anchors.sort_unstable();
        let (Some(&min), Some(&max)) = (rows.keys().next(), rows.keys().next_back()) else { continue };
        let seq = Seq { found, alts, rows, pairs: pairing(found, alts, s, rows), loose: &loose };
        // A theme runs from its first row to the next theme's first row; the last one to the end of the
        // sequence (its amount says whether that is right).
        let ranges: Vec<(u32, u32, usize)> = anchors
            .iter()
            .enumerate()
            .map(|(a, &(first, ti))| (first, anchors.get(a + 1).map_or(max.saturating_add(1), |n| n.0), ti))
            .collect();
        let mut ranges = ranges;
        let mut results: Vec<Result<Confirmed, String>> = Vec::with_capacity(ranges.len());
        for &(first, end, ti) in &ranges {
            let r = seq.confirm(first, end, themes[ti].2, &used);
            if let Ok(Confirmed { fill: Some((_, _, l)), .. }) = &r {
                used.insert(*l);
            }
            results.push(r);
        }
        // One theme without an anchor: it is the rows before the first anchor, or the tail of a range
        // that does not add up alone; accepted only where exactly one such split makes both add up.
        let mut extra: Option<(u32, u32, usize, Confirmed)> = None;
        if let [u] = free.as_slice() {
            let mut options: Vec<(Option<SplitHead>, (u32, u32, Confirmed))> = Vec::new();
            if min < ranges[0].0 {
                if let Ok(c) = seq.confirm(min, ranges[0].0, themes[*u].2, &used) {
                    options.push((None, (min, ranges[0].0, c)));
                }
            }
            for (ri, &(first, end, ti)) in ranges.iter().enumerate() {
                if results[ri].is_ok() || end.saturating_sub(first) > MAX_THEME_ROWS {
                    continue;
                }
                for cut in first + 1..end {
                    let mut taken = used.clone();
                    let Ok(head) = seq.confirm(first, cut, themes[ti].2, &taken) else { continue };
                    if let Some((_, _, l)) = head.fill {
                        taken.insert(l);
                    }
                    if let Ok(tail) = seq.confirm(cut, end, themes[*u].2, &taken) {
                        options.push((Some((ri, cut, head)), (cut, end, tail)));
                    }
                }
            }
            if options.len() == 1 {
                if let Some((head, (a, b, tail))) = options.pop() {
                    let why = match head {
                        Some((ri, cut, c)) => {
                            if let Some((_, _, l)) = c.fill {
                                used.insert(l);
                            }
                            results[ri] = Ok(c);
                            let (first, end, _) = ranges[ri];
                            ranges[ri].1 = cut;
                            format!("the only split of rows {} where both themes add up", span_text(first, end))
                        }
                        None => "the rows before the first theme that heads one, which add up to it".to_string(),
                    };
                    out.diags.push((
                        themes[*u].1,
                        "theme-confirmed",
                        format!(
                            "theme {:?} ({}) heads no row: it is rows {}, {why}",
                            themes[*u].0,
                            k(themes[*u].2),
                            span_text(a, b)
                        ),
                    ));
                    if let Some((_, _, l)) = tail.fill {
                        used.insert(l);
                    }
                    extra = Some((a, b, *u, tail));
                }
            }
        }
        let mut confirmed = 0;
        let accepted = |first: u32, end: u32, ti: usize, c: Confirmed, out: &mut Settled| {
            let (title, hline, amount) = themes[ti];
            let mut how = Vec::new();
            for m in c.members {
                match m {
                    Member::Certain(r) => out.pillar[r] = Some(title.to_string()),
                    Member::Lone(r, y, l) => {
                        out.pillar[r] = Some(title.to_string());
                        out.initial.insert(r, (y, l));
                        how.push(format!("{} {} (line {l}) is its initial amount", found.rows[r].number, k(y)));
                    }
                    Member::Paired { bare, parent } => {
                        out.pillar[parent] = Some(title.to_string());
                        out.number_of.insert(parent, bare);
                        out.stands_for.insert(bare, parent);
                        how.push(format!(
                            "{} (line {}) is {:?} (line {})",
                            found.rows[bare].number,
                            found.rows[bare].line,
                            found.rows[parent].joined_name(),
                            found.rows[parent].line
                        ));
                    }
                    Member::Bare(r) => out.pillar[r] = Some(title.to_string()),
                }
            }
            if let Some((r, y, l)) = c.fill {
                out.initial.insert(r, (y, l));
                out.used_loose.push(l);
                how.push(format!(
                    "{} is {} (line {l}), the one unplaced figure equal to what the theme leaves for it",
                    found.rows[r].number,
                    k(y)
                ));
            }
            if !how.is_empty() {
                let range = span_text(first, end);
                out.diags.push((
                    hline,
                    "theme-confirmed",
                    format!("theme {title:?} ({}) = rows {range}, as {}", k(amount), how.join("; ")),
                ));
            }
        };
        for ((first, end, ti), r) in ranges.iter().copied().zip(results) {
            let (title, hline, amount) = themes[ti];
            match r {
                Ok(c) => {
                    confirmed += 1;
                    accepted(first, end, ti, c, out);
                }
                Err(why) => {
                    out.diags.push((hline, "theme-unconfirmed", format!("theme {title:?} ({}): {why}", k(amount))))
                }
            }
        }
        if let Some((a, b, u, c)) = extra {
            confirmed += 1;
            accepted(a, b, u, c, out);
        }
        if confirmed > 0 {
            if let Some((f, _, _)) = funds.iter().find(|(_, v, _)| *v == theme_sum) {
                confirmed_seq = Some((*wide, theme_sum));
                for &r in rows.values().flatten() {
                    out.fund[r] = Some(f.clone());
                    if let Some(p) = out.stands_for.get(&r).copied() {
                        out.fund[p] = Some(f.clone());
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
        .section_rows(s)
        .map(|i| found.rows[i].line)
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

/// A name given to a row from a block of names printed apart from the table.
#[derive(Debug)]
pub(crate) struct GivenName {
    pub name: String,
    pub desc: String,
    pub is_new: bool,
}

/// Names given in print order, the lines they came from, and what was done (line, message).
#[derive(Debug, Default)]
pub(crate) struct Named {
    pub rows: HashMap<usize, GivenName>,
    pub lines: HashSet<u32>,
    pub diags: Vec<(u32, String)>,
}

/// The name column of a scrambled table can come out as one block of `name` / `description。` pairs,
/// apart from the rows (南区 lines 1050–1069). When a section holds exactly one such run of pairs and it has
/// as many pairs as the rows of a confirmed numbering sequence that have figures but no name, the names go
/// to those rows in number order, as the table printed them. Any other count names nothing.
pub(crate) fn names_by_order(
    found: &Found,
    lines: &[Line],
    sections: &[super::layout::Section],
    settled: &Settled,
    alts: &[Vec<Alt>],
) -> Named {
    let mut out = Named::default();
    let text = |n: u32| lines.get((n as usize).wrapping_sub(1)).map_or("", |l| l.norm());
    let mut all_skipped = found.skipped.clone();
    all_skipped.sort_unstable();
    for (s, sec) in sections.iter().enumerate() {
        let mut nameless: Vec<usize> = found
            .section_rows(s)
            .filter(|&i| {
                let r = &found.rows[i];
                settled.fund[i].is_some()
                    && !r.circled
                    && r.parent.is_none()
                    && r.name.is_empty()
                    && settled.stands_for.get(&i).copied().is_none()
                    && (initial(&alts[i]).is_some() || settled.initial.get(&i).copied().is_some())
            })
            .collect();
        if nameless.is_empty() {
            continue;
        }
        nameless.sort_by_key(|&i| found.rows[i].value);
        // Skipped lines of the section, split into blocks (only blank lines inside a block) and
        // paragraphs (a blank line between).
        let (first, last) = (sec.start as u32 + 1, sec.end as u32);
        let from = all_skipped.partition_point(|l| *l < first);
        let to = all_skipped.partition_point(|l| *l <= last);
        let skipped = &all_skipped[from..to];
        let mut blocks: Vec<Vec<Vec<u32>>> = Vec::new();
        let mut prev: Option<u32> = None;
        for &l in skipped {
            let between_blank = prev.is_some_and(|p| (p + 1..l).all(|m| text(m).is_empty()));
            match (prev, blocks.last_mut()) {
                (Some(p), Some(block)) if between_blank && p + 1 == l => {
                    if let Some(par) = block.last_mut() {
                        par.push(l);
                    }
                }
                (Some(_), Some(block)) if between_blank => block.push(vec![l]),
                _ => blocks.push(vec![vec![l]]),
            }
            prev = Some(l);
        }
        let fits = |par: &Vec<u32>| {
            let (desc, name) = match par.split_last() {
                Some(x) => x,
                None => return false,
            };
            !name.is_empty() && text(*desc).ends_with('。') && name.iter().all(|&l| !text(l).ends_with('。'))
        };
        // Runs of consecutive fitting paragraphs: a title or a heading in the same block ends a run.
        let mut runs: Vec<Vec<&Vec<u32>>> = Vec::new();
        for block in &blocks {
            let mut run: Vec<&Vec<u32>> = Vec::new();
            for par in block {
                if fits(par) {
                    run.push(par);
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
        }
        let cands: Vec<&Vec<&Vec<u32>>> = runs.iter().filter(|r| r.len() == nameless.len()).collect();
        let [block] = cands.as_slice() else { continue };
        for (&r, par) in nameless.iter().zip(block.iter()) {
            let Some((desc, name_lines)) = par.split_last() else { continue };
            let raw: String = name_lines.iter().map(|&l| text(l)).collect();
            let (_, tags) = machi_domain::number::split_tags(&raw);
            out.rows.insert(
                r,
                GivenName {
                    name: super::table::clean_name(&raw),
                    desc: text(*desc).to_string(),
                    is_new: raw.contains("(新規)") || tags.iter().any(|t| t == "新規"),
                },
            );
            out.lines.extend(par.iter().copied());
        }
        let (Some(&a), Some(&b)) = (nameless.first(), nameless.last()) else { continue };
        let (start, end) = (block[0][0], block.last().and_then(|p| p.last()).copied().unwrap_or(block[0][0]));
        out.diags.push((
            start,
            format!(
                "lines {start}–{end}: {} names printed apart from their rows, given in number order to rows {}–{}, the {} rows of the table with figures but no name",
                nameless.len(),
                found.rows[a].number,
                found.rows[b].number,
                nameless.len()
            ),
        ));
    }
    out
}
