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
}

/// `(1,830万円)` anywhere in the folded text: (text before, amount, text after).
fn amount_in_parens(s: &str) -> Option<(String, Yen, String)> {
    let open = s.find('(')?;
    let close = open + s[open..].find(')')?;
    let inner = s[open + 1..close].trim();
    if !inner.ends_with("万円") && !inner.ends_with("千円") {
        return None;
    }
    let y = parse_amount(inner, Unit::TenThousand).ok().flatten()?;
    Some((s[..open].trim().to_string(), y, s[close + 1..].trim().to_string()))
}

/// The unit the items print their amounts in (`(640万円)`), from the first item: a newsletter states
/// its unit with every amount rather than once in a heading.
pub(crate) fn printed_unit(lines: &[Line]) -> Option<Unit> {
    lines.iter().filter(|l| l.norm().starts_with('●')).find_map(|l| {
        let f = fold(l.norm());
        amount_in_parens(&f)?;
        let open = f.find('(')?;
        let inner = &f[open..open + f[open..].find(')')?];
        Some(if inner.ends_with("千円") { Unit::Thousand } else { Unit::TenThousand })
    })
}

/// True when the text has `●` items with amounts in parentheses.
pub(crate) fn looks_like(lines: &[Line]) -> bool {
    lines.iter().any(|l| l.norm().starts_with('●') && amount_in_parens(&fold(l.norm())).is_some())
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
    let mut theme = String::new();
    for l in lines {
        let f = fold(l.norm());
        if f.is_empty() {
            continue;
        }
        let Some((before, yen, after)) = amount_in_parens(&f) else {
            if f.chars().any(|c| c.is_ascii_digit()) && !f.contains("年度") {
                ledger.diagnostics.push(Diagnostic {
                    document_id: doc_id.clone(),
                    line: Some(l.number),
                    severity: Severity::Info,
                    code: "skipped-text".into(),
                    message: format!("{:?}: numbers outside an amount (phone, fax, note); not amounts", l.norm()),
                });
            }
            continue;
        };
        if let Some(name) = before.strip_prefix('●') {
            let n = ledger.projects.len() + 1;
            let id = ids::project_id(&doc_id, n);
            ledger.projects.push(Project {
                id: id.clone(),
                document_id: doc_id.clone(),
                parent_id: None,
                municipality: ctx.municipality.to_string(),
                area: ward.clone(),
                fiscal_year: ctx.fiscal_year,
                fund: fund.clone(),
                pillar: theme.clone(),
                number: "●".into(),
                name: name.trim().to_string(),
                description: after,
                is_new: false,
                status: Status::Planned,
                status_note: String::new(),
                department: String::new(),
                tags: vec![],
                source_line: Some(l.number),
            });
            ledger.amounts.push(Amount {
                project_id: id,
                phase: Phase::Initial,
                amount: Some(yen),
                source_line: Some(l.number),
            });
        } else {
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
            ledger.diagnostics.push(Diagnostic {
                document_id: doc_id.clone(),
                line: Some(l.number),
                severity: Severity::Info,
                code: "selection".into(),
                message: format!(
                    "theme {theme:?}: the listed items are a selection; its amount is not checked against them"
                ),
            });
        }
    }
}
