//! Print what the budget reader makes of a file: projects with their amounts, totals and diagnostics.
//! Usage: `cargo run -p machi-read --example dump_budget -- FILE`.

use machi_read::{budget, ReadOptions, SourceText};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump_budget FILE")?;
    let bytes = std::fs::read(&path)?;
    let src = SourceText::decode(&path, &bytes)?;
    let l = budget::read(&src, &ReadOptions::default())?;
    let by = l.amounts_by_project();
    for p in &l.projects {
        let amts: Vec<String> = by
            .get(p.id.as_str())
            .map(|v| {
                v.iter()
                    .map(|a| format!("{}={}", a.phase, a.amount.map_or("―".into(), |y| (y.get() / 1000).to_string())))
                    .collect()
            })
            .unwrap_or_default();
        println!(
            "{} L{} {} [{}] fund={} pillar={} #{} {:?} new={} tags={:?} parent={:?} {}",
            p.id.rsplit('-').next().unwrap_or(""),
            p.source_line.unwrap_or(0),
            p.area,
            p.status,
            p.fund,
            p.pillar,
            p.number,
            p.name,
            p.is_new,
            p.tags,
            p.parent_id.as_deref().map(|s| s.rsplit('-').next().unwrap_or("")),
            amts.join(" ")
        );
    }
    for t in &l.totals {
        println!(
            "TOTAL L{} {} {} {} {} {:?}",
            t.source_line.unwrap_or(0),
            t.area,
            t.scope_kind,
            t.scope,
            t.phase,
            t.stated.map(|y| y.get() / 1000)
        );
    }
    for d in &l.diagnostics {
        println!("DIAG L{} {} {} {}", d.line.unwrap_or(0), d.severity, d.code, d.message);
    }
    Ok(())
}
