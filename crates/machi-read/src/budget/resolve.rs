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

/// The initial figure of a row or total whose numbers have one reading: `Some(None)` for a printed `―`,
/// `None` when there are several readings or no initial column.
pub(crate) fn certain_initial(alts: &[Alt]) -> Option<Val> {
    match alts {
        [one] => one.iter().find(|(p, _)| *p == Phase::Initial).map(|(_, v)| *v),
        _ => None,
    }
}

/// Most combinations tried for one fund before giving up (reported, never guessed).
const MAX_COMBINATIONS: usize = 200_000;

/// The header a row's numbers belong to: the latest one before `line` whose phase count fits, else the
/// first one after it that fits, else the latest one before.
pub(crate) fn phases_for(headers: &[(u32, Vec<Phase>)], line: u32, count: usize) -> Option<&Vec<Phase>> {
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

/// Every reading of the tokens as a flat list of values (glued cells split or not), handed to `each`
/// in order. Stops after the 4097th reading, as the cap on a row's readings.
fn readings(nums: &[NumTok], mut each: impl FnMut(&[Val])) {
    // A row of up to eight clean values (almost every row) is read on the stack.
    if nums.len() <= 8 && nums.iter().all(NumTok::is_clean) {
        let mut vals = [None; 8];
        for (v, t) in vals.iter_mut().zip(nums) {
            *v = t.readings[0][0];
        }
        each(&vals[..nums.len()]);
        return;
    }
    // Almost every row has one reading per token: one flat list, with no product of prefixes to build.
    if nums.iter().all(|t| t.readings.len() == 1) {
        let vals: Vec<Val> = nums.iter().flat_map(|t| t.readings[0].iter().copied()).collect();
        each(&vals);
        return;
    }
    let mut out: Vec<Vec<Val>> = vec![Vec::new()];
    for (k, t) in nums.iter().enumerate() {
        let last = k + 1 == nums.len();
        let mut next = Vec::new();
        for prefix in &out {
            for r in t.readings.iter() {
                let mut v = Vec::with_capacity(prefix.len() + r.len());
                v.extend_from_slice(prefix);
                v.extend(r.iter().copied());
                next.push(v);
                if next.len() > 4096 {
                    next.iter().for_each(|v| each(v));
                    return;
                }
            }
        }
        if last {
            next.iter().for_each(|v| each(v));
            return;
        }
        out = next;
    }
    // No tokens: one empty reading.
    each(&[]);
}

/// All alternatives for a row's numbers under `phases` (plus phases named only by stray headers, whose
/// values are glued at the end of the row as in 東区).
pub(crate) fn alternatives(nums: &[NumTok], phases: &[Phase], extra: &[Phase]) -> Vec<Alt> {
    let mut out: Vec<Alt> = Vec::new();
    // Phases, then the extra ones not among them, without building a vector for each row.
    let all = || phases.iter().copied().chain(extra.iter().copied().filter(|p| !phases.contains(p)));
    let all_len = phases.len() + extra.iter().filter(|p| !phases.contains(p)).count();
    let mut pick = Vec::new();
    readings(nums, |vals| {
        // Extra phases only take values split off a glued cell (more values than printed tokens).
        let glued = vals.len() > nums.len();
        if vals.len() == phases.len() || (glued && vals.len() == all_len && all_len > phases.len()) {
            push_dedup(&mut out, all().zip(vals.iter().copied()).collect());
        } else if !vals.is_empty() && vals.len() < phases.len() {
            // Fewer values than columns: every order-keeping choice of columns.
            first_choice(&mut pick, vals.len());
            loop {
                push_dedup(&mut out, pick.iter().map(|&i| phases[i]).zip(vals.iter().copied()).collect());
                if !next_choice(&mut pick, phases.len()) {
                    break;
                }
            }
        }
    });
    out
}

/// Push unless equal to the last one (what `dedup` after collecting did).
fn push_dedup(out: &mut Vec<Alt>, a: Alt) {
    if out.last() != Some(&a) {
        // Almost every row has one alternative: reserve for exactly that (a plain push reserves four).
        if out.is_empty() {
            out.reserve_exact(1);
        }
        out.push(a);
    }
}

/// The first `k`-subset of column indices in lexicographic order: `0, 1, …, k-1`.
fn first_choice(pick: &mut Vec<usize>, k: usize) {
    pick.clear();
    pick.extend(0..k);
}

/// Advance `pick` to the next `k`-subset of `0..n` in lexicographic order, in place (no allocation per
/// call); false after the last one.
fn next_choice(pick: &mut [usize], n: usize) -> bool {
    let k = pick.len();
    for i in (0..k).rev() {
        if pick[i] < n - k + i {
            pick[i] += 1;
            for j in i + 1..k {
                pick[j] = pick[j - 1] + 1;
            }
            return true;
        }
    }
    false
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

/// Settle rows (each a list of alternatives; one alternative = certain) against stated totals.
pub(crate) fn settle(rows: &[&[Alt]], stated: &BTreeMap<Phase, i64>) -> Settled {
    let mut count: usize = 1;
    for r in rows {
        count = count.saturating_mul(r.len().max(1));
    }
    if count > MAX_COMBINATIONS {
        return Settled::TooMany;
    }
    // Only the stated phases are compared, so each alternative is reduced once to what it adds to each
    // of them; a combination is then a sum of small vectors instead of a map built per combination.
    let want: Vec<i64> = stated.values().copied().collect();
    let k = want.len();
    let contrib: Vec<Vec<i64>> = rows
        .iter()
        .map(|alts| {
            let mut c = Vec::with_capacity(alts.len() * k);
            for a in alts.iter() {
                c.extend(stated.keys().map(|&p| adds_to(a, p)));
            }
            c
        })
        .collect();
    let mut agreed: Vec<Option<BTreeMap<Phase, Val>>> = vec![None; rows.len()];
    let mut any = false;
    let mut idx = vec![0usize; rows.len()];
    let mut sum = vec![0i64; k];
    'outer: loop {
        sum.iter_mut().for_each(|x| *x = 0);
        for (r, alts) in rows.iter().enumerate() {
            if idx[r] < alts.len() {
                let c = &contrib[r][idx[r] * k..(idx[r] + 1) * k];
                sum.iter_mut().zip(c).for_each(|(x, y)| *x += y);
            }
        }
        if sum == want {
            any = true;
            for (r, alts) in rows.iter().enumerate() {
                let Some(a) = alts.get(idx[r]) else { continue };
                agreed[r] = Some(match agreed[r].take() {
                    None => a.iter().copied().collect(),
                    Some(prev) => intersect(prev, a),
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

/// What the reconciling readings agree on for one row, per phase.
pub(crate) type Agreed = BTreeMap<Phase, Val>;

/// Where no reading of the rows adds up in every column: the columns that some reading adds up in,
/// settled together, with what every reading adding up in all of them agrees on (only those columns'
/// values). `None` when no column adds up, or when those that do cannot all add up at once.
pub(crate) fn settle_columns(rows: &[&[Alt]], stated: &BTreeMap<Phase, i64>) -> Option<(Vec<Agreed>, Vec<Phase>)> {
    let columns: BTreeMap<Phase, i64> = stated
        .iter()
        .filter(|&(&p, &want)| matches!(settle(rows, &BTreeMap::from([(p, want)])), Settled::Placed(_)))
        .map(|(&p, &want)| (p, want))
        .collect();
    if columns.is_empty() || columns.len() == stated.len() {
        return None;
    }
    let Settled::Placed(agreed) = settle(rows, &columns) else { return None };
    let keep = |m: BTreeMap<Phase, Val>| m.into_iter().filter(|(p, _)| columns.contains_key(p)).collect();
    Some((agreed.into_iter().map(keep).collect(), columns.into_keys().collect()))
}

/// Whether rows that each have at most one reading add up to the stated totals: what [`settle`] finds
/// for them (`Placed` or `NoCombination`) without building the agreed values, which nothing needs when
/// no row had a choice.
pub(crate) fn adds_up(rows: &[&[Alt]], stated: &BTreeMap<Phase, i64>) -> bool {
    stated
        .iter()
        .all(|(&p, &want)| rows.iter().filter_map(|alts| alts.first()).map(|a| adds_to(a, p)).sum::<i64>() == want)
}

/// What a reading adds to a phase's total: its values for that phase (an empty cell adds nothing).
fn adds_to(a: &Alt, p: Phase) -> i64 {
    a.iter().filter(|(q, _)| *q == p).map(|(_, v)| v.map_or(0, |y| y.get())).sum()
}

/// Keep the phases both readings give the same value; a phase one reading leaves empty is not agreed.
/// `b` is read as a map would be: the last value for a repeated phase wins.
fn intersect(a: BTreeMap<Phase, Val>, b: &Alt) -> BTreeMap<Phase, Val> {
    a.into_iter().filter(|(p, v)| b.iter().rev().find(|(q, _)| q == p).map(|(_, w)| w) == Some(v)).collect()
}

/// A phase column read from a run of loose numbers: (line, value) per row.
pub(crate) type Run = (Phase, Vec<(u32, machi_domain::Yen)>);

/// What the totals decide about runs of loose numbers printed after a table.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct RunsRead {
    /// The phase columns decided, each with its (line, value) per row, in phase order.
    pub placed: Vec<Run>,
    /// Runs left unplaced because columns with equal totals have unequal runs: each with the columns
    /// it could be.
    pub tied: Vec<(usize, Vec<Phase>)>,
    /// The runs' sums are not the column totals: none is read as a column.
    pub unfit: bool,
    /// Read row by row instead (each row's cells in the header's order) the figures add up to the column
    /// totals too, and give other values: which way they were printed is not certain, so none is placed.
    pub also_by_row: bool,
}

/// Runs of loose numbers after a table (one run per phase column, one value per row): the runs are
/// matched to phases by the stated totals. `None` unless there are exactly as many values as rows times
/// phases.
///
/// A run fits the columns whose total is its sum. Unless every total is the sum of as many runs as
/// columns state it, the runs are not read as these columns at all (a missing or extra figure would
/// shift every run after it). Columns with equal totals (当初予算 and 9月補正後 often are) cannot be told
/// apart by them: their runs are placed only if they are equal too, when either reading gives the same
/// numbers (each column then cites the lines of its run in printed order).
pub(crate) fn runs(values: &[(u32, machi_domain::Yen)], rows: usize, stated: &[(Phase, Val)]) -> Option<RunsRead> {
    if rows == 0 || values.len() != rows * stated.len() {
        return None;
    }
    let runs: Vec<&[(u32, machi_domain::Yen)]> = values.chunks(rows).collect();
    let sums: Vec<i64> = runs.iter().map(|run| run.iter().map(|(_, y)| y.get()).sum()).collect();
    let columns_of = |sum: i64| -> Vec<usize> {
        (0..stated.len()).filter(|&k| stated[k].1.is_some_and(|y| y.get() == sum)).collect()
    };
    let mut read = RunsRead::default();
    // The same figures as rows: row r's cell k is figure r * columns + k.
    let by_row = |r: usize, k: usize| values[r * stated.len() + k].1;
    let rows_fit = (0..stated.len())
        .all(|k| stated[k].1.is_some_and(|y| (0..rows).map(|r| by_row(r, k).get()).sum::<i64>() == y.get()));
    let fit = sums.iter().all(|&sum| sums.iter().filter(|&&s| s == sum).count() == columns_of(sum).len());
    if !fit {
        read.unfit = true;
        return Some(read);
    }
    for (i, &sum) in sums.iter().enumerate() {
        let columns = columns_of(sum);
        // The runs of this sum, in printed order: the first of them takes the first column.
        let same_sum: Vec<usize> = (0..runs.len()).filter(|&j| sums[j] == sum).collect();
        let equal = same_sum.iter().all(|&j| runs[j].iter().zip(runs[i]).all(|((_, x), (_, y))| x == y));
        let nth = same_sum.iter().position(|&j| j == i).unwrap_or(0);
        match columns.get(nth) {
            Some(&k) if equal => read.placed.push((stated[k].0, runs[i].to_vec())),
            _ => read.tied.push((i, columns.iter().map(|&k| stated[k].0).collect())),
        }
    }
    read.placed.sort_by_key(|(p, _)| *p);
    // Both readings add up: unless they agree on every value, the printed order decides, and nothing
    // in the text says which it is.
    let agree = read.placed.iter().all(|(p, run)| {
        let k = stated.iter().position(|(q, _)| q == p).unwrap_or(usize::MAX);
        run.iter().enumerate().all(|(r, (_, y))| k < stated.len() && by_row(r, k) == *y)
    });
    if rows_fit && !(agree && read.tied.is_empty()) {
        return Some(RunsRead { also_by_row: true, ..RunsRead::default() });
    }
    Some(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::tokens::num_token;
    use machi_domain::{Unit, Yen};

    fn toks(s: &str) -> Vec<NumTok> {
        s.split_whitespace().filter_map(|t| num_token(t, Unit::Thousand)).collect()
    }

    proptest::proptest! {
        /// For rows with no choice, checking the sums says what settling them would.
        #[test]
        fn adds_up_agrees_with_settle_when_no_row_has_a_choice(
            rows in proptest::collection::vec(proptest::option::of(proptest::collection::vec((0u8..3, proptest::option::of(0i64..4)), 0..4)), 0..5),
            stated in proptest::collection::btree_map(0u8..3, 0i64..12, 0..3),
        ) {
            let phase = |i: u8| [Phase::Initial, Phase::Revised { month: 9 }, Phase::Settled][usize::from(i)];
            let alts: Vec<Vec<Alt>> = rows
                .iter()
                .map(|r| r.iter().map(|a| a.iter().map(|&(p, v)| (phase(p), v.map(Yen::new))).collect()).collect())
                .collect();
            let rows: Vec<&[Alt]> = alts.iter().map(Vec::as_slice).collect();
            let need: BTreeMap<Phase, i64> = stated.iter().map(|(&p, &v)| (phase(p), v)).collect();
            proptest::prop_assert_eq!(adds_up(&rows, &need), matches!(settle(&rows, &need), Settled::Placed(_)));
        }
    }

    const I: Phase = Phase::Initial;
    const F: Phase = Phase::Revised { month: 2 };
    const S: Phase = Phase::Settled;
    const SEP: Phase = Phase::Revised { month: 9 };

    #[test]
    fn glued_cells_are_split_only_when_the_totals_agree() {
        let ph = [I, F, S];
        let rows =
            [alternatives(&toks("427 132 126132"), &ph, &[SEP]), alternatives(&toks("350 250 233290"), &ph, &[SEP])];
        let stated = BTreeMap::from([(I, 777_000), (F, 382_000), (S, 359_000)]);
        let rows: Vec<&[Alt]> = rows.iter().map(Vec::as_slice).collect();
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
        let rows = [alternatives(&toks("267 0"), &[I, F, S], &[]), alternatives(&toks("100 50 40"), &[I, F, S], &[])];
        let stated = BTreeMap::from([(I, 367_000), (F, 50_000), (S, 40_000)]);
        let rows: Vec<&[Alt]> = rows.iter().map(Vec::as_slice).collect();
        let Settled::Placed(p) = settle(&rows, &stated) else { panic!() };
        assert_eq!(p[0].get(&I), Some(&Some(Yen::new(267_000))));
        assert!(!p[0].contains_key(&F), "the 0 could be either column");
    }

    /// Runs of one value per row, on consecutive lines from 10.
    fn printed(values: &[i64]) -> Vec<(u32, Yen)> {
        values.iter().enumerate().map(|(i, &v)| (10 + i as u32, Yen::new(v))).collect()
    }

    fn phases(read: &RunsRead) -> Vec<(Phase, Vec<i64>)> {
        read.placed.iter().map(|(p, run)| (*p, run.iter().map(|(_, y)| y.get()).collect())).collect()
    }

    #[test]
    fn runs_are_matched_to_columns_by_their_sums_in_any_printed_order() {
        let stated = [(I, Some(Yen::new(30))), (F, Some(Yen::new(20))), (S, Some(Yen::new(12)))];
        // Printed 決算額 first: each run's sum names one column.
        let read = runs(&printed(&[7, 5, 20, 10, 12, 8]), 2, &stated).unwrap();
        assert_eq!(phases(&read), vec![(I, vec![20, 10]), (F, vec![12, 8]), (S, vec![7, 5])]);
        assert!(read.tied.is_empty() && !read.unfit);
        // Not one value per row and column: not runs at all.
        assert_eq!(runs(&printed(&[20, 10, 12]), 2, &stated), None);
    }

    #[test]
    fn three_columns_with_equal_totals_need_all_three_runs_equal() {
        let stated =
            [(I, Some(Yen::new(15))), (SEP, Some(Yen::new(15))), (F, Some(Yen::new(15))), (S, Some(Yen::new(3)))];
        let read = runs(&printed(&[9, 6, 9, 6, 9, 6, 2, 1]), 2, &stated).unwrap();
        assert_eq!(phases(&read).len(), 4);
        // Two equal runs and a third that differs: any of the three columns could be the odd one.
        let read = runs(&printed(&[9, 6, 9, 6, 8, 7, 2, 1]), 2, &stated).unwrap();
        assert_eq!(phases(&read), vec![(S, vec![2, 1])]);
        assert_eq!(read.tied.len(), 3);
    }

    #[test]
    fn columns_with_equal_totals_are_placed_only_when_their_runs_are_equal() {
        let stated = [(I, Some(Yen::new(15))), (SEP, Some(Yen::new(15))), (S, Some(Yen::new(11)))];
        // Nothing changed in September: either reading gives the same numbers.
        let read = runs(&printed(&[9, 6, 9, 6, 7, 4]), 2, &stated).unwrap();
        assert_eq!(phases(&read), vec![(I, vec![9, 6]), (SEP, vec![9, 6]), (S, vec![7, 4])]);
        assert_eq!(read.placed[0].1[0].0, 10, "the first run's lines are cited for the first column");
        // Money moved between the rows: which run is 当初予算 is not certain.
        let read = runs(&printed(&[9, 6, 10, 5, 7, 4]), 2, &stated).unwrap();
        assert_eq!(phases(&read), vec![(S, vec![7, 4])]);
        assert_eq!(read.tied, vec![(0, vec![I, SEP]), (1, vec![I, SEP])]);
    }

    #[test]
    fn runs_whose_sums_are_not_the_column_totals_are_all_left() {
        let stated = [(I, Some(Yen::new(15))), (S, Some(Yen::new(11)))];
        // The first run fits 当初予算 but the second fits nothing: the figures may be shifted by one, so
        // the fitting run is not trusted either.
        let read = runs(&printed(&[9, 6, 7, 5]), 2, &stated).unwrap();
        assert_eq!((read.placed.len(), read.unfit), (0, true));
        // Two runs that both fit the one 当初予算 column.
        let read = runs(&printed(&[9, 6, 10, 5]), 2, &stated).unwrap();
        assert_eq!((read.placed.len(), read.unfit), (0, true));
        // An empty column total (`―`) fits no run.
        let read = runs(&printed(&[9, 6, 7, 4]), 2, &[(I, Some(Yen::new(15))), (S, None)]).unwrap();
        assert_eq!((read.placed.len(), read.unfit), (0, true));
    }

    #[test]
    fn columns_some_reading_adds_up_in_are_settled_when_others_do_not() {
        // Row 2 prints three figures for four columns; its 決算額 is not printed, so 決算額 adds up in no
        // reading, but the other three columns settle it: 600 600 550 are 当初, 9月 and 2月.
        let ph = [I, SEP, F, S];
        let rows = [alternatives(&toks("1,000 1,000 900 850"), &ph, &[]), alternatives(&toks("600 600 550"), &ph, &[])];
        let rows: Vec<&[Alt]> = rows.iter().map(Vec::as_slice).collect();
        let stated = BTreeMap::from([(I, 1_600_000), (SEP, 1_600_000), (F, 1_450_000), (S, 1_350_000)]);
        assert_eq!(settle(&rows, &stated), Settled::NoCombination);
        let (agreed, columns) = settle_columns(&rows, &stated).unwrap();
        assert_eq!(columns, [I, SEP, F]);
        let k = |v: i64| Some(Yen::new(v * 1000));
        assert_eq!(agreed[1], BTreeMap::from([(I, k(600)), (SEP, k(600)), (F, k(550))]));
        // Every column adds up: nothing partial to say.
        let all = BTreeMap::from([(I, 1_600_000), (SEP, 1_600_000), (F, 1_450_000), (S, 850_000)]);
        assert_eq!(settle_columns(&rows, &all), None);
    }

    #[test]
    fn runs_that_also_add_up_read_row_by_row_are_not_placed() {
        // Three rows, two columns (totals 9 and 6). As runs (columns) [4 2 3] [1 3 2]; as rows (4 2) (3 1)
        // (3 2), whose first cells add up to 10, not 9: only the column reading fits.
        let stated = [(I, Some(Yen::new(9))), (S, Some(Yen::new(6)))];
        let read = runs(&printed(&[4, 2, 3, 1, 3, 2]), 3, &stated).unwrap();
        assert_eq!(phases(&read), vec![(I, vec![4, 2, 3]), (S, vec![1, 3, 2])]);
        // As runs [4 2 3] [1 2 3]; as rows (4 2) (3 1) (2 3), adding up to 9 and 6 as well, with other
        // values (row 1 has 1 or 2 in 決算額): nothing is placed.
        let read = runs(&printed(&[4, 2, 3, 1, 2, 3]), 3, &stated).unwrap();
        assert!(read.also_by_row && read.placed.is_empty(), "{read:?}");
        // Two rows and two columns fit both ways only when the figures are symmetric, and then both
        // readings give the same values: placed.
        let stated = [(I, Some(Yen::new(6))), (S, Some(Yen::new(4)))];
        let read = runs(&printed(&[5, 1, 1, 3]), 2, &stated).unwrap();
        assert_eq!(phases(&read), vec![(I, vec![5, 1]), (S, vec![1, 3])]);
        assert!(!read.also_by_row);
    }
}
