//! Deciding which phase each printed number belongs to.
//!
//! A row's numbers take the phases of the column header whose count they match. When the count does not
//! match, or a cell may be glued (`126132`), the row gets several *alternatives*; a fund's stated totals
//! then decide: every combination of alternatives is tried, and a value is placed only when all
//! combinations that reconcile with every stated total agree on it. Otherwise nothing is placed and the
//! candidates go into a diagnostic.

use std::collections::BTreeMap;

use machi_domain::Phase;

use super::tokens::{NumTok, Val};

/// One way to read a row's numbers: a value per phase.
pub(crate) type Alt = Vec<(Phase, Val)>;

/// Most combinations tried for one fund before giving up (reported, never guessed).
const MAX_COMBINATIONS: usize = 200_000;

/// The header a row's numbers belong to: the latest one before `line` whose phase count fits, else the
/// first one after it that fits, else the latest one before.
pub(crate) fn phases_for<'a>(
    headers: &'a [(u32, Vec<Phase>)],
    line: u32,
    count: usize,
    extra: &[Phase],
) -> Option<&'a Vec<Phase>> {
    let _ = extra;
    let fits = |p: &Vec<Phase>| p.len() == count;
    // Headers are in line order: split at `line` instead of scanning (a long document has thousands).
    let split = headers.partition_point(|(l, _)| *l <= line);
    let (before, after) = headers.split_at(split);
    before
        .iter()
        .rev()
        .find(|(_, p)| fits(p))
        // A header printed after its rows (南区) counts only when no header came before.
        .or_else(|| if before.is_empty() { after.iter().find(|(_, p)| fits(p)) } else { None })
        .or_else(|| before.last())
        .map(|(_, p)| p)
}

/// Every reading of the tokens as a flat list of values (glued cells split or not).
fn readings(nums: &[NumTok]) -> Vec<Vec<Val>> {
    let mut out: Vec<Vec<Val>> = vec![Vec::new()];
    for t in nums {
        let mut next = Vec::new();
        for prefix in &out {
            for r in &t.readings {
                let mut v = prefix.clone();
                v.extend(r.iter().copied());
                next.push(v);
                if next.len() > 4096 {
                    return next;
                }
            }
        }
        out = next;
    }
    out
}

/// All alternatives for a row's numbers under `phases` (plus phases named only by stray headers, whose
/// values are glued at the end of the row as in 東区).
pub(crate) fn alternatives(nums: &[NumTok], phases: &[Phase], extra: &[Phase]) -> Vec<Alt> {
    let mut out: Vec<Alt> = Vec::new();
    let mut all = phases.to_vec();
    all.extend(extra.iter().copied().filter(|p| !phases.contains(p)));
    for vals in readings(nums) {
        // Extra phases only take values split off a glued cell (more values than printed tokens).
        let glued = vals.len() > nums.len();
        if vals.len() == phases.len() || (glued && vals.len() == all.len() && all.len() > phases.len()) {
            out.push(all.iter().copied().zip(vals.iter().copied()).collect());
        } else if !vals.is_empty() && vals.len() < phases.len() {
            // Fewer values than columns: every order-keeping choice of columns.
            for pick in choose(phases.len(), vals.len()) {
                out.push(pick.iter().map(|&i| phases[i]).zip(vals.iter().copied()).collect());
            }
        }
    }
    out.dedup();
    out
}

fn choose(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![vec![]];
    }
    if n < k {
        return vec![];
    }
    let mut out = Vec::new();
    for first in 0..=n - k {
        for rest in choose(n - first - 1, k - 1) {
            let mut v = vec![first];
            v.extend(rest.iter().map(|i| i + first + 1));
            out.push(v);
        }
    }
    out
}

/// The outcome of settling one fund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Settled {
    /// Values every reconciling combination agrees on, per row (index into the input) and phase.
    Placed(Vec<BTreeMap<Phase, Val>>),
    /// No combination reconciles with the stated totals.
    NoCombination,
    /// Too many combinations to try.
    TooMany,
}

fn add(sum: &mut BTreeMap<Phase, i64>, alt: &Alt) {
    for (p, v) in alt {
        *sum.entry(*p).or_default() += v.map_or(0, |y| y.get());
    }
}

/// Settle rows (each a list of alternatives; one alternative = certain) against stated totals.
pub(crate) fn settle(rows: &[Vec<Alt>], stated: &BTreeMap<Phase, i64>) -> Settled {
    let mut count: usize = 1;
    for r in rows {
        count = count.saturating_mul(r.len().max(1));
    }
    if count > MAX_COMBINATIONS {
        return Settled::TooMany;
    }
    let mut agreed: Vec<Option<BTreeMap<Phase, Val>>> = vec![None; rows.len()];
    let mut any = false;
    let mut idx = vec![0usize; rows.len()];
    'outer: loop {
        let mut sum = BTreeMap::new();
        for (r, alts) in rows.iter().enumerate() {
            if let Some(a) = alts.get(idx[r]) {
                add(&mut sum, a);
            }
        }
        let ok = stated.iter().all(|(p, s)| sum.get(p).copied().unwrap_or(0) == *s);
        if ok {
            any = true;
            for (r, alts) in rows.iter().enumerate() {
                let Some(a) = alts.get(idx[r]) else { continue };
                let m: BTreeMap<Phase, Val> = a.iter().copied().collect();
                agreed[r] = Some(match agreed[r].take() {
                    None => m,
                    Some(prev) => intersect(prev, &m),
                });
            }
        }
        // Next combination.
        for r in 0..rows.len() {
            idx[r] += 1;
            if idx[r] < rows[r].len() {
                continue 'outer;
            }
            idx[r] = 0;
        }
        break;
    }
    if !any {
        return Settled::NoCombination;
    }
    Settled::Placed(agreed.into_iter().map(Option::unwrap_or_default).collect())
}

/// Keep the phases both readings give the same value; a phase one reading leaves empty is not agreed.
fn intersect(a: BTreeMap<Phase, Val>, b: &BTreeMap<Phase, Val>) -> BTreeMap<Phase, Val> {
    a.into_iter().filter(|(p, v)| b.get(p) == Some(v)).collect()
}

/// A phase column read from a run of loose numbers: (line, value) per row.
pub(crate) type Run = (Phase, Vec<(u32, machi_domain::Yen)>);

/// Runs of loose numbers after a table (one run per phase column, one value per row): the runs are
/// matched to phases by the stated totals. `None` unless every run matches exactly one unused phase.
pub(crate) fn runs(values: &[(u32, machi_domain::Yen)], rows: usize, stated: &[(Phase, Val)]) -> Option<Vec<Run>> {
    if rows == 0 || values.len() != rows * stated.len() {
        return None;
    }
    let mut used = vec![false; stated.len()];
    let mut out = Vec::new();
    for run in values.chunks(rows) {
        let sum: i64 = run.iter().map(|(_, y)| y.get()).sum();
        let matches: Vec<usize> =
            (0..stated.len()).filter(|&k| !used[k] && stated[k].1.is_some_and(|y| y.get() == sum)).collect();
        // Two columns with equal totals cannot be told apart by them.
        let [k] = matches.as_slice() else { return None };
        used[*k] = true;
        out.push((stated[*k].0, run.to_vec()));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::tokens::num_token;
    use machi_domain::{Unit, Yen};

    fn toks(s: &str) -> Vec<NumTok> {
        s.split_whitespace().filter_map(|t| num_token(t, Unit::Thousand)).collect()
    }

    const I: Phase = Phase::Initial;
    const F: Phase = Phase::Revised { month: 2 };
    const S: Phase = Phase::Settled;
    const SEP: Phase = Phase::Revised { month: 9 };

    #[test]
    fn glued_cells_are_split_only_when_the_totals_agree() {
        let ph = [I, F, S];
        let rows = vec![
            alternatives(&toks("427 132 126132"), &ph, &[SEP]),
            alternatives(&toks("350 250 233290"), &ph, &[SEP]),
        ];
        let stated = BTreeMap::from([(I, 777_000), (F, 382_000), (S, 359_000)]);
        let Settled::Placed(p) = settle(&rows, &stated) else { panic!() };
        assert_eq!(p[0][&S], Some(Yen::new(126_000)));
        assert_eq!(p[0][&SEP], Some(Yen::new(132_000)));
        assert_eq!(p[1][&SEP], Some(Yen::new(290_000)));
        // Without a settled total nothing decides the split.
        let stated = BTreeMap::from([(I, 777_000)]);
        let Settled::Placed(p) = settle(&rows, &stated) else { panic!() };
        assert!(!p[0].contains_key(&S));
        assert_eq!(p[0][&I], Some(Yen::new(427_000)));
    }

    #[test]
    fn short_rows_place_only_what_every_reconciling_reading_shares() {
        let rows =
            vec![alternatives(&toks("267 0"), &[I, F, S], &[]), alternatives(&toks("100 50 40"), &[I, F, S], &[])];
        let stated = BTreeMap::from([(I, 367_000), (F, 50_000), (S, 40_000)]);
        let Settled::Placed(p) = settle(&rows, &stated) else { panic!() };
        assert_eq!(p[0].get(&I), Some(&Some(Yen::new(267_000))));
        assert!(!p[0].contains_key(&F), "the 0 could be either column");
    }
}
