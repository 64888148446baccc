//! The themed budget feature of a ward newsletter (amounts in 万円): theme headings with their total,
//! then `●` items with their own amount and a sentence.
//!
//! The items are a *selection* of the theme's projects, so the theme's amount is kept on its
//! [`PolicyNode`] but not stated as a total the items must add up to. Phone and fax numbers, footnotes
//! and anything else outside the `(N万円)` pattern are never amounts.

use machi_domain::money::parse_amount;
use machi_domain::text::fold;
use machi_domain::{
    ids, Amount, Area, AreaKind, Diagnostic, FiscalYear, Ledger, Phase, PolicyKind, PolicyNode, Project, Severity,
    Status, Unit, Yen,
};

use crate::source::Line;

/// What the newsletter reader needs from the document.
pub(crate) struct Ctx<'a> {
    /// Document id.
    pub doc_id: &'a str,
    /// Municipality name (may be empty).
    pub municipality: &'a str,
    /// Fiscal year.
    pub fiscal_year: Option<FiscalYear>,
    /// The city's area id.
    pub city_area: Option<String>,
    /// The bullet of the items, from [`item_bullet`].
    pub item_bullet: char,
}

/// The marks a newsletter sets before its items (`●見守り活動の充実 (640万円)`).
const BULLETS: [char; 10] = ['●', '○', '◆', '◇', '■', '□', '★', '☆', '◎', '・'];

/// The item's bullet and the text after it.
fn bulleted(s: &str) -> Option<(char, &str)> {
    let c = s.chars().next()?;
    BULLETS.contains(&c).then(|| (c, &s[c.len_utf8()..]))
}

/// The first amount in brackets in the folded text, `(1,830万円)` or `【640万円】`: (text before, amount,
/// text after). Brackets holding anything else (`【新規】`) are passed over.
fn amount_in_parens(s: &str) -> Option<(String, Yen, String)> {
    let mut from = 0;
    while let Some(rel) = s[from..].find(['(', '【']) {
        let open = from + rel;
        let closer = if s[open..].starts_with('(') { ')' } else { '】' };
        let inner_start = open + s[open..].chars().next().map_or(1, char::len_utf8);
        let close = inner_start + s[inner_start..].find(closer)?;
        if let Some(y) = money(&s[inner_start..close]) {
            let after = &s[close + closer.len_utf8()..];
            return Some((s[..open].trim().to_string(), y, after.trim().to_string()));
        }
        from = close;
    }
    None
}

/// An amount with its own unit and nothing else (`640万円`, `1億2,000万円`, `500千円`).
fn money(s: &str) -> Option<Yen> {
    let s = s.trim();
    if !s.ends_with("万円") && !s.ends_with("千円") {
        return None;
    }
    parse_amount(s, Unit::TenThousand).ok().flatten()
}

/// A line that is only an item's amount, printed under its name: `予算額：640万円`, `(640万円)`.
fn amount_line(f: &str) -> Option<Yen> {
    let label_end = f.find(':').map_or(0, |i| i + 1);
    let label = &f[..label_end.saturating_sub(1)];
    if !matches!(label, "" | "予算額" | "予算" | "事業費" | "金額") {
        return None;
    }
    let rest = f[label_end..].trim();
    let inner = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or(rest);
    money(inner)
}

/// An item printed without brackets, its amount the one word between name and sentence
/// (`●見守り活動の充実　640万円　地域の…`): (bullet, name, amount, description). Only when no other word of
/// the line holds an amount, so that a figure of the sentence is never taken for the item's.
fn bare_amount_item(f: &str) -> Option<(char, String, Yen, String)> {
    let (bullet, rest) = bulleted(f)?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let [name, amount, sentence @ ..] = words.as_slice() else { return None };
    let yen = money(amount)?;
    if sentence.iter().any(|w| has_money(w)) {
        return None;
    }
    Some((bullet, name.to_string(), yen, sentence.join(" ")))
}

/// An item's name without its new-project mark, and whether it had one (`【新規】`, `(新規)`).
fn new_mark(name: &str) -> (String, bool) {
    let stripped = name.replace("【新規】", "").replace("(新規)", "");
    let is_new = stripped.len() != name.len();
    (stripped.trim().to_string(), is_new)
}

/// The bullet of the document's items: that of the first bulleted line with an amount (in brackets, bare,
/// or on the line under it). `None` when no line is such an item: the text is not a newsletter. Every
/// budget sheet is asked, so the scan folds only bulleted lines and collects nothing.
pub(crate) fn item_bullet(lines: &[Line]) -> Option<char> {
    let mut texts = lines.iter().filter(|l| !l.norm().is_empty());
    while let Some(l) = texts.next() {
        // A line's NFKC form starts as its folded form does: folding changes no bullet.
        let Some((bullet, _)) = bulleted(l.norm()) else { continue };
        let f = fold(l.norm());
        let under = || texts.clone().next().is_some_and(|n| amount_line(&fold(n.norm())).is_some());
        if amount_in_parens(&f).is_some() || bare_amount_item(&f).is_some() || under() {
            return Some(bullet);
        }
    }
    None
}

/// Whether the folded text holds an amount word (`万円`, `千円`).
fn has_money(f: &str) -> bool {
    f.contains("万円") || f.contains("千円")
}

/// Report on `line` of the newsletter.
fn report(ledger: &mut Ledger, doc_id: &str, line: Option<u32>, severity: Severity, code: &str, message: String) {
    ledger.diagnostics.push(Diagnostic { document_id: doc_id.to_string(), line, severity, code: code.into(), message });
}

/// Report a line's amount as not placed, and why.
fn unplaced(ledger: &mut Ledger, doc_id: &str, l: &Line, why: &str) {
    let message = format!("{:?}: {why}; not placed", l.norm());
    report(ledger, doc_id, Some(l.number), Severity::Warning, "unplaced-number", message);
}

/// The unit the items print their amounts in (`(640万円)`), from the first item: a newsletter states
/// its unit with every amount rather than once in a heading.
pub(crate) fn printed_unit(lines: &[Line]) -> Option<Unit> {
    lines.iter().map(|l| fold(l.norm())).find_map(|f| {
        let item = bulleted(&f).is_some() || amount_line(&f).is_some();
        if !item {
            None
        } else if f.contains("万円") {
            Some(Unit::TenThousand)
        } else if f.contains("千円") {
            Some(Unit::Thousand)
        } else {
            None
        }
    })
}

/// A phase the document names, and the line naming it.
type Named = (Phase, u32);

/// The phase the newsletter's amounts are, as its title or its notes (`※金額は決算額です`) name it:
/// `Ok(None)` when nothing names one, `Err` with every phase named when they disagree.
///
/// Notes are read a sentence at a time, without what they put in brackets. A sentence about another
/// year (`前年度の決算額は…`, `令和4年度決算額との比較`) says nothing of these amounts; one that says what the
/// amounts are (`金額は当初予算額です`) outweighs a phase only mentioned.
fn stated_phase(lines: &[Line], year: Option<FiscalYear>) -> Result<Option<Named>, Vec<Named>> {
    let mut decisive: Vec<Named> = Vec::new();
    let mut named: Vec<Named> = Vec::new();
    let title = lines.iter().position(|l| l.norm().contains("年度"));
    let push = |list: &mut Vec<Named>, p: Phase, line: u32| {
        if list.iter().all(|(q, _)| *q != p) {
            list.push((p, line));
        }
    };
    for (i, l) in lines.iter().enumerate() {
        let f = fold(l.norm());
        if Some(i) != title && !f.starts_with('※') {
            continue;
        }
        for sentence in without_brackets(&f).split('。') {
            if other_year(sentence, year) {
                continue;
            }
            match sentence.find("金額は").map(|at| phases_named(&sentence[at..])) {
                Some(said) if said.len() == 1 => push(&mut decisive, said[0], l.number),
                _ => phases_named(sentence).into_iter().for_each(|p| push(&mut named, p, l.number)),
            }
        }
    }
    let list = if decisive.is_empty() { named } else { decisive };
    match list.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(list),
    }
}

/// The phases a sentence names: `決算`/`実績` settled, `N月補正後` a revision, `当初` or a `予算` that is
/// not the revision's the initial budget.
fn phases_named(s: &str) -> Vec<Phase> {
    let mut out = Vec::new();
    if s.contains("決算") || s.contains("実績") {
        out.push(Phase::Settled);
    }
    let mut revised = false;
    for (at, _) in s.match_indices("月補正後") {
        let digits: String =
            s[..at].chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
        if let Some(month) = digits.parse::<u8>().ok().filter(|m| (1..=12).contains(m)) {
            revised = true;
            out.push(Phase::Revised { month });
        }
    }
    if s.contains("当初") || (s.contains("予算") && !revised) {
        out.push(Phase::Initial);
    }
    out
}

/// The text without what it puts in brackets (`（2月補正後の額は未定です）`).
fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '【' | '[' => depth += 1,
            ')' | '】' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a sentence is about another fiscal year than the document's: `前年度`, `昨年度`, `次年度`, or a
/// year (`令和4年度`) that is not the document's.
fn other_year(s: &str, year: Option<FiscalYear>) -> bool {
    if ["前年度", "昨年度", "前年", "次年度", "翌年度"].iter().any(|w| s.contains(w)) {
        return true;
    }
    let Some(year) = year else { return false };
    s.match_indices("年度").any(|(at, w)| {
        // The shortest text before `年度` that reads as a year (`令和4年度`, `R4年度`, `2022年度`).
        let head = &s[..at + w.len()];
        let starts: Vec<usize> = head.char_indices().map(|(i, _)| i).collect();
        starts
            .iter()
            .rev()
            .skip(2)
            .take(8)
            .find_map(|&from| FiscalYear::parse(&head[from..]).ok())
            .is_some_and(|p| p.value != year)
    })
}

/// Read the newsletter layout into `ledger`.
pub(crate) fn read(lines: &[Line], ctx: &Ctx<'_>, ledger: &mut Ledger) {
    let doc_id = ctx.doc_id.to_string();
    let title = lines.iter().find(|l| l.norm().contains("年度")).map(|l| l.norm().to_string()).unwrap_or_default();
    let ward = title
        .split_whitespace()
        .find(|w| w.ends_with('区') || w.contains("区の"))
        .map(|w| w.split("の").next().unwrap_or(w).to_string())
        .filter(|w| w.ends_with('区'))
        .unwrap_or_default();
    if !ward.is_empty() {
        let code = machi_domain::lgcode::ward_code(ctx.municipality, &ward);
        ledger.areas.push(Area {
            id: ids::area_id(ctx.municipality, AreaKind::Ward, &ward, code.as_ref().map(|c| c.as_str())),
            municipality: ctx.municipality.to_string(),
            kind: AreaKind::Ward,
            name: ward.clone(),
            parent_id: ctx.city_area.clone(),
            lg_code: code,
        });
    }
    let fund = fold(&title)
        .split('~')
        .nth(1)
        .and_then(|s| s.split_whitespace().find(|w| w.ends_with('費')))
        .unwrap_or_default()
        .to_string();
    let phase = match stated_phase(lines, ctx.fiscal_year) {
        Ok(Some((p, _))) => Some(p),
        Ok(None) => {
            report(ledger, &doc_id, None, Severity::Warning, "phase-assumed", "neither the title nor a note (※) says which budget the amounts are; read as 当初予算, the budget a newsletter's plans announce".into());
            Some(Phase::Initial)
        }
        Err(named) => {
            let list: Vec<String> = named.iter().map(|(p, l)| format!("{} (line {l})", p.label_ja())).collect();
            report(
                ledger,
                &doc_id,
                named.first().map(|(_, l)| *l),
                Severity::Warning,
                "phase-unclear",
                format!(
                    "the title and notes name more than one phase ({}); the items' amounts are not placed",
                    list.join(", ")
                ),
            );
            None
        }
    };
    let scope = Scope { ctx, doc_id: &doc_id, ward: &ward, fund: &fund, phase };
    // Below a note (`※参考：内訳`) bullets list the note's parts, until the next theme.
    let mut in_note = false;
    let mut theme = String::new();
    // A bulleted name whose amount may be on the next line: (bullet, name, its line).
    let mut pending: Option<(char, String, u32)> = None;
    // The last item stored, while the next line may still be its description.
    let mut open_item: Option<usize> = None;
    for l in lines {
        let f = fold(l.norm());
        if f.is_empty() {
            continue;
        }
        // The sentence right under an item printed without one is its description; a note (`※`), an
        // address or a phone line is not.
        if let Some(p) = open_item.take().and_then(|i| ledger.projects.get_mut(i)) {
            let note = f.starts_with(['※', '〒']) || f.contains(['☎', '℡']) || f.contains("TEL") || f.contains("FAX");
            let figure = has_money(&f) || amount_line(&f).is_some();
            if pending.is_none() && bulleted(&f).is_none() && !note && !figure {
                p.description = l.norm().to_string();
                continue;
            }
        }
        if f.starts_with('※') {
            in_note = true;
        }
        // `・` lines among items of another bullet (`●防災力の向上` / `・防災マップの作成 200万円`) break the
        // item above down, and bullets under a note list its parts: neither is placed.
        if let Some((bullet, _)) = bulleted(&f) {
            let breakdown = bullet == '・' && ctx.item_bullet != '・';
            if (in_note || breakdown) && has_money(&f) {
                let why = if in_note {
                    "part of a note's list, not an item"
                } else {
                    "a breakdown of the item above, not an item"
                };
                unplaced(ledger, &doc_id, l, why);
                continue;
            }
        }
        if let Some((bullet, name, name_line)) = pending.take() {
            if let Some(yen) = amount_line(&f) {
                push_item(ledger, &scope, &theme, (bullet, &name), String::new(), yen, (name_line, l.number));
                open_item = Some(ledger.projects.len() - 1);
                continue;
            }
        }
        let Some((before, yen, after)) = amount_in_parens(&f) else {
            if let Some((bullet, name, yen, description)) = bare_amount_item(&f) {
                let undescribed = description.is_empty();
                push_item(ledger, &scope, &theme, (bullet, &name), description, yen, (l.number, l.number));
                open_item = undescribed.then(|| ledger.projects.len() - 1);
                continue;
            }
            if let Some((bullet, name)) = bulleted(&f) {
                if !has_money(&f) {
                    pending = Some((bullet, name.trim().to_string(), l.number));
                    continue;
                }
            }
            if has_money(&f) {
                // An amount not alone in its brackets (`(約380万円)`, `(95万円、前年度 80万円)`, `(150万円/3年間)`)
                // or without them: which figure is the item's is not certain.
                unplaced(ledger, &doc_id, l, "an amount printed with other words or figures, or without brackets");
            } else if f.chars().any(|c| c.is_ascii_digit()) && !f.contains("年度") {
                report(
                    ledger,
                    &doc_id,
                    Some(l.number),
                    Severity::Info,
                    "skipped-text",
                    format!("{:?}: numbers that are not amounts (phone, fax, dates, notes); not placed", l.norm()),
                );
            }
            continue;
        };
        if let Some((bullet, name)) = bulleted(&before) {
            let undescribed = after.is_empty();
            push_item(ledger, &scope, &theme, (bullet, name), after, yen, (l.number, l.number));
            open_item = undescribed.then(|| ledger.projects.len() - 1);
        } else {
            in_note = false;
            theme = before.clone();
            let n = ledger.policies.len() + 1;
            ledger.policies.push(PolicyNode {
                id: ids::policy_id(&doc_id, n),
                document_id: doc_id.clone(),
                parent_id: None,
                kind: PolicyKind::Theme,
                code: String::new(),
                title: before,
                stated_amount: Some(yen),
                source_line: Some(l.number),
            });
            report(
                ledger,
                &doc_id,
                Some(l.number),
                Severity::Info,
                "selection",
                format!("theme {theme:?}: the listed items are a selection; its amount is not checked against them"),
            );
        }
    }
}

/// What every item of the newsletter shares.
struct Scope<'a> {
    ctx: &'a Ctx<'a>,
    doc_id: &'a str,
    ward: &'a str,
    fund: &'a str,
    /// The phase of the amounts; `None` when the document is unclear, and nothing is placed.
    phase: Option<Phase>,
}

/// Store one item (its bullet and name) and its amount: `lines` are the name's line and the amount's.
fn push_item(
    ledger: &mut Ledger,
    scope: &Scope<'_>,
    theme: &str,
    (bullet, name): (char, &str),
    description: String,
    yen: Yen,
    lines: (u32, u32),
) {
    let n = ledger.projects.len() + 1;
    let id = ids::project_id(scope.doc_id, n);
    let (name, is_new) = new_mark(name);
    ledger.projects.push(Project {
        id: id.clone(),
        document_id: scope.doc_id.to_string(),
        parent_id: None,
        municipality: scope.ctx.municipality.to_string(),
        area: scope.ward.to_string(),
        fiscal_year: scope.ctx.fiscal_year,
        fund: scope.fund.to_string(),
        pillar: theme.to_string(),
        number: bullet.to_string(),
        name,
        description,
        is_new,
        status: Status::Planned,
        status_note: String::new(),
        department: String::new(),
        tags: vec![],
        source_line: Some(lines.0),
    });
    match scope.phase {
        Some(phase) => {
            ledger.amounts.push(Amount { project_id: id, phase, amount: Some(yen), source_line: Some(lines.1) })
        }
        None => report(
            ledger,
            scope.doc_id,
            Some(lines.1),
            Severity::Warning,
            "unplaced-number",
            format!(
                "{}: which phase it is is not certain (see phase-unclear); not placed",
                yen.display_in(Unit::Thousand)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_about_another_year() {
        let fy = FiscalYear::new(2024);
        assert!(!other_year("金額は令和6年度当初予算額です", fy));
        assert!(!other_year("金額は2024年度の予算額です", fy));
        assert!(!other_year("金額は当初予算額です", fy));
        assert!(other_year("令和4年度決算額との比較", fy));
        assert!(other_year("R5年度の決算額をもとに", fy));
        assert!(other_year("前年度の決算額は裏面に", fy));
        // Without the document's year only the words say so.
        assert!(!other_year("令和4年度決算額との比較", None));
    }

    #[test]
    fn phases_a_sentence_names() {
        assert_eq!(phases_named("金額は2月補正後の予算額です"), [Phase::Revised { month: 2 }]);
        assert_eq!(phases_named("金額は当初予算額です"), [Phase::Initial]);
        assert_eq!(phases_named("当初予算額と決算額"), [Phase::Settled, Phase::Initial]);
        assert_eq!(without_brackets("金額は当初予算額です(2月補正後の額は未定です)"), "金額は当初予算額です");
    }

    #[test]
    fn the_items_unit_and_bullet() {
        let lines = |t: &str| crate::source::SourceText::from_str("n.txt", t).lines;
        let thousand = lines("暮らし (1,830万円)\n◆見守り (640千円) 研修を行います。\n");
        assert_eq!(printed_unit(&thousand), Some(Unit::Thousand));
        assert_eq!(item_bullet(&thousand), Some('◆'));
        let next_line = lines("●見守り\n予算額：640万円\n");
        assert_eq!((printed_unit(&next_line), item_bullet(&next_line)), (Some(Unit::TenThousand), Some('●')));
        // Bullets without an amount make no newsletter.
        assert_eq!(item_bullet(&lines("●見守り\n地域の活動を支えます。\n")), None);
    }
}
