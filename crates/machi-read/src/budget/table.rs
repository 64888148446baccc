//! The row reader: walks one ward section line by line and builds rows (number, name wrapped over lines,
//! markers, description, the numbers printed for it), group headings, fund totals and parent projects.
//!
//! It only records *where* numbers are. Which phase each number belongs to is decided afterwards
//! ([`super::resolve`]), because a table's column header can come after its rows (南区) and glued cells
//! need the totals to be split.

use std::rc::Rc;

use machi_domain::number::{split_tags, ItemNumber, ItemNumberStyle};
use machi_domain::text::{squeeze, trim};
use machi_domain::{Phase, Unit};

use super::classify::{classify_window, fund_name, Kind, TAG_OPENS};
use super::tokens::{is_column_word, NumTok};
use crate::source::{nfkc_cow, Line, Marks};

/// A project row as read.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Section index.
    pub section: usize,
    /// Line of the row number (or of the name when unnumbered).
    pub line: u32,
    /// Number as printed.
    pub number: String,
    /// Its value (① is 1), when numbered.
    pub value: Option<u32>,
    /// Printed as a circled number.
    pub circled: bool,
    /// Name lines, each in NFKC (a single one is not normalised again), joined later.
    pub name: Vec<String>,
    /// Description lines (NFKC).
    pub desc: Vec<String>,
    /// 新規
    pub is_new: bool,
    /// A fund marker on the row (`【復興支援自治推進経費】`).
    pub fund_marker: Option<String>,
    /// Fund from the table's header or total, shared by the rows of the table.
    pub fund: Option<Rc<str>>,
    /// Sub-area and other tags.
    pub tags: Vec<String>,
    /// Numbers printed for the row.
    pub nums: Vec<NumTok>,
    /// Line the numbers were read from.
    pub num_line: Option<u32>,
    /// Group heading title, shared by every row under the heading (one copy per heading, not per row).
    pub pillar: Rc<str>,
    /// Index of the parent row, for line items.
    pub parent: Option<usize>,
    /// True when line items follow it.
    pub is_parent: bool,
    /// The name ended at a blank line (not at a long line or a `。`): its description began after it.
    pub name_gap: bool,
    /// Shaped like a row but printed without a number (中央区 `運動でつながる中央区事業`, lines 214–221): a
    /// candidate only, stored when the fund totals confirm it ([`super::apart`]). `line` is its first line
    /// (marker or name), `num_line` its figure; those lines are still reported as skipped and loose
    /// unless it is confirmed.
    pub unnumbered: bool,
    /// Its figures were printed one per line (`1,000` / `1,000` / `900` / `850`), a cell to a line, and
    /// joined here: `num_line` is the first, and figure `k` is on line `num_line + k`. Only the fund total
    /// can confirm that they are this row's columns.
    pub stacked: bool,
}

impl Found {
    /// The rows of section `s`: rows are recorded section by section, so they are one range.
    pub fn section_rows(&self, s: usize) -> std::ops::Range<usize> {
        self.rows.partition_point(|r| r.section < s)..self.rows.partition_point(|r| r.section <= s)
    }
}

impl Row {
    /// An empty row of `section` at `line` under the group heading `pillar`. Rows are built from this
    /// rather than from `Default`, whose empty `Rc<str>` pillar would be allocated and dropped again for
    /// every row.
    pub fn at(section: usize, line: u32, pillar: Rc<str>) -> Row {
        Row {
            section,
            line,
            number: String::new(),
            value: None,
            circled: false,
            name: Vec::new(),
            desc: Vec::new(),
            is_new: false,
            fund_marker: None,
            fund: None,
            tags: Vec::new(),
            nums: Vec::new(),
            num_line: None,
            pillar,
            parent: None,
            is_parent: false,
            name_gap: false,
            unnumbered: false,
            stacked: false,
        }
    }

    /// The name as the interchange wants it: wrapped lines joined, markers removed.
    pub fn joined_name(&self) -> String {
        // Most names are one line, already NFKC (every name line is): cleaned in place, without joining a
        // copy or normalising it again. Joined lines are normalised, as NFKC can change at a junction.
        match self.name.as_slice() {
            [one] => strip_markers(one),
            more => clean_name(&more.concat()),
        }
    }
}

/// Push a line of a row's name, description or tags. Most rows have one: the first push reserves room
/// for exactly one (a plain `push` reserves four), which matters over hundreds of thousands of rows.
fn push_line(v: &mut Vec<String>, s: String) {
    if v.is_empty() {
        v.reserve_exact(1);
    }
    v.push(s);
}

/// What a bracketed marker of a row says.
enum Tag {
    /// `新規`, `新`: new this year.
    New,
    /// A fund (`復興支援自治推進経費`).
    Fund(String),
    /// Anything else, such as a sub-area (`幸田`).
    Other(String),
    /// Nothing but space.
    Empty,
}

impl Tag {
    fn of(t: &str) -> Tag {
        let t = nfkc_cow(t);
        let t = t.trim();
        if t == "新規" || t == "新" {
            Tag::New
        } else if let Some(f) = fund_name(t) {
            Tag::Fund(f)
        } else if t.is_empty() {
            Tag::Empty
        } else {
            Tag::Other(t.to_string())
        }
    }
}

/// `（新規）` as NFKC text reads it.
const NEW_MARKER: &str = "(新規)";

/// Remove `（新規）` and bracketed markers from a name.
pub(crate) fn clean_name(s: &str) -> String {
    strip_markers(&nfkc_cow(s))
}

/// [`clean_name`] of text already in NFKC.
fn strip_markers(s: &str) -> String {
    // Most names carry no marker: no copy to remove one, and no substring search (which sets up a
    // searcher each call) when the name has no `(` at all.
    let s = if s.as_bytes().contains(&b'(') && s.contains(NEW_MARKER) {
        std::borrow::Cow::Owned(s.replace(NEW_MARKER, ""))
    } else {
        s.into()
    };
    // `split_tags` returns its name already trimmed.
    let (name, _) = split_tags(&s);
    name
}

/// A group heading (pillar), possibly with amounts.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// Section index.
    pub section: usize,
    /// Title.
    pub title: String,
    /// Line.
    pub line: u32,
    /// `（4,536千円）` and the phase it is for.
    pub stated: Option<(NumTok, Phase)>,
    /// Amounts printed after the title (`コミュニティ形成支援 2,700 2,700 2,010 2,010`).
    pub nums: Vec<NumTok>,
}

/// A fund's stated total and the rows it covers.
#[derive(Debug, Clone)]
pub(crate) struct FundTotal {
    /// Section index.
    pub section: usize,
    /// Fund name.
    pub fund: String,
    /// The numbers on the total line.
    pub nums: Vec<NumTok>,
    /// Numbers glued in front of the label.
    pub lead: Vec<NumTok>,
    /// Line.
    pub line: u32,
    /// Top-level rows it adds up.
    pub rows: Vec<usize>,
}

/// A results note (`７－③ … ➤中止`).
#[derive(Debug, Clone)]
pub(crate) struct Note {
    /// Section index.
    pub section: usize,
    /// Line.
    pub line: u32,
    /// Group number.
    pub group: u32,
    /// Row number within the group.
    pub row: u32,
    /// As printed (`１－①`).
    pub printed: String,
    /// The text after it.
    pub note: String,
}

/// Everything the row reader found, for all sections.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Rows in document order.
    pub rows: Vec<Row>,
    /// Group headings.
    pub headings: Vec<Heading>,
    /// Fund totals, in line order.
    pub totals: Vec<FundTotal>,
    /// The document's fiscal year (western), to tell a header naming another year from its own.
    pub year: Option<i32>,
    /// Column headers naming another fiscal year than the document's: (line, the year they name).
    pub other_year_headers: Vec<(u32, i32)>,
    /// Column headers per section: (line, phases).
    pub headers: Vec<Vec<(u32, Vec<Phase>)>>,
    /// Phases named by stray headers (`9月補正後` alone), per section.
    pub extra: Vec<Vec<Phase>>,
    /// Lines with numbers that were not placed in any row, with why.
    pub loose: Vec<(u32, String, String)>,
    /// Lines of text skipped.
    pub skipped: Vec<u32>,
    /// Results notes.
    pub notes: Vec<Note>,
    /// Markers outside rows (`新` alone).
    pub stray_markers: Vec<(u32, String)>,
    /// Names printed after a table for rows without one: (line, name, rows).
    pub merged_names: Vec<(u32, String, Vec<usize>)>,
    /// Total labels printed without figures (`南区まちづくり推進経費　合計`): (section, line, fund).
    pub bare_totals: Vec<(usize, u32, Option<String>)>,
    /// A single figure glued in front of the number of a row printed without figures (`1,5001 地域…`):
    /// (row, line, figure). Still reported as loose unless the fund totals confirm it is the row's.
    pub leads: Vec<(usize, u32, NumTok)>,
    /// A fund name printed on the line before a bare `計` (中央区 lines 335–337): (line of `計`, line of
    /// the name), so the name is not reported as skipped text when the label is read.
    pub label_lines: Vec<(u32, u32)>,
}

#[derive(PartialEq)]
enum Mode {
    Name,
    Desc,
}

/// The walk over one section.
struct Walk<'a> {
    found: &'a mut Found,
    section: usize,
    cur: Option<usize>,
    mode: Mode,
    last_done: Option<usize>,
    /// Only blank lines since `last_done` completed.
    adjacent: bool,
    /// A description may still follow the amounts of `last_done` (amount printed before the text).
    desc_after: bool,
    children_of: Option<usize>,
    last_child: u32,
    pillar: Rc<str>,
    /// Fund named by the current table header, shared with the rows it gives its fund.
    fund_hdr: Option<Rc<str>>,
    pending: Vec<usize>,
    merge: Option<(Vec<usize>, Vec<String>, u32)>,
    /// Text lines skipped since the last row event, with their text, and a marker printed before them
    /// outside any row: a row printed without its number, if a single figure follows.
    orphan: Vec<(u32, String)>,
    orphan_marker: Option<(u32, Vec<String>)>,
    /// A fund name on the last non-blank line, outside any row: the label of a `計` on the next line.
    prev_label: Option<(u32, String)>,
    /// A row whose only figure so far was alone on the line just read: the next line, if it too holds
    /// one figure, is the row's next cell.
    stack: Option<usize>,
    /// The column a stray header (`9月補正後` alone) just named, and its line: the figures listed under it
    /// are that column's, in no order a reader can tie to rows.
    list_of: Option<(Phase, u32)>,
}

/// Lines classified at a time: a long document's kinds never all exist at once, and a window's kinds
/// (128 bytes each, 64 KiB in all) are still in the cache when the walk reads them; 4,096 lines a window
/// measured about 3% slower.
const WINDOW: usize = 512;

/// Read rows of the section `lines[range]` (`lines` is the whole document: a kind may depend on the lines
/// after the section). Lines are classified a window at a time; the numbers and texts of each kind are
/// moved into the rows (not copied), each line's kind consumed by its step after the lines before it
/// looked ahead at it.
pub(crate) fn walk(found: &mut Found, section: usize, lines: &[Line], range: std::ops::Range<usize>, unit: Unit) {
    walk_windows(found, section, lines, range, unit, WINDOW);
}

fn walk_windows(
    found: &mut Found,
    section: usize,
    lines: &[Line],
    range: std::ops::Range<usize>,
    unit: Unit,
    window: usize,
) {
    let first_row = found.rows.len();
    found.headers.push(Vec::new());
    found.extra.push(Vec::new());
    let mut w = Walk {
        found,
        section,
        cur: None,
        mode: Mode::Name,
        last_done: None,
        adjacent: false,
        desc_after: false,
        stack: None,
        list_of: None,
        children_of: None,
        last_child: 0,
        pillar: Rc::from(""),
        fund_hdr: None,
        pending: Vec::new(),
        merge: None,
        orphan: Vec::new(),
        orphan_marker: None,
        prev_label: None,
    };
    let mut in_vision = false;
    let mut from = range.start;
    while from < range.end {
        let to = from.saturating_add(window.max(1)).min(range.end);
        let mut kinds = classify_window(lines, from, to, unit);
        // Looking ahead stops at the section's end, as the section's own lines are all a step sees.
        let end = range.end - from;
        kinds.truncate(end);
        let kinds = kinds.as_mut_slice();
        let vision = super::vision::mask_from(&lines[from..to], kinds, &mut in_vision);
        for (i, line) in lines[from..to].iter().enumerate() {
            w.line(line, kinds, i, vision[i]);
        }
        from = to;
    }
    w.finish_row();
    w.close_merge();
    // Rows never closed by a fund total keep the fund of their header, if any.
    let fund = w.fund_hdr.clone();
    for r in std::mem::take(&mut w.pending) {
        if w.found.rows[r].fund.is_none() {
            w.found.rows[r].fund = fund.clone();
        }
    }
    rejoin_wrapped_names(&mut found.rows[first_row..]);
}

impl Walk<'_> {
    /// One line: `kinds[i]` is its kind, the kinds after it the lookahead.
    fn line(&mut self, line: &Line, kinds: &mut [Kind], i: usize, in_vision: bool) {
        let Some((kind, after)) = kinds.get_mut(i..).and_then(<[Kind]>::split_first_mut) else { return };
        if in_vision {
            // Vision text is not a table: nothing in it opens or continues a row, or labels a total.
            self.finish_row();
            self.close_merge();
            self.adjacent = false;
            self.children_of = None;
            self.orphan.clear();
            self.orphan_marker = None;
            self.prev_label = None;
            match kind {
                Kind::Blank => {}
                k if super::vision::only_figures(k) => {
                    self.found.loose.push((line.number, line.norm().to_string(), super::vision::WHY.into()))
                }
                _ => self.found.skipped.push(line.number),
            }
            return;
        }
        let next = after.iter().find(|k| !matches!(k, Kind::Blank));
        self.step(line, kind, next);
    }
}

/// Fewest names filling the name column to the same width before that width is taken as the column's.
const MIN_FULL_NAMES: usize = 3;

/// Names wrapped in a fixed-width column, with a blank line between the parts (中央区:
/// `避難所運営委員会活動支援助` / blank / `成金`). The walk ends a name at a blank line, so the tail became
/// the description's first line. It goes back to the name only when the layout shows the cut: the name
/// line is exactly as wide as the widest name line of the section, at least [`MIN_FULL_NAMES`] name lines
/// share that width (a column filled to its edge, not one long name), the tail is narrower than the
/// column and no sentence (`。`, `、` at its end), and a description still follows it.
fn rejoin_wrapped_names(rows: &mut [Row]) {
    let width = |s: &str| s.chars().count();
    let widths: Vec<usize> =
        rows.iter().filter(|r| r.name_gap && r.name.len() == 1).map(|r| width(&r.name[0])).collect();
    let Some(&column) = widths.iter().max() else { return };
    if column < 2 || widths.iter().filter(|&&w| w == column).count() < MIN_FULL_NAMES {
        return;
    }
    for r in rows.iter_mut() {
        if !r.name_gap || r.name.len() != 1 || width(&r.name[0]) != column || r.desc.len() < 2 {
            continue;
        }
        let tail = r.desc[0].trim();
        if tail.is_empty() || width(tail) >= column || tail.ends_with(['。', '、', '.', ',']) {
            continue;
        }
        let tail = r.desc.remove(0);
        r.name.push(tail);
    }
}

impl Walk<'_> {
    fn step(&mut self, line: &Line, kind: &mut Kind, next: Option<&Kind>) {
        if !matches!(kind, Kind::Text | Kind::Blank) {
            self.close_merge();
        }
        // What only the lines right before may use: taken here, put back by the kinds that keep it.
        let prev_label = if matches!(kind, Kind::Blank) { self.prev_label.clone() } else { self.prev_label.take() };
        let (orphan, orphan_marker) = match kind {
            Kind::Blank | Kind::Text => (Vec::new(), None),
            _ => (std::mem::take(&mut self.orphan), self.orphan_marker.take()),
        };
        // Cells one per line follow each other directly: any other line (a blank one too) ends them.
        let stack = self.stack.take();
        // A column's list runs over figures and blank lines only.
        if !matches!(kind, Kind::Numbers { .. } | Kind::Blank) {
            self.list_of = None;
        }
        match kind {
            Kind::Blank => {
                // A name wraps line by line, but a blank line ends it: what follows is the description,
                // however short (a one-line `…を行う` without `。` is not more of the name).
                if let Some(r) = self.cur {
                    if self.mode == Mode::Name && !self.found.rows[r].name.is_empty() {
                        self.mode = Mode::Desc;
                        self.found.rows[r].name_gap = true;
                    }
                }
            }
            Kind::Item { number, rest, nums, lead } => {
                if !lead.is_empty() {
                    let texts = super::tokens::printed(lead);
                    self.found.loose.push((
                        line.number,
                        texts,
                        format!(
                            "glued in front of row {}; it may belong to that row or to the one before",
                            number.printed
                        ),
                    ));
                }
                let bare = nums.is_empty();
                self.start_row(line, number, rest, std::mem::take(nums));
                if let ([one], true) = (lead.as_slice(), bare) {
                    if one.is_clean() {
                        let r = self.found.rows.len() - 1;
                        self.found.leads.push((r, line.number, one.clone()));
                    }
                }
            }
            Kind::Numbers { nums, item } => {
                if let (Some(r), None, [one]) = (stack, &item, nums.as_slice()) {
                    if one.is_clean() && self.cur.is_none() {
                        let row = &mut self.found.rows[r];
                        row.nums.append(nums);
                        row.stacked = true;
                        self.stack = Some(r);
                        return;
                    }
                }
                if let Some(r) = self.cur {
                    // The next number of the sequence before a name, after a finished description, is
                    // the next row's number, not a figure of this row (a row printed without figures).
                    let open = &self.found.rows[r];
                    let next_row = item.as_ref().is_some_and(|n| {
                        n.style == ItemNumberStyle::Plain
                            && !open.circled
                            && open.value.is_some_and(|v| v + 1 == n.value)
                            && open.desc.last().is_some_and(|d| d.trim_end().ends_with('。'))
                    });
                    // A bare number taken for a row (a page number, `12`) breaks the sequence; the next
                    // bare number that continues it (`4` after row 3) is the next row, not its figure.
                    let prev = r.checked_sub(1).map(|p| &self.found.rows[p]).filter(|p| p.section == open.section);
                    let resumes = item.as_ref().is_some_and(|n| {
                        n.style == ItemNumberStyle::Plain
                            && open.num_line.is_none()
                            && prev.and_then(|p| p.value).is_some_and(|v| v + 1 == n.value && open.value != Some(v + 1))
                    });
                    if next_row || resumes {
                        if let Some(n) = item {
                            self.start_row(line, n, "", Vec::new());
                            return;
                        }
                    }
                    // The table's rows so far were printed without figures: a lone figure after the last
                    // of them starts the columns printed after the rows (one run per phase), not its cells.
                    // (Only under a header of several columns with none having a figure glued in front of
                    // its number: a one-column table's lone figure is its cell, 中央区.)
                    let lone = matches!(nums.as_slice(), [one] if one.is_clean());
                    let figureless_table = || {
                        let headers = &self.found.headers[self.section];
                        let columns = headers[..headers.partition_point(|(l, _)| *l <= line.number)]
                            .last()
                            .map_or(0, |(_, p)| p.len());
                        columns > 1
                            && self.pending.len() > 1
                            && self.pending.iter().all(|&p| p == r || self.found.rows[p].num_line.is_none())
                            && !self
                                .found
                                .leads
                                .iter()
                                .rev()
                                .take(self.pending.len())
                                .any(|(x, ..)| self.pending.contains(x))
                    };
                    if lone && self.found.rows[r].num_line.is_none() && figureless_table() {
                        self.finish_row();
                        self.loose(line, "no row is open here to take it");
                        return;
                    }
                    if self.found.rows[r].num_line.is_none() {
                        if lone {
                            self.stack = Some(r);
                        }
                        self.found.rows[r].nums = std::mem::take(nums);
                        self.found.rows[r].num_line = Some(line.number);
                        self.complete();
                        return;
                    }
                }
                if let Some(n) = item {
                    self.start_row(line, n, "", Vec::new());
                    return;
                }
                if let (Some((phase, at)), 1) = (self.list_of, nums.len()) {
                    let why = format!(
                        "listed under the {} column label on line {at}, apart from the table, in no order that ties a figure to a row",
                        phase.label_ja()
                    );
                    self.loose(line, &why);
                    return;
                }
                self.loose(line, "no row is open here to take it");
                self.unnumbered_row(line, nums, orphan, orphan_marker);
            }
            Kind::Text => {
                let open = self.cur.map(|r| &self.found.rows[r]);
                if super::headings::is_figureless_heading(line.norm(), next, open, &self.pillar, self.merge.is_some()) {
                    self.group_heading(line);
                } else {
                    self.text(line, line.norm());
                }
            }
            Kind::Marker(m) => match self.cur {
                Some(r) => self.markers(r, m),
                None => {
                    self.found.stray_markers.push((line.number, m.join("")));
                    self.orphan_marker = Some((line.number, m.clone()));
                }
            },
            Kind::TextNums { text, nums } => {
                // A short title with figures right before a row is a group heading, even inside an open row.
                let heading_like =
                    text.chars().count() < 20 && !text.ends_with('。') && matches!(next, Some(Kind::Item { .. }));
                if let Some(r) = self.cur {
                    let named = !self.found.rows[r].name.is_empty();
                    if self.found.rows[r].num_line.is_none() && !(named && heading_like) {
                        self.add_text(r, line, text);
                        self.found.rows[r].nums = std::mem::take(nums);
                        self.found.rows[r].num_line = Some(line.number);
                        self.complete();
                        return;
                    }
                }
                self.finish_row();
                // `令和　　年度の重点的取組 2` before a name: the row number ends a stray line.
                if nums.len() == 1 && nums[0].is_clean() && matches!(next, Some(Kind::Text)) {
                    if let Ok(v) = nums[0].text.parse::<u32>() {
                        if (1..=99).contains(&v) {
                            self.found.skipped.push(line.number);
                            let n = ItemNumber {
                                style: ItemNumberStyle::Plain,
                                value: v,
                                printed: nums[0].text.to_string(),
                            };
                            self.start_row(line, &n, "", Vec::new());
                            return;
                        }
                    }
                }
                let opens_items = matches!(next, Some(Kind::Item { number, .. }) if number.style == ItemNumberStyle::Circled && number.value == 1);
                if opens_items {
                    // A parent project: its figures are the sum of the ① … line items below it.
                    let r = self.push_row(Row {
                        name: vec![text.clone()],
                        nums: std::mem::take(nums),
                        num_line: Some(line.number),
                        is_parent: true,
                        ..Row::at(self.section, line.number, self.pillar.clone())
                    });
                    self.pending.push(r);
                    self.children_of = Some(r);
                    self.last_child = 0;
                    self.last_done = Some(r);
                    self.adjacent = true;
                } else {
                    self.children_of = None;
                    self.pillar = Rc::from(text.as_str());
                    self.found.headings.push(Heading {
                        section: self.section,
                        title: text.clone(),
                        line: line.number,
                        stated: None,
                        nums: std::mem::take(nums),
                    });
                }
            }
            Kind::Header { title, phases, fund, year } => {
                self.finish_row();
                self.children_of = None;
                self.adjacent = false;
                // Columns of another year than the document's (`R4決算` on a 令和5年度 sheet) are not its
                // phases: the rows under them are left unplaced rather than given last year's figures.
                if let (Some(y), Some(doc)) = (*year, self.found.year) {
                    if y != doc {
                        self.found.other_year_headers.push((line.number, y));
                        self.found.skipped.push(line.number);
                        return;
                    }
                }
                // A header with no title (or only a column word) and fewer than three phases is a stray
                // column label left by the extractor, not the header of the rows that follow.
                let untitled = title.trim().is_empty() || is_column_word(title);
                if untitled && phases.len() < 3 && fund.is_none() {
                    let hs = &self.found.headers[self.section];
                    if phases.len() == 1
                        && hs.last().is_some_and(|(_, p)| !p.contains(&phases[0]))
                        && !self.found.extra[self.section].contains(&phases[0])
                    {
                        self.found.extra[self.section].push(phases[0]);
                    }
                    if let [one] = phases.as_slice() {
                        self.list_of = Some((*one, line.number));
                    }
                    self.found.skipped.push(line.number);
                    return;
                }
                self.found.headers[self.section].push((line.number, phases.clone()));
                if let Some(f) = fund {
                    // Rows printed before their fund's header (東区 row 2) belong to it.
                    let shared: Rc<str> = Rc::from(f.as_str());
                    for &r in &self.pending {
                        if self.found.rows[r].fund.is_none() {
                            self.found.rows[r].fund = Some(shared.clone());
                        }
                    }
                    self.fund_hdr = Some(shared);
                } else if !title.trim().is_empty() && !is_column_word(title) {
                    self.pillar = Rc::from(title.trim());
                    self.found.headings.push(Heading {
                        section: self.section,
                        title: self.pillar.to_string(),
                        line: line.number,
                        stated: None,
                        nums: vec![],
                    });
                }
            }
            Kind::GroupAmount { title, amount, phases } => {
                self.finish_row();
                self.adjacent = false;
                self.children_of = None;
                if !phases.is_empty() {
                    self.found.headers[self.section].push((line.number, phases.clone()));
                }
                let phase = if phases.len() == 1 { phases[0] } else { Phase::Initial };
                self.pillar = Rc::from(title.as_str());
                self.found.headings.push(Heading {
                    section: self.section,
                    title: title.clone(),
                    line: line.number,
                    stated: Some((amount.clone(), phase)),
                    nums: vec![],
                });
            }
            Kind::Total { fund, lead, nums } => {
                self.finish_row();
                self.adjacent = false;
                self.children_of = None;
                if nums.is_empty() {
                    // The figures may be printed elsewhere; the theme amounts can still confirm them. A
                    // `計` alone takes the fund named on the line before it.
                    let named = match (fund.is_none(), prev_label) {
                        (true, Some((l, f))) => {
                            self.found.label_lines.push((line.number, l));
                            Some(f)
                        }
                        _ => None,
                    };
                    let fund = fund.clone().or(named).or_else(|| self.fund_hdr.as_deref().map(str::to_string));
                    self.found.bare_totals.push((self.section, line.number, fund));
                    self.found.loose.push((
                        line.number,
                        String::new(),
                        "a total label with no figures on its line".into(),
                    ));
                    return;
                }
                self.fund_total(line, fund.take(), std::mem::take(lead), std::mem::take(nums));
            }
            Kind::Status { group, row, printed, note } => {
                self.finish_row();
                self.found.notes.push(Note {
                    section: self.section,
                    line: line.number,
                    group: *group,
                    row: *row,
                    printed: printed.clone(),
                    note: note.clone(),
                });
            }
        }
    }

    /// A group heading printed without figures ([`super::headings`]).
    fn group_heading(&mut self, line: &Line) {
        self.finish_row();
        self.orphan.clear();
        self.orphan_marker = None;
        self.adjacent = false;
        self.children_of = None;
        self.pillar = Rc::from(squeeze(line.norm().trim()));
        self.found.headings.push(Heading {
            section: self.section,
            title: self.pillar.to_string(),
            line: line.number,
            stated: None,
            nums: vec![],
        });
    }

    fn loose(&mut self, line: &Line, why: &str) {
        self.finish_row();
        self.found.loose.push((line.number, line.norm().to_string(), why.to_string()));
    }

    fn push_row(&mut self, row: Row) -> usize {
        self.found.rows.push(row);
        self.found.rows.len() - 1
    }

    fn start_row(&mut self, line: &Line, number: &ItemNumber, rest: &str, nums: Vec<NumTok>) {
        let was_adjacent = self.adjacent;
        let prev = self.last_done;
        self.finish_row();
        let circled = number.style == ItemNumberStyle::Circled;
        // Line items: ① right after a finished row opens its items; later circled numbers continue them.
        let mut parent = None;
        if circled {
            if number.value == 1 && was_adjacent {
                if let Some(p) = prev.filter(|&p| !self.found.rows[p].circled && self.found.rows[p].parent.is_none()) {
                    self.found.rows[p].is_parent = true;
                    self.pending.retain(|&x| x != p);
                    self.pending.push(p);
                    self.children_of = Some(p);
                    self.last_child = 0;
                }
            }
            if let Some(p) = self.children_of {
                if number.value > self.last_child {
                    parent = Some(p);
                    self.last_child = number.value;
                } else {
                    self.children_of = None;
                }
            }
        } else {
            self.children_of = None;
        }
        let r = self.push_row(Row {
            number: trim(&number.printed).to_string(),
            value: Some(number.value),
            circled,
            parent,
            ..Row::at(self.section, line.number, self.pillar.clone())
        });
        if parent.is_none() {
            self.pending.push(r);
        }
        let rest = trim(rest);
        self.mode = Mode::Name;
        if !rest.is_empty() {
            // `（新規）` after a name on the number line marks the row as new, as it does on a name line.
            if line.may_contain_any(const { Marks::of(&['新']) }) && rest.contains(NEW_MARKER) {
                self.found.rows[r].is_new = true;
            }
            // A marker opens with a bracket the line's marks record (the line's NFKC form holds every
            // bracket of its rest's): most rows carry none.
            let (text, tags) = if line.may_contain_any(TAG_OPENS) {
                let (text, tags) = split_tags(rest);
                (std::borrow::Cow::Owned(text), tags)
            } else {
                (std::borrow::Cow::Borrowed(rest), Vec::new())
            };
            self.apply_tags(r, &tags);
            // Name, then the description after the first space (`①【幸田】花のまちづくり事業　肥後六花…`).
            // Without figures on the line, only an item of the inline layout (a sub-area tag) or a text
            // that ends a sentence is split so: elsewhere a space may fall inside a wrapped name.
            let text = trim(&text);
            match text.split_once(char::is_whitespace) {
                Some((name, desc)) if !nums.is_empty() || !tags.is_empty() || desc.ends_with('。') => {
                    push_line(&mut self.found.rows[r].name, name.to_string());
                    push_line(&mut self.found.rows[r].desc, trim(desc).to_string());
                }
                _ if !text.is_empty() => push_line(&mut self.found.rows[r].name, text.to_string()),
                _ => {}
            }
            if !self.found.rows[r].name.is_empty() {
                self.mode = Mode::Desc;
            }
        }
        if !nums.is_empty() {
            self.found.rows[r].nums = nums;
            self.found.rows[r].num_line = Some(line.number);
            self.cur = Some(r);
            self.complete();
        } else {
            self.cur = Some(r);
        }
    }

    fn markers(&mut self, r: usize, m: &[String]) {
        self.apply_tags(r, m);
    }

    fn apply_tags(&mut self, r: usize, tags: &[String]) {
        for t in tags {
            match Tag::of(t) {
                Tag::New => self.found.rows[r].is_new = true,
                Tag::Fund(f) => self.found.rows[r].fund_marker = Some(f),
                Tag::Other(t) => push_line(&mut self.found.rows[r].tags, t),
                Tag::Empty => {}
            }
        }
    }

    /// Text of `line` (`t`, its NFKC form or part of it) for the open row `r`.
    fn add_text(&mut self, r: usize, line: &Line, t: &str) {
        let t = trim(t);
        // `新` is among the line's marks: most lines are ruled out without a search for `(新規)`.
        // `t` is NFKC, so `（新規）` reads `(新規)`.
        let markers =
            if line.may_contain_any(const { Marks::of(&['新']) }) { t.matches(NEW_MARKER).count() } else { 0 };
        if markers > 0 {
            self.found.rows[r].is_new = true;
        }
        // A long line is a description, but a `（新規）` marker does not make a name long. Only a name
        // can end this way: a description line is not measured.
        if self.mode == Mode::Name {
            let len = t.chars().count() - markers * NEW_MARKER.chars().count();
            if len >= 20 || t.ends_with('。') {
                self.mode = Mode::Desc;
            }
        }
        match self.mode {
            Mode::Name => {
                let (name, tags) = split_tags(t);
                self.apply_tags(r, &tags);
                push_line(&mut self.found.rows[r].name, name);
            }
            Mode::Desc => push_line(&mut self.found.rows[r].desc, t.to_string()),
        }
    }

    fn text(&mut self, line: &Line, t: &str) {
        if let Some(r) = self.cur {
            self.add_text(r, line, t);
            return;
        }
        if let Some((_, lines, _)) = &mut self.merge {
            if is_column_word(t) {
                return;
            }
            if t.chars().count() < 20 && !t.ends_with('。') {
                lines.push(t.to_string());
                return;
            }
        }
        if self.desc_after {
            if let Some(r) = self.last_done {
                push_line(&mut self.found.rows[r].desc, t.to_string());
                if t.ends_with('。') {
                    self.desc_after = false;
                }
                return;
            }
        }
        self.adjacent = false;
        self.found.skipped.push(line.number);
        self.orphan.push((line.number, t.to_string()));
        // Only a line ending in 費 can name a fund: most skipped lines are decided without normalising.
        let names_a_fund = t.trim_end_matches(|c: char| c.is_whitespace() || c == '】' || c == ']').ends_with('費');
        self.prev_label = names_a_fund.then(|| fund_name(t)).flatten().map(|f| (line.number, f));
    }

    /// A figure line right after a block of skipped text shaped like a row (an optional marker, a short
    /// name, a description ending in `。`) inside a table: kept as an unnumbered candidate row. Its lines
    /// stay reported as skipped until the totals confirm it.
    fn unnumbered_row(
        &mut self,
        line: &Line,
        nums: &mut Vec<NumTok>,
        orphan: Vec<(u32, String)>,
        marker: Option<(u32, Vec<String>)>,
    ) {
        let in_table = self.last_done.is_some() && !self.found.headers[self.section].is_empty();
        let ([one], [(name_line, name), desc @ .., (_, last)]) = (nums.as_slice(), orphan.as_slice()) else {
            return;
        };
        let name_like = name.chars().count() < 20 && !name.contains('。') && !name.starts_with(['・', '※', '○', '●']);
        if !in_table || !one.is_clean() || !name_like || !last.ends_with('。') {
            return;
        }
        // A marker other than 新規 or a fund (a sub-area tag) would name an area: not for a candidate.
        let mut is_new = false;
        let mut fund_marker = None;
        let mut first = *name_line;
        if let Some((l, m)) = marker {
            for t in &m {
                match Tag::of(t) {
                    Tag::New => is_new = true,
                    Tag::Fund(f) => fund_marker = Some(f),
                    Tag::Other(_) => return,
                    Tag::Empty => {}
                }
            }
            first = l;
        }
        let (name, tags) = split_tags(name);
        if !tags.is_empty() || name.is_empty() {
            return;
        }
        let mut all_desc: Vec<String> = desc.iter().map(|(_, d)| d.clone()).collect();
        all_desc.push(last.clone());
        self.push_row(Row {
            name: vec![name],
            desc: all_desc,
            is_new,
            fund_marker,
            nums: std::mem::take(nums),
            num_line: Some(line.number),
            unnumbered: true,
            ..Row::at(self.section, first, self.pillar.clone())
        });
    }

    fn complete(&mut self) {
        if let Some(r) = self.cur.take() {
            self.last_done = Some(r);
            self.adjacent = true;
            self.desc_after = self.found.rows[r].desc.is_empty();
        }
    }

    fn finish_row(&mut self) {
        if let Some(r) = self.cur.take() {
            self.last_done = Some(r);
            self.adjacent = true;
        }
        self.desc_after = false;
    }

    fn fund_total(&mut self, line: &Line, fund: Option<String>, lead: Vec<NumTok>, nums: Vec<NumTok>) {
        let fund = fund.or_else(|| self.fund_hdr.as_deref().map(str::to_string)).unwrap_or_default();
        // A row numbered 1 again, after the fund's own row 1, starts the next fund's table (東区).
        let mut split = self.pending.len();
        let mut seen_one = false;
        for (k, &r) in self.pending.iter().enumerate() {
            if self.found.rows[r].value == Some(1) && !self.found.rows[r].circled {
                if seen_one {
                    split = k;
                }
                seen_one = true;
            }
        }
        let carried = self.pending.split_off(split);
        let mut rows = Vec::new();
        let shared: Rc<str> = Rc::from(fund.as_str());
        for r in std::mem::take(&mut self.pending) {
            let row = &mut self.found.rows[r];
            if row.fund.is_none() {
                row.fund = Some(shared.clone());
            }
            if row.fund_marker.as_ref().is_none_or(|m| *m == fund) {
                rows.push(r);
            }
        }
        self.pending = carried;
        let nameless: Vec<usize> = rows.iter().copied().filter(|&r| self.found.rows[r].name.is_empty()).collect();
        if !nameless.is_empty() {
            self.merge = Some((nameless, Vec::new(), line.number));
        }
        self.found.totals.push(FundTotal { section: self.section, fund, nums, lead, line: line.number, rows });
        self.fund_hdr = None;
    }

    /// A name printed once after the table for rows that have none (a merged cell, 北区 ① and ②).
    fn close_merge(&mut self) {
        if let Some((rows, lines, line)) = self.merge.take() {
            if lines.is_empty() {
                return;
            }
            // Each line is NFKC, their junctions need not be: every name line is NFKC (see `joined_name`).
            let name = nfkc_cow(&squeeze(&lines.concat())).into_owned();
            for &r in &rows {
                self.found.rows[r].name = vec![name.clone()];
            }
            self.found.merged_names.push((line, name, rows));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vision_block_ends_a_row_shaped_block_begun_before_it() {
        // Lines 5–6 look like the start of a row without a number; the vision (lines 7–8) ends it, so the
        // figure of line 11 cannot make a row of them.
        let text = "当初予算額地域づくり\n1 交流事業\n交流会を開く。\n500\n祭り開催経費\n祭りを開く。\n\
                    めざす区の姿\n笑顔のまち\n令和3年度 もみじ区の取組\n花火を打ち上げる。\n700\n";
        let src = crate::SourceText::from_str("vision.txt", text);
        let mut found = Found::default();
        walk(&mut found, 0, &src.lines, 0..src.lines.len(), Unit::Thousand);
        assert!(found.rows.iter().any(|r| r.number == "1"), "{:?}", found.rows);
        assert!(!found.rows.iter().any(|r| r.unnumbered && r.line < 7), "{:?}", found.rows);
    }

    /// A window's kinds fit the 64 KiB [`WINDOW`] is sized for.
    #[test]
    fn a_window_of_kinds_is_64_kib_at_most() {
        assert!(std::mem::size_of::<Kind>() * WINDOW <= 64 << 10, "{} bytes a kind", std::mem::size_of::<Kind>());
    }

    /// The name lines of every row that are not in NFKC ([`Row::joined_name`] does not normalise a single
    /// line again).
    fn names_not_in_nfkc(text: &str) -> Vec<String> {
        let src = crate::SourceText::from_str("t.txt", text);
        let mut found = Found::default();
        walk(&mut found, 0, &src.lines, 0..src.lines.len(), Unit::Thousand);
        found.rows.iter().flat_map(|r| &r.name).filter(|n| machi_domain::text::nfkc(n) != **n).cloned().collect()
    }

    #[test]
    fn every_name_line_of_the_test_documents_is_nfkc() {
        for text in [
            include_str!("../../../../test_data/seeds/001_dfc7a35a737f6b56.txt"),
            include_str!("../../../../test_data/samples/apart_totals_sumire.txt"),
            include_str!("../../../../test_data/samples/four_phase_minato_r2.txt"),
            include_str!("../../../../test_data/samples/four_phase_sakura.txt"),
            include_str!("../../../../test_data/samples/glued_hikari_r3.txt"),
            include_str!("../../../../test_data/samples/parent_items_asahi.txt"),
            include_str!("../../../../test_data/samples/scrambled_themes_kaede.txt"),
        ] {
            assert_eq!(names_not_in_nfkc(text), Vec::<String>::new());
        }
    }

    proptest::proptest! {
        /// Whatever the lines, every name line a row gets is NFKC: names wrapped over lines, merged names
        /// printed after the table (joined at a sound mark), half-width kana and circled numbers.
        #[test]
        fn every_name_line_is_nfkc(lines in proptest::collection::vec(proptest::sample::select(vec![
            "① ｶﾞｰﾃﾞﾝ事業", "②", "（１）", "１ 交流事業", "№ 事業名", "【新規】", "【ｶﾞ】", "",
            "2,899 2,899 2,793 2,746", "予算額 9月補正後 2月補正後 決算額", "地域コミュニティ形成・強化支援ハ",
            "\u{3099}経費", "ﾊﾞｽﾂｱｰ", "説明を行う。", "まちづくり推進経費　　合計 10,000 10,000 8,741 7,643",
        ]), 0..40)) {
            let bad = names_not_in_nfkc(&lines.join("\n"));
            proptest::prop_assert!(bad.is_empty(), "{:?}", bad);
        }
    }

    #[test]
    fn walking_in_windows_of_any_size_reads_the_same_rows() {
        let src = crate::SourceText::from_str(
            "001.txt",
            include_str!("../../../../test_data/seeds/001_dfc7a35a737f6b56.txt"),
        );
        let walk_with = |window: usize| {
            let mut found = Found::default();
            let n = src.lines.len();
            // Two sections, cut mid-table, so lookahead at a section's end is covered too.
            walk_windows(&mut found, 0, &src.lines, 0..n / 2, Unit::Thousand, window);
            walk_windows(&mut found, 1, &src.lines, n / 2..n, Unit::Thousand, window);
            format!("{found:?}")
        };
        let whole = walk_with(usize::MAX);
        for window in [1, 2, 3, 7, 64, WINDOW] {
            assert!(walk_with(window) == whole, "window {window}");
        }
    }

    fn row(name: &str, desc: &[&str]) -> Row {
        Row {
            name: vec![name.into()],
            desc: desc.iter().map(|d| d.to_string()).collect(),
            name_gap: true,
            ..Row::at(0, 0, "".into())
        }
    }

    fn names(rows: &[Row]) -> Vec<String> {
        rows.iter().map(Row::joined_name).collect()
    }

    #[test]
    fn a_name_cut_at_the_column_edge_takes_its_tail_back() {
        // A 10-character column, filled by three names.
        let mut rows = vec![
            row("かえで通り商店会交流支", &["援事業", "商店会の交流を支える。"]),
            row("みずき公園花壇整備事業費", &["花壇を整備する。"]),
            row("ひいらぎ地区防災訓練実", &["施経費", "防災訓練を行う。"]),
            row("短い名前", &["説明", "続きの説明。"]),
        ];
        // Widths: 11, 12, 11 — the widest (12) is printed once: no column shown, nothing joined.
        let before = names(&rows);
        rejoin_wrapped_names(&mut rows);
        assert_eq!(names(&rows), before);

        let mut rows = vec![
            row("かえで通り商店会交流支", &["援事業", "商店会の交流を支える。"]),
            row("みずき公園花壇の整備事", &["花壇を整備する。"]),
            row("ひいらぎ地区防災訓練実", &["施経費", "防災訓練を行う。"]),
            // As wide as the column, but what follows is a sentence or as wide as the column.
            row("さくら坂地域見守り活動", &["見守りを行う。", "続き。"]),
            row("つばき台子ども食堂支援", &["子ども食堂の運営費を助成", "する。"]),
            // Narrower than the column: a whole name, its description short.
            row("短い名前", &["説明", "続きの説明。"]),
        ];
        rejoin_wrapped_names(&mut rows);
        assert_eq!(
            names(&rows),
            [
                "かえで通り商店会交流支援事業",
                "みずき公園花壇の整備事",
                "ひいらぎ地区防災訓練実施経費",
                "さくら坂地域見守り活動",
                "つばき台子ども食堂支援",
                "短い名前"
            ]
        );
        assert_eq!(rows[0].desc, ["商店会の交流を支える。"]);
        // A row whose description is the tail alone keeps it (no description would follow the name).
        assert_eq!(rows[1].desc, ["花壇を整備する。"]);
        assert_eq!(rows[4].desc.len(), 2);
    }
}
