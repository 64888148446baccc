//! The budget-sheet reader: a まちづくり budget sheet (the text a PDF extractor made of it) into one
//! [`Document`](machi_domain::Document) with its areas, group headings, projects, amounts per phase, stated totals and
//! diagnostics.
//!
//! Reading goes in four steps: find what the document says about itself ([`layout::facts`]), classify
//! every line ([`classify`]), walk each ward section collecting rows ([`table`]), and place numbers in
//! phases ([`resolve`]) — by the column header when the layout makes that certain, by the stated totals
//! when it does not. A number that cannot be placed is never guessed: it becomes a diagnostic naming its
//! line and the readings that were considered. Two layouts need the totals to confirm more than a
//! column: scrambled theme tables ([`themes`], 南区) and totals printed before their labels ([`apart`],
//! 中央区). The themed newsletter layout (`●`, `○`, `◆`… items in 万円) has its own small reader
//! ([`newsletter`]).
//!
//! The column count alone never makes a reading certain when the text allows another: a figure that
//! reads as one amount or as two glued together (`430450`), or a row's figures printed one per line,
//! is placed only when its fund total adds up with it. A parent's figures decide its line items as a
//! fund total decides its rows; loose runs of figures after a table are matched to columns by their
//! sums, and columns with equal totals only when their runs are equal too.

mod apart;
mod classify;
mod headings;
mod layout;
mod newsletter;
mod resolve;
mod status;
mod table;
mod themes;
mod tokens;
mod vision;

use std::collections::{BTreeMap, HashMap};

use machi_domain::{
    ids, lgcode, Amount, Area, AreaKind, Diagnostic, Ledger, Phase, PolicyKind, PolicyNode, Project, ScopeKind,
    Severity, StatedTotal, Status, Unit, Yen,
};

use crate::source::{ReadError, ReadOptions, SourceText};
use resolve::{Alt, Settled};
use table::{Found, Row};
use tokens::{NumTok, Val};

/// What a row's fund total confirms of its readings: a reading only the column count chose (a glued
/// figure read whole, cells one per line) is placed in the columns confirmed.
/// One per row of a long document, so it is small: the columns of `Columns` are kept once per total.
#[derive(Debug, Clone, Copy)]
enum Confirmed {
    /// The total does not add up in any column (or the row has none).
    Nothing,
    /// The rows add up only in the columns of this entry of the totals' column list.
    Columns(usize),
    /// The rows add up in every column.
    All,
}

/// The end of a message about a doubtful reading: which of its columns the fund total confirmed.
fn confirmed_only(phases: &[Phase]) -> String {
    if phases.is_empty() {
        "no fund total confirms the reading; not placed".to_string()
    } else {
        let names: Vec<String> = phases.iter().map(|p| p.label_ja()).collect();
        format!("the fund total confirms {} only, which are placed; the other columns are not", names.join(", "))
    }
}

/// Read a budget sheet into a ledger holding one document.
///
/// Never fails on messy content: what cannot be read with certainty is left out and reported in
/// `diagnostics`, by line. Fails only when `opts.municipality` names no known municipality.
pub fn read(src: &SourceText, opts: &ReadOptions) -> Result<Ledger, ReadError> {
    let mut r = Reader::new(src, opts);
    r.run()?;
    Ok(r.ledger)
}

struct Reader<'a> {
    src: &'a SourceText,
    opts: &'a ReadOptions,
    doc_id: String,
    ledger: Ledger,
    unit: Unit,
}

/// An alternative's values in phase order, one per phase, as a map built from it would hold them: for a
/// phase given twice the later value wins. Takes the alternative and sorts it in place.
fn by_phase(mut a: Alt) -> Alt {
    // Stable, so a repeated phase keeps its values in their order.
    a.sort_by_key(|(p, _)| *p);
    // `dedup_by` keeps the first of a run; the later value is carried back into it.
    a.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = later.1;
        }
        same
    });
    a
}

fn describe_alt(a: &Alt, unit: Unit) -> String {
    a.iter()
        .map(|(p, v)| format!("{}={}", p.code(), v.map_or("―".to_string(), |y| y.display_in(unit))))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Reader<'a> {
    fn new(src: &'a SourceText, opts: &'a ReadOptions) -> Self {
        Reader { src, opts, doc_id: src.document_id(), ledger: Ledger::default(), unit: Unit::Thousand }
    }

    fn diag(&mut self, line: Option<u32>, severity: Severity, code: &str, message: String) {
        self.ledger.diagnostics.push(Diagnostic {
            document_id: self.doc_id.clone(),
            line,
            severity,
            code: code.into(),
            message,
        });
    }

    fn run(&mut self) -> Result<(), ReadError> {
        let lines = &self.src.lines;
        let facts = layout::facts(lines);
        let mut diags = Vec::new();
        let muni_name = facts.municipality.as_ref().map(|(m, _)| m.as_str());
        // A newsletter is told by its items: the bullet they carry.
        let item_bullet = newsletter::item_bullet(lines);
        let is_newsletter = item_bullet.is_some();
        let stated_unit =
            facts.unit.map(|(u, _)| u).or_else(|| is_newsletter.then(|| newsletter::printed_unit(lines)).flatten());
        let unit = stated_unit.unwrap_or(Unit::Thousand);
        self.unit = unit;
        let doc = self.src.document(
            self.opts,
            &facts.title,
            muni_name,
            facts.fiscal_year.map(|(y, _)| y),
            stated_unit,
            &mut diags,
        )?;
        self.ledger.diagnostics.extend(diags);
        if stated_unit.is_none() {
            self.diag(None, Severity::Warning, "no-unit", "the document states no unit; amounts read in 千円".into());
        }
        if facts.fiscal_year.is_none() && self.opts.fiscal_year.is_none() {
            self.diag(None, Severity::Warning, "no-fiscal-year", "the document states no fiscal year".into());
        }
        let city = doc.municipality.clone();
        let fiscal_year = doc.fiscal_year;
        let city_area = if city.is_empty() {
            None
        } else {
            let code = doc.municipality_code.map(|c| c.as_str().to_string());
            let id = ids::area_id(&city, AreaKind::City, &city, code.as_deref());
            self.ledger.areas.push(Area {
                id: id.clone(),
                municipality: city.clone(),
                kind: AreaKind::City,
                name: city.clone(),
                parent_id: None,
                lg_code: doc.municipality_code,
            });
            Some(id)
        };
        self.ledger.documents.push(doc);

        if let Some(item_bullet) = item_bullet {
            let ctx = newsletter::Ctx {
                doc_id: &self.doc_id,
                municipality: &city,
                fiscal_year,
                city_area: city_area.clone(),
                item_bullet,
            };
            newsletter::read(lines, &ctx, &mut self.ledger);
            return Ok(());
        }

        let city_opt = (!city.is_empty()).then_some(city.as_str());
        let sections = layout::sections(lines, unit, city_opt);
        let mut found = Found { year: fiscal_year.map(|y| y.year()), ..Found::default() };
        // Room for the rows up front: grown by doubling, the vector of 300,000 rows copies itself some
        // twenty times and its freed copies add up to its own size. A row takes four lines or more in the
        // table layouts (number, name, description, figures) and one in the inline ones, so a quarter of
        // the lines is enough for most documents; pages of it that are never written cost no memory.
        found.rows.reserve(lines.len() / 4);
        for (si, s) in sections.iter().enumerate() {
            table::walk(&mut found, si, lines, s.start..s.end, unit);
        }

        // Areas: each ward under the city; sub-areas from tags under their ward.
        let mut ward_ids: HashMap<String, String> = HashMap::new();
        for s in &sections {
            if s.ward.is_empty() || ward_ids.contains_key(&s.ward) {
                continue;
            }
            let code = lgcode::ward_code(&city, &s.ward);
            let id = ids::area_id(&city, AreaKind::Ward, &s.ward, code.as_ref().map(|c| c.as_str()));
            self.ledger.areas.push(Area {
                id: id.clone(),
                municipality: city.clone(),
                kind: AreaKind::Ward,
                name: s.ward.clone(),
                parent_id: city_area.clone(),
                lg_code: code,
            });
            ward_ids.insert(s.ward.clone(), id);
        }
        let mut sub_seen = Vec::new();
        for row in &found.rows {
            let ward = &sections[row.section].ward;
            for t in &row.tags {
                if !sub_seen.contains(&(ward.clone(), t.clone())) {
                    sub_seen.push((ward.clone(), t.clone()));
                    self.ledger.areas.push(Area {
                        id: ids::area_id(&city, AreaKind::Other, &format!("{ward}/{t}"), None),
                        municipality: city.clone(),
                        kind: AreaKind::Other,
                        name: t.clone(),
                        parent_id: ward_ids.get(ward).cloned(),
                        lg_code: None,
                    });
                }
            }
        }

        self.place(&mut found, &sections, &city, fiscal_year);
        Ok(())
    }

    /// Phases and alternatives for a row's numbers.
    fn row_alts(&self, found: &Found, row: &Row) -> Vec<Alt> {
        let Some(line) = row.num_line else { return vec![] };
        self.alts_at(found, row.section, line, &row.nums)
    }

    fn alts_at(&self, found: &Found, section: usize, line: u32, nums: &[NumTok]) -> Vec<Alt> {
        let headers = &found.headers[section];
        let extra = &found.extra[section];
        match resolve::phases_for(headers, line, nums.len()) {
            Some(p) => resolve::alternatives(nums, p, extra),
            None => vec![],
        }
    }

    fn place(
        &mut self,
        found: &mut Found,
        sections: &[layout::Section],
        city: &str,
        fy: Option<machi_domain::FiscalYear>,
    ) {
        let unit = self.unit;
        let doc_id = self.doc_id.clone();
        // Room for a total in four phases for every heading, fund total and parent row: a long document
        // states hundreds of thousands, and a vector grown by doubling copies itself each time.
        let parents = found.rows.iter().filter(|r| r.is_parent).count();
        self.ledger.totals.reserve(4 * (found.headings.len() + found.totals.len() + parents));
        self.ledger.policies.reserve(found.headings.len());
        for &(line, year) in &found.other_year_headers {
            self.diag(
                Some(line),
                Severity::Warning,
                "other-year-header",
                format!(
                    "column header of fiscal year {year}, not the document's {}: its columns are not read as this year's phases",
                    found.year.map_or_else(String::new, |y| y.to_string())
                ),
            );
        }
        // Policy nodes for group headings.
        for h in &found.headings {
            let n = self.ledger.policies.len() + 1;
            let id = ids::policy_id(&doc_id, n);
            let stated = h.stated.as_ref().and_then(|(t, _)| t.readings[0][0]);
            self.ledger.policies.push(PolicyNode {
                id,
                document_id: doc_id.clone(),
                parent_id: None,
                kind: PolicyKind::Theme,
                code: String::new(),
                title: h.title.clone(),
                stated_amount: stated,
                source_line: Some(h.line),
            });
            let ward = sections[h.section].ward.clone();
            if let Some((t, phase)) = &h.stated {
                self.ledger.totals.push(StatedTotal {
                    document_id: doc_id.clone(),
                    area: ward.clone(),
                    scope_kind: ScopeKind::Pillar,
                    scope: h.title.clone(),
                    phase: *phase,
                    stated: t.readings[0][0],
                    source_line: Some(h.line),
                });
            }
            if !h.nums.is_empty() {
                let alts = self.alts_at(found, h.section, h.line, &h.nums);
                if alts.len() == 1 {
                    for (p, v) in &alts[0] {
                        self.ledger.totals.push(StatedTotal {
                            document_id: doc_id.clone(),
                            area: ward.clone(),
                            scope_kind: ScopeKind::Pillar,
                            scope: h.title.clone(),
                            phase: *p,
                            stated: *v,
                            source_line: Some(h.line),
                        });
                    }
                } else {
                    let texts = tokens::printed(&h.nums);
                    self.diag(
                        Some(h.line),
                        Severity::Warning,
                        "unplaced-number",
                        format!(
                            "heading {:?}: figures {:?} not placed; {} readings considered",
                            h.title,
                            texts,
                            alts.len()
                        ),
                    );
                }
            }
        }

        // Alternatives for every row.
        let mut alts: Vec<Vec<Alt>> = found.rows.iter().map(|r| self.row_alts(found, r)).collect();
        let mut placed: Vec<Option<BTreeMap<Phase, Val>>> = vec![None; found.rows.len()];
        let mut runs_placed: Vec<(usize, Phase, Yen, u32)> = Vec::new();
        // A row keeps the fund of its table unless the totals leave it unconfirmed: a flag per row
        // instead of a copy of every row's fund name.
        let mut fund_confirmed: Vec<bool> = vec![true; found.rows.len()];
        // What each row's fund total confirms of its readings.
        let mut confirmed: Vec<Confirmed> = vec![Confirmed::Nothing; found.rows.len()];
        let mut confirmed_columns: Vec<Vec<Phase>> = Vec::new();
        // Each total's readings, computed once for the three passes below.
        let total_alts: Vec<Vec<Alt>> =
            found.totals.iter().map(|t| self.alts_at(found, t.section, t.line, &t.nums)).collect();
        let total_initial: Vec<Option<Yen>> =
            total_alts.iter().map(|a| resolve::certain_initial(a).flatten()).collect();
        let mut themed = themes::settle(found, &alts, &total_initial, sections.len(), unit);
        let apart = apart::settle(found, &alts, sections, unit, &mut themed);
        for (line, msg) in &apart.warnings {
            self.diag(Some(*line), Severity::Warning, "unplaced-number", msg.clone());
        }
        // A confirmed unnumbered row's lines, and a label's fund name, are no longer skipped or stray.
        for &i in &apart.rows {
            let r = &found.rows[i];
            let lines = r.line..=r.num_line.unwrap_or(r.line);
            found.skipped.retain(|l| !lines.contains(l));
            found.stray_markers.retain(|(l, _)| !lines.contains(l));
        }
        let named_labels: Vec<u32> =
            found.label_lines.iter().filter(|(l, _)| themed.found_for.contains(l)).map(|(_, n)| *n).collect();
        found.skipped.retain(|l| !named_labels.contains(l));
        for (s, fund, y, line) in &themed.totals {
            self.ledger.totals.push(StatedTotal {
                document_id: doc_id.clone(),
                area: sections[*s].ward.clone(),
                scope_kind: ScopeKind::Fund,
                scope: fund.clone(),
                phase: Phase::Initial,
                stated: Some(*y),
                source_line: Some(*line),
            });
        }
        for (line, code, msg) in &themed.diags {
            self.diag(Some(*line), Severity::Info, code, msg.clone());
        }

        // Settle each fund against its total.
        for (ti, t) in found.totals.iter().enumerate() {
            let talts = &total_alts[ti];
            let ward = sections[t.section].ward.clone();
            if talts.len() != 1 {
                let texts = tokens::printed(&t.nums);
                self.diag(
                    Some(t.line),
                    Severity::Warning,
                    "unplaced-total",
                    format!("total of {:?}: figures {:?} fit no column header with certainty", t.fund, texts),
                );
                continue;
            }
            let stated: BTreeMap<Phase, Val> = talts[0].iter().copied().collect();
            for (p, v) in &stated {
                self.ledger.totals.push(StatedTotal {
                    document_id: doc_id.clone(),
                    area: ward.clone(),
                    scope_kind: ScopeKind::Fund,
                    scope: t.fund.clone(),
                    phase: *p,
                    stated: *v,
                    source_line: Some(t.line),
                });
            }
            for l in &t.lead {
                let extra = &found.extra[t.section];
                let which = if extra.is_empty() {
                    "a column the document does not name".to_string()
                } else {
                    format!(
                        "a column not in the header ({})",
                        extra.iter().map(|p| p.label_ja()).collect::<Vec<_>>().join(", ")
                    )
                };
                self.diag(
                    Some(t.line),
                    Severity::Warning,
                    "unplaced-number",
                    format!(
                        "{} glued in front of the total of {:?}: may be the total of {which}; not placed",
                        l.text, t.fund
                    ),
                );
            }
            let need: BTreeMap<Phase, i64> = stated.iter().filter_map(|(p, v)| v.map(|y| (*p, y.get()))).collect();
            let rows: Vec<&[Alt]> = t.rows.iter().map(|&r| alts[r].as_slice()).collect();
            // Rows without a choice only need their sums checked (most funds are all such rows).
            let settled = rows.iter().any(|a| a.len() > 1).then(|| resolve::settle(&rows, &need));
            let reconciles = match &settled {
                Some(s) => matches!(s, Settled::Placed(_)),
                None => resolve::adds_up(&rows, &need),
            };
            // Rows that add up in some columns only: those columns settle the rows with a choice, and
            // confirm the doubtful readings' cells in them.
            let partial = if reconciles { None } else { resolve::settle_columns(&rows, &need) };
            let columns_adding_up: Vec<Phase> = partial
                .as_ref()
                .map(|(_, columns)| columns.iter().copied().filter(|p| need.get(p) != Some(&0)).collect())
                .unwrap_or_default();
            let verdict = match (reconciles, columns_adding_up.is_empty()) {
                (true, _) => Confirmed::All,
                (false, false) => {
                    confirmed_columns.push(columns_adding_up.clone());
                    Confirmed::Columns(confirmed_columns.len() - 1)
                }
                (false, true) => Confirmed::Nothing,
            };
            for &r in &t.rows {
                confirmed[r] = verdict;
            }
            // A column that adds up to its total shows the rows are the fund's, even if another does not.
            if !reconciles && columns_adding_up.is_empty() && rows.iter().any(|a| !a.is_empty()) {
                // The rows before this total do not add up to it: it is not certain they are its fund's
                // (unless their theme and numbering sequence settled it).
                let mut unset = 0;
                for &r in &t.rows {
                    if found.rows[r].fund_marker.is_none() {
                        fund_confirmed[r] = false;
                        unset += usize::from(themed.fund[r].is_none());
                    }
                }
                if unset > 0 {
                    self.diag(
                        Some(t.line),
                        Severity::Warning,
                        "fund-unconfirmed",
                        format!(
                            "{unset} of the {} rows before the total of {:?} are not confirmed as its fund's (the rows do not add up to it); their fund is left unset",
                            t.rows.len(),
                            t.fund
                        ),
                    );
                }
                continue;
            }
            let Some(settled) = settled else { continue };
            match settled {
                Settled::Placed(mut p) => {
                    for (k, &r) in t.rows.iter().enumerate() {
                        if alts[r].len() > 1 {
                            placed[r] = Some(std::mem::take(&mut p[k]));
                        }
                    }
                }
                Settled::NoCombination => match partial {
                    Some((mut agreed, columns)) => {
                        for (k, &r) in t.rows.iter().enumerate() {
                            if alts[r].len() > 1 {
                                placed[r] = Some(std::mem::take(&mut agreed[k]));
                            }
                        }
                        let names: Vec<String> = columns.iter().map(|p| p.label_ja()).collect();
                        self.diag(
                            Some(t.line),
                            Severity::Warning,
                            "totals-do-not-reconcile",
                            format!(
                                "the rows of {:?} add up to the stated total in {} only: the ambiguous rows are placed in those columns, not in the others",
                                t.fund,
                                names.join(", ")
                            ),
                        );
                    }
                    None => self.diag(
                        Some(t.line),
                        Severity::Warning,
                        "totals-do-not-reconcile",
                        format!(
                            "no reading of the ambiguous rows of {:?} adds up to the stated total; none placed",
                            t.fund
                        ),
                    ),
                },
                Settled::TooMany => self.diag(
                    Some(t.line),
                    Severity::Warning,
                    "too-ambiguous",
                    format!("too many readings of the rows of {:?} to check against the total; none placed", t.fund),
                ),
            }
        }

        // A parent's figures are the sum of its line items: they decide items whose figures read more
        // than one way (`500 500 450380` under `2,600 2,300 2,250 2,010`), as a fund total does.
        // Only a parent whose own figures read one way (no glued figure of its own) decides.
        let certain = |p: usize| alts[p].len() == 1 && found.rows[p].nums.iter().all(|t| t.readings.len() == 1);
        let undecided: std::collections::BTreeSet<usize> = (0..found.rows.len())
            .filter(|&i| alts[i].len() > 1 && placed[i].is_none())
            .filter_map(|i| found.rows[i].parent)
            .filter(|&p| certain(p))
            .collect();
        let mut items: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        if !undecided.is_empty() {
            for (i, r) in found.rows.iter().enumerate() {
                if let Some(p) = r.parent.filter(|p| undecided.contains(p)) {
                    items.entry(p).or_default().push(i);
                }
            }
        }
        for (p, kids) in &items {
            let need: BTreeMap<Phase, i64> =
                alts[*p][0].iter().filter_map(|(ph, v)| v.map(|y| (*ph, y.get()))).collect();
            let rows: Vec<&[Alt]> = kids.iter().map(|&k| alts[k].as_slice()).collect();
            if let Settled::Placed(mut v) = resolve::settle(&rows, &need) {
                for (j, &k) in kids.iter().enumerate() {
                    if alts[k].len() > 1 && placed[k].is_none() {
                        placed[k] = Some(std::mem::take(&mut v[j]));
                    }
                }
            }
        }

        // Phase columns printed after the rows as runs of loose numbers, decided by the totals.
        let mut used_loose: std::collections::HashSet<u32> = themed.used_loose.iter().copied().collect();
        let named = themes::names_by_order(found, &self.src.lines, sections, &themed, &alts);
        for (line, msg) in &named.diags {
            self.diag(Some(*line), Severity::Info, "names-in-order", msg.clone());
        }
        found.skipped.retain(|l| !named.lines.contains(l));
        // A total label whose figure was found elsewhere is no longer a label without figures.
        used_loose.extend(themed.found_for.iter().copied());
        let mut run_whys: Vec<(u32, String)> = Vec::new();
        for (t, talts) in found.totals.iter().zip(&total_alts) {
            let rows: Vec<usize> = t.rows.iter().copied().filter(|&r| found.rows[r].num_line.is_none()).collect();
            if talts.len() != 1 || rows.is_empty() || rows.len() != t.rows.len() {
                continue;
            }
            let stated = &talts[0];
            let want = stated.len() * rows.len();
            // Loose lines are recorded in line order: the runs start right after the total, or, printed
            // before it, right after the table's last row.
            let from = found.loose.partition_point(|(l, _, _)| *l <= t.line);
            let values = |from: usize, to: usize| -> Vec<(u32, Yen)> {
                found.loose[from..to]
                    .iter()
                    .take(want)
                    .filter_map(|(l, text, _)| tokens::single_value(text, unit).map(|y| (*l, y)))
                    .take(want)
                    .collect()
            };
            // After the total, the runs end before the next table's rows or total: figures past them are
            // another fund's.
            // Totals and rows are recorded in line order, as the walk meets them: each bound is a search,
            // not a scan of every total per total.
            let next_total =
                found.totals[found.totals.partition_point(|x| x.line <= t.line)..].first().map_or(u32::MAX, |x| x.line);
            let next_row =
                found.rows[found.rows.partition_point(|r| r.line <= t.line)..].first().map_or(u32::MAX, |r| r.line);
            let to = found.loose.partition_point(|(l, _, _)| *l < next_total.min(next_row));
            let mut after = values(from, to);
            if after.len() != want || to - from != want {
                let last_row = rows.iter().map(|&r| found.rows[r].line).max().unwrap_or(t.line);
                let start = found.loose.partition_point(|(l, _, _)| *l <= last_row);
                after = values(start, from);
                if after.len() != want || from - start != want {
                    continue;
                }
            }
            // Figures another fund's runs already took are not this fund's.
            if after.iter().any(|(l, _)| used_loose.contains(l)) {
                continue;
            }
            // Runs are given to rows in the order the rows are printed: rows printed out of their numbers'
            // order (7, 9, 8) leave it open whether the figures follow the print or the numbers.
            let in_order = rows.windows(2).all(|w| match (found.rows[w[0]].value, found.rows[w[1]].value) {
                (Some(a), Some(b)) => a < b,
                _ => true,
            });
            if !in_order {
                let numbers: Vec<&str> = rows.iter().map(|&r| found.rows[r].number.as_str()).collect();
                let why = format!(
                    "one of the figures printed for the total of {:?} (line {}), whose rows are printed out of their numbers' order ({}): which row each figure is cannot be told",
                    t.fund,
                    t.line,
                    numbers.join(", ")
                );
                run_whys.extend(after.iter().map(|(line, _)| (*line, why.clone())));
                continue;
            }
            let Some(read) = resolve::runs(&after, rows.len(), stated) else { continue };
            if read.also_by_row {
                let why = format!(
                    "one of the {} figures printed for the total of {:?} (line {}): read as runs of columns or row by row they add up to its totals either way, with other values; not certain which",
                    after.len(),
                    t.fund,
                    t.line
                );
                run_whys.extend(after.iter().map(|(line, _)| (*line, why.clone())));
                continue;
            }
            for (phase, run) in &read.placed {
                for (j, &r) in rows.iter().enumerate() {
                    let (line, y) = run[j];
                    runs_placed.push((r, *phase, y, line));
                    used_loose.insert(line);
                }
            }
            // Say why a run was left, on each of its lines (they are reported as loose figures).
            let run_at = |i: usize| &after[i * rows.len()..(i + 1) * rows.len()];
            let sum_of = |i: usize| Yen::new(run_at(i).iter().map(|(_, y)| y.get()).sum()).display_in(unit);
            if read.unfit {
                let sums: Vec<String> = (0..stated.len()).map(sum_of).collect();
                let totals: Vec<String> = stated
                    .iter()
                    .map(|(p, v)| format!("{} {}", p.label_ja(), v.map_or("―".to_string(), |y| y.display_in(unit))))
                    .collect();
                let why = format!(
                    "one of the {} figures printed for the total of {:?} (line {}), as many as its {} rows times its {} columns; read as runs of {} they add up to {}, not to the column totals ({}), so they are not read as its columns",
                    after.len(),
                    t.fund,
                    t.line,
                    rows.len(),
                    stated.len(),
                    rows.len(),
                    sums.join(", "),
                    totals.join(", ")
                );
                run_whys.extend(after.iter().map(|(line, _)| (*line, why.clone())));
            }
            for (i, could) in &read.tied {
                let names: Vec<String> = could.iter().map(|p| p.label_ja()).collect();
                let why = format!(
                    "run {} of the {} runs of {} figures printed for the total of {:?} (line {}) adds up to {}, the total of {}; the runs that add up to it differ, so which column each is cannot be told",
                    i + 1,
                    stated.len(),
                    rows.len(),
                    t.fund,
                    t.line,
                    sum_of(*i),
                    names.join(" and ")
                );
                run_whys.extend(run_at(*i).iter().map(|(line, _)| (*line, why.clone())));
            }
        }
        for (line, why) in run_whys {
            let from = found.loose.partition_point(|(l, _, _)| *l < line);
            for entry in found.loose[from..].iter_mut().take_while(|(l, _, _)| *l == line) {
                entry.2.clone_from(&why);
            }
        }

        runs_placed.sort_by_key(|(r, ..)| *r);

        // Projects. A numbered line with neither figures nor a description is a list item of the
        // surrounding text (a vision's policies), not a budget row.
        // A row with neither a name nor a placed figure (a bare `(13)` of a scrambled table) would be an
        // empty project: it is reported with what was printed near it instead.
        let has_values = |i: usize| {
            alts[i].len() == 1
                || themed.initial.get(&i).copied().is_some()
                || placed[i].as_ref().is_some_and(|p| !p.is_empty())
                || runs_placed.get(runs_placed.partition_point(|(r, ..)| *r < i)).is_some_and(|(r, ..)| *r == i)
        };
        // Each row's joined name, computed once: it decides `keep`, names the project and its diagnostics.
        let mut names: Vec<String> = found.rows.iter().map(Row::joined_name).collect();
        for (&i, n) in &named.rows {
            names[i] = n.name.clone();
        }
        let keep: Vec<bool> = found
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                // A named row after a column header is a budget row even when its figures are printed
                // elsewhere (南区 （6）); list items of vision text are kept out by `vision`.
                let in_table = found.headers[r.section].first().is_some_and(|(l, _)| *l < r.line);
                (!r.unnumbered || apart.rows.contains(&i))
                    && (r.num_line.is_some()
                        || !r.desc.is_empty()
                        || r.is_parent
                        || themed.initial.get(&i).copied().is_some()
                        || (in_table && !r.name.is_empty()))
                    && (r.is_parent || !names[i].is_empty() || has_values(i))
                    && vision::not_a_row(r, &names[i]).is_none()
            })
            .collect();
        // Each kept row's project number (0 for a row not stored): its id is written when the project is
        // stored, rather than a vector of every id held for the whole placing.
        let mut pnum: Vec<usize> = vec![0; found.rows.len()];
        let mut n = 0;
        for (i, row) in found.rows.iter().enumerate() {
            if keep[i] {
                n += 1;
                pnum[i] = n;
            } else if row.unnumbered {
                // Not confirmed: its lines are reported as the skipped text and loose figure they are.
            } else if let Some(why) = vision::not_a_row(row, &names[i]) {
                let texts = tokens::printed(&row.nums);
                let msg = format!(
                    "row {} {:?}: {why}; not stored as a project (figures printed for it: {:?})",
                    row.number, names[i], texts
                );
                self.diag(Some(row.line), Severity::Info, "not-a-row", msg);
            } else if let Some(p) = themed.stands_for.get(&i).copied() {
                self.diag(
                    Some(row.line),
                    Severity::Info,
                    "row-number-apart",
                    format!(
                        "row number {} printed alone: it numbers {:?} (line {}), as its theme's amount confirms",
                        row.number, names[p], found.rows[p].line
                    ),
                );
            } else if row.num_line.is_some() || !row.desc.is_empty() {
                let texts = tokens::printed(&row.nums);
                let cands: Vec<String> = alts[i].iter().take(8).map(|x| describe_alt(x, unit)).collect();
                self.diag(
                    Some(row.line),
                    Severity::Warning,
                    "row-without-name",
                    format!(
                        "row {} has no name and no figure placed with certainty (printed near it: {:?} on line {}; readings considered: [{}]); not stored as a project",
                        row.number,
                        texts,
                        row.num_line.unwrap_or(row.line),
                        cands.join("] [")
                    ),
                );
            } else {
                self.diag(
                    Some(row.line),
                    Severity::Info,
                    "row-without-figures",
                    format!(
                        "row {} {:?} has no figures and no description; not stored as a project",
                        row.number, names[i]
                    ),
                );
            }
        }
        fn fund_of<'f>(found: &'f Found, confirmed: &[bool], r: usize) -> Option<&'f str> {
            if confirmed[r] {
                found.rows[r].fund.as_deref()
            } else {
                None
            }
        }
        // Room for every kept row and its amounts up front: a vector of 300,000 projects grown by doubling
        // copies itself some twenty times and holds two copies at its peak.
        self.ledger.projects.reserve(n);
        self.ledger.amounts.reserve(found.rows.iter().zip(&keep).filter(|(_, k)| **k).map(|(r, _)| r.nums.len()).sum());
        // Each row's project, for the notes that name rows.
        let mut project_of: Vec<Option<usize>> = vec![None; found.rows.len()];
        for i in 0..found.rows.len() {
            if !keep[i] {
                continue;
            }
            let row = &found.rows[i];
            let ward = &sections[row.section].ward;
            let parent = themed.parent[i].or(row.parent);
            // Borrowed along the chain: only the fund taken is copied.
            let fund = row
                .fund_marker
                .as_deref()
                .or(themed.fund[i].as_deref())
                .or_else(|| fund_of(found, &fund_confirmed, i))
                .or_else(|| {
                    parent.and_then(|p| {
                        found.rows[p]
                            .fund_marker
                            .as_deref()
                            .or(themed.fund[p].as_deref())
                            .or_else(|| fund_of(found, &fund_confirmed, p))
                    })
                })
                .unwrap_or_default()
                .to_string();
            let pillar = match (themed.pillar[i].as_ref(), themed.parent[i]) {
                (Some(t), _) => t.clone(),
                (None, Some(p)) => themed.pillar[p].clone().unwrap_or_else(|| found.rows[p].pillar.to_string()),
                // A line item sits in its parent's theme.
                (None, None) => {
                    row.parent.and_then(|p| themed.pillar[p].clone()).unwrap_or_else(|| row.pillar.to_string())
                }
            };
            let name = std::mem::take(&mut names[i]);
            // The row is dropped once stored: its description and tags move into the project.
            let row = &mut found.rows[i];
            let description = match (named.rows.get(&i), row.desc.as_mut_slice()) {
                (Some(n), []) => n.desc.clone(),
                (_, [one]) => std::mem::take(one),
                (_, more) => more.concat(),
            };
            let tags = std::mem::take(&mut row.tags);
            let row = &found.rows[i];
            if name.is_empty() {
                self.diag(Some(row.line), Severity::Warning, "no-name", format!("row {} has no name", row.number));
            }
            let id = ids::project_id(&doc_id, pnum[i]);
            let project_at = self.ledger.projects.len();
            project_of[i] = Some(project_at);
            self.ledger.projects.push(Project {
                id: id.clone(),
                document_id: doc_id.clone(),
                // A parent that is not stored leaves an empty id, which the ledger's integrity check reports.
                parent_id: parent.map(|p| if pnum[p] > 0 { ids::project_id(&doc_id, pnum[p]) } else { String::new() }),
                municipality: city.to_string(),
                area: ward.to_string(),
                fiscal_year: fy,
                fund,
                pillar,
                number: match (themed.number_of.get(&i), apart.numbers.get(&i)) {
                    (Some(&b), _) => found.rows[b].number.clone(),
                    (None, Some(printed)) => printed.clone(),
                    (None, None) => row.number.clone(),
                },
                name,
                description,
                is_new: row.is_new || named.rows.get(&i).is_some_and(|n| n.is_new),
                status: Status::Planned,
                status_note: String::new(),
                department: String::new(),
                tags,
                source_line: Some(row.line),
            });
            // Amounts.
            let a = &mut alts[i];
            // In phase order, one value per phase: a small sorted list rather than a map per row.
            // A figure that reads either as one amount or as two glued together (`430450`), where only one
            // reading fits the header's columns: a column the header does not name would make the other
            // reading the right one, so the column count alone is not enough; the fund total must agree.
            let unconfirmed_glue = (a.len() == 1 && !matches!(confirmed[i], Confirmed::All))
                .then(|| row.nums.iter().find(|t| t.readings.len() > 1))
                .flatten();
            // Cells printed one per line: their lines, in the order read; placed only when the fund total
            // confirms the one reading that fits the columns.
            let stacked_ok = row.stacked && a.len() == 1 && matches!(confirmed[i], Confirmed::All);
            let cell_lines: Vec<(Phase, u32)> = match (row.stacked && a.len() == 1, row.num_line) {
                (true, Some(first)) => a[0].iter().zip(first..).map(|((p, _), l)| (*p, l)).collect(),
                _ => Vec::new(),
            };
            // A doubtful reading keeps the columns its fund total confirms.
            let doubtful = unconfirmed_glue.is_some() || (row.stacked && !stacked_ok);
            let partly: &[Phase] = match confirmed[i] {
                Confirmed::Columns(k) if doubtful && a.len() == 1 => &confirmed_columns[k],
                _ => &[],
            };
            let values: Option<Vec<(Phase, Val)>> = match (a.len(), placed[i].take()) {
                // Settled by the theme's amount: the one figure is the initial amount.
                _ if themed.initial.get(&i).copied().is_some() => None,
                _ if doubtful && !partly.is_empty() => {
                    Some(by_phase(a[0].iter().copied().filter(|(p, _)| partly.contains(p)).collect()))
                }
                _ if doubtful => None,
                // Its phases are all placed, so nothing below reads the reading again.
                (1, _) => Some(by_phase(std::mem::take(&mut a[0]))),
                (_, Some(p)) => Some(p.into_iter().collect()),
                _ => None,
            };
            if let Some(v) = &values {
                for (p, val) in v {
                    let line = cell_lines.iter().find(|(q, _)| q == p).map(|(_, l)| *l);
                    self.ledger.amounts.push(Amount {
                        project_id: id.clone(),
                        phase: *p,
                        amount: *val,
                        source_line: line.or(row.num_line),
                    });
                }
            }
            if let Some((y, l)) = themed.initial.get(&i).copied() {
                self.ledger.amounts.push(Amount {
                    project_id: id.clone(),
                    phase: Phase::Initial,
                    amount: Some(y),
                    source_line: Some(l),
                });
            }
            let from = runs_placed.partition_point(|(r, ..)| *r < i);
            for (_, p, y, l) in runs_placed[from..].iter().take_while(|(r, ..)| *r == i) {
                self.ledger.amounts.push(Amount {
                    project_id: id.clone(),
                    phase: *p,
                    amount: Some(*y),
                    source_line: Some(*l),
                });
            }
            let placed_phase = |p: &Phase| values.as_ref().is_some_and(|v| v.iter().any(|(q, _)| q == p));
            let missing: Vec<Phase> = {
                let mut m: Vec<Phase> =
                    a.iter().flat_map(|x| x.iter().map(|(p, _)| *p)).filter(|p| !placed_phase(p)).collect();
                m.sort();
                m.dedup();
                m
            };
            // A lone figure the theme's amount settled is placed; figures printed near a row whose amount
            // was found elsewhere are not.
            let own_used = themed.initial.get(&i).copied().is_some_and(|(_, l)| Some(l) == row.num_line);
            if let Some(tok) = unconfirmed_glue {
                let texts = tokens::printed(&row.nums);
                let splits: Vec<String> = tok
                    .readings
                    .iter()
                    .filter(|r| r.len() == 2)
                    .map(|r| {
                        r.iter()
                            .map(|v| v.map_or("―".to_string(), |y| y.display_in(unit)))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    })
                    .collect();
                let msg = format!(
                    "row {} {:?}: figures {:?} fit the header's columns only if {} is one amount, but it may be two glued together ({}); {}",
                    row.number,
                    self.ledger.projects[project_at].name,
                    texts,
                    tok.text.as_str(),
                    splits.join(" or "),
                    confirmed_only(partly)
                );
                self.diag(row.num_line, Severity::Warning, "unplaced-number", msg);
            } else if row.stacked && !stacked_ok {
                let texts = tokens::printed(&row.nums);
                let first = row.num_line.unwrap_or(row.line);
                let msg = format!(
                    "row {} {:?}: figures {:?} printed one per line (line {first} to {}) are read as its columns only where its fund total confirms them; {}",
                    row.number,
                    self.ledger.projects[project_at].name,
                    texts,
                    first as usize + row.nums.len().saturating_sub(1),
                    confirmed_only(partly)
                );
                self.diag(row.num_line, Severity::Warning, "unplaced-number", msg);
            } else if row.num_line.is_some() && !own_used && (a.is_empty() || !missing.is_empty()) {
                let texts = tokens::printed(&row.nums);
                let cands: Vec<String> = a.iter().take(8).map(|x| describe_alt(x, unit)).collect();
                let msg = if a.is_empty() {
                    format!(
                        "row {} {:?}: figures {:?} fit no column header; not placed",
                        row.number, self.ledger.projects[project_at].name, texts
                    )
                } else {
                    format!(
                        "row {} {:?}: figures {:?} leave {} undecided; readings considered: [{}]{}",
                        row.number,
                        self.ledger.projects[project_at].name,
                        texts,
                        missing.iter().map(|p| p.code()).collect::<Vec<_>>().join(", "),
                        cands.join("] ["),
                        if a.len() > 8 { format!(" and {} more", a.len() - 8) } else { String::new() }
                    )
                };
                self.diag(row.num_line, Severity::Warning, "unplaced-number", msg);
            }
            if row.is_parent {
                if let Some(v) = &values {
                    for (p, val) in v {
                        self.ledger.totals.push(StatedTotal {
                            document_id: doc_id.clone(),
                            area: ward.to_string(),
                            scope_kind: ScopeKind::Project,
                            scope: id.clone(),
                            phase: *p,
                            stated: *val,
                            source_line: row.num_line,
                        });
                    }
                }
            }
            // The row is stored: free what only placing it needed (its figures, description and
            // readings), so the output grows into that memory instead of on top of it.
            alts[i] = Vec::new();
            let row = &mut found.rows[i];
            row.nums = Vec::new();
            row.desc = Vec::new();
        }

        self.link_notes(found, &project_of);
        self.report(found, &used_loose);
    }

    /// Attach `G－①` notes to their rows: group G is the G-th group heading of the section.
    fn link_notes(&mut self, found: &Found, project_of: &[Option<usize>]) {
        for n in &found.notes {
            let status = status::parse_status(&n.note);
            let groups: Vec<&str> =
                found.headings.iter().filter(|h| h.section == n.section).map(|h| h.title.as_str()).collect();
            // `0－①` names no group (and must not underflow).
            let group_title = (n.group as usize).checked_sub(1).and_then(|g| groups.get(g)).copied();
            let cands: Vec<usize> = found
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.section == n.section && r.value == Some(n.row) && r.circled)
                .map(|(i, _)| i)
                .collect();
            let target: Vec<usize> = match group_title {
                Some(t) => cands.iter().copied().filter(|&i| *found.rows[i].pillar == *t).collect(),
                None => vec![],
            };
            let project = target.first().and_then(|&i| project_of[i]);
            if let (1, Some(one)) = (target.len(), project) {
                let p = &mut self.ledger.projects[one];
                if let Some(s) = status {
                    p.status = s;
                }
                p.status_note = n.note.clone();
            } else {
                let names: Vec<String> = cands
                    .iter()
                    .map(|&i| {
                        format!(
                            "{} {} (line {})",
                            found.rows[i].number,
                            found.rows[i].joined_name(),
                            found.rows[i].line
                        )
                    })
                    .collect();
                self.diag(
                    Some(n.line),
                    Severity::Warning,
                    "unlinked-status",
                    format!(
                        "note {} {:?} ({}): group {} is not a numbered group heading of this section; rows numbered {} considered: {}",
                        n.printed,
                        n.note,
                        status.map_or("no status word", |s| s.code()),
                        n.group,
                        n.row,
                        if names.is_empty() { "none".to_string() } else { names.join("; ") }
                    ),
                );
            }
        }
    }

    fn report(&mut self, found: &Found, used: &std::collections::HashSet<u32>) {
        for (line, text, why) in found.loose.iter().filter(|(l, _, _)| !used.contains(l)) {
            if text.is_empty() {
                self.diag(Some(*line), Severity::Info, "total-without-figures", why.clone());
            } else {
                self.diag(Some(*line), Severity::Warning, "unplaced-number", format!("{text:?}: {why}; not placed"));
            }
        }
        for (line, m) in &found.stray_markers {
            self.diag(
                Some(*line),
                Severity::Info,
                "unplaced-marker",
                format!("marker {m:?} outside any row; not attached"),
            );
        }
        for (line, name, rows) in &found.merged_names {
            let nums: Vec<&str> = rows.iter().map(|&r| found.rows[r].number.as_str()).collect();
            self.diag(
                Some(*line),
                Severity::Info,
                "merged-name",
                format!("name {name:?} printed once after the table, given to rows {}", nums.join(", ")),
            );
        }
        // Skipped text, as ranges of consecutive lines.
        let mut skipped = found.skipped.clone();
        skipped.sort_unstable();
        let mut i = 0;
        while i < skipped.len() {
            let start = skipped[i];
            let mut end = start;
            while i + 1 < skipped.len() && skipped[i + 1] <= end + 2 {
                i += 1;
                end = skipped[i];
            }
            i += 1;
            let msg = if start == end {
                format!("line {start}: text outside any row, skipped")
            } else {
                format!("lines {start}–{end}: text outside any row, skipped")
            };
            self.diag(Some(start), Severity::Info, "skipped-text", msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_phase_sorts_and_keeps_the_later_value_of_a_phase() {
        let y = |v| Some(Yen::new(v));
        let a = vec![
            (Phase::Settled, y(4)),
            (Phase::Initial, y(1)),
            (Phase::Settled, None),
            (Phase::Revised { month: 9 }, y(2)),
            (Phase::Initial, y(5)),
        ];
        assert_eq!(
            by_phase(a),
            vec![(Phase::Initial, y(5)), (Phase::Revised { month: 9 }, y(2)), (Phase::Settled, None)]
        );
    }
}
