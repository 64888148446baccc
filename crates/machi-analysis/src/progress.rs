//! KPI progress and status, and roll-ups of a measure's KPIs and actions.
//!
//! **Progress** of a numeric KPI is how far the latest value has come from the baseline towards the
//! target: `(latest − baseline) / (target − baseline)`, so 0 is "still at the baseline", 1 is "target
//! met" (exactly 1 when latest equals target), below 0 is "moved the wrong way" and above 1 is "beyond the
//! target". The direction (up or down) follows from baseline and target, so a falling rate with a lower
//! target reads the same way as a rising count. The differences are taken exactly on the decimals as
//! printed and only the final ratio is a float.
//!
//! - Baseline = target (a "keep at least this level" KPI, 維持): achieved iff latest ≥ target; progress is
//!   1 when achieved and 0 otherwise.
//! - Categorical KPIs (`未設置` → `設置`): achieved iff the latest value is the target (NFKC, spaces
//!   ignored); progress 1 or 0.
//! - Cumulative KPIs (累計): the yearly observations are summed, and the sum (added to the baseline, which
//!   is taken as 0 when the document prints none) is the latest value. Observations from years after the
//!   baseline year count; when there is no baseline value, the baseline year's own observation counts too.
//!
//! **Status** compares progress with a straight path from the baseline year (0) to the target year (1):
//! `expected = (latest year − baseline year) / (target year − baseline year)`, clamped to 0..=1.
//!
//! | status     | rule |
//! |------------|------|
//! | `achieved` | the latest value meets the target |
//! | `on_track` | progress ≥ expected |
//! | `caution`  | progress ≥ [`CAUTION_SHARE`] (80 %) of expected |
//! | `behind`   | below that; also any KPI not achieved by the target year's observation or later |
//! | `no_data`  | no usable observation, or no target (or, for a non-cumulative numeric KPI, no baseline) |
//!
//! A categorical KPI not yet achieved is `on_track` in its baseline year, `caution` until the target year
//! and `behind` from then on (a category has no path to measure along).
//!
//! **Stale**: the latest observation is more than one fiscal year older than the latest fiscal year the
//! ledger knows (so a 2021 observation in a ledger that reaches 2022 is not stale; in 2023 it is).
//!
//! **Roll-ups** of a measure: the mean of its KPIs' progress (each clamped to 0..=1, so that one KPI far
//! beyond its target cannot hide another behind) and its actions' progress: done = 1, not started = 0,
//! postponed = 0 (it did not happen when planned). Cancelled actions, planned actions (nothing recorded
//! yet) and KPIs without data are left out, and counted so the reader can see what was left out.

use std::cmp::Ordering;
use std::collections::HashMap;

use machi_domain::{text, Action, Decimal, FiscalYear, Kpi, KpiObservation, KpiValue, Ledger, PolicyKind, Status};
use serde::{Serialize, Serializer};

/// A KPI whose progress is at least this share of the expected progress (but below it) is `caution`.
pub const CAUTION_SHARE: f64 = 0.8;

/// How a KPI is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    /// A number observed each year (`66.4%`).
    Numeric,
    /// A number whose yearly observations add up (累計).
    Cumulative,
    /// A state (`未設置` → `設置`).
    Categorical,
}

/// Which way a numeric KPI should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The target is above the baseline.
    Up,
    /// The target is below the baseline (a falling rate).
    Down,
    /// Baseline = target: keep at least this level.
    Keep,
}

/// Where a KPI stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiStatus {
    /// The latest value meets the target.
    Achieved,
    /// At or ahead of the straight path from baseline to target.
    OnTrack,
    /// Behind the path, but at least [`CAUTION_SHARE`] of it.
    Caution,
    /// Further behind, or the target year has come without the target.
    Behind,
    /// Nothing to judge by.
    NoData,
}

impl KpiStatus {
    /// The code used in JSON and the CLI (`on_track`).
    pub const fn code(self) -> &'static str {
        match self {
            KpiStatus::Achieved => "achieved",
            KpiStatus::OnTrack => "on_track",
            KpiStatus::Caution => "caution",
            KpiStatus::Behind => "behind",
            KpiStatus::NoData => "no_data",
        }
    }
}

/// A KPI's progress towards its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiProgress {
    /// The KPI.
    pub kpi_id: String,
    /// The measure it belongs to.
    pub policy_id: Option<String>,
    /// 指標
    pub indicator: String,
    /// Unit or counter (`%`).
    pub unit: String,
    /// How it is measured.
    pub kind: KpiKind,
    /// Which way it should move (numeric and cumulative KPIs with a baseline and target).
    pub direction: Option<Direction>,
    /// 基準年度
    pub baseline_year: Option<FiscalYear>,
    /// 基準値 (a JSON number or string).
    #[serde(serialize_with = "value_ser")]
    pub baseline: Option<KpiValue>,
    /// 目標年度
    pub target_year: Option<FiscalYear>,
    /// 目標値
    #[serde(serialize_with = "value_ser")]
    pub target: Option<KpiValue>,
    /// The year of the latest observation used.
    pub latest_year: Option<FiscalYear>,
    /// The latest value (for a cumulative KPI, baseline plus the sum of the observations).
    #[serde(serialize_with = "value_ser")]
    pub latest: Option<KpiValue>,
    /// How many observations went into `latest`.
    pub observations_used: usize,
    /// `(latest − baseline) / (target − baseline)`; 1 when the target is met exactly. Not clamped.
    pub progress: Option<f64>,
    /// Where a straight path from baseline year to target year would be in `latest_year`, 0..=1.
    pub expected: Option<f64>,
    /// The latest value meets the target.
    pub achieved: bool,
    /// Where it stands.
    pub status: KpiStatus,
    /// The latest observation is more than a year older than the ledger's latest fiscal year.
    pub stale: bool,
    /// Why something could not be computed, or what was left out.
    pub notes: Vec<String>,
}

fn value_ser<S: Serializer>(v: &Option<KpiValue>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(KpiValue::Number(d)) => s.serialize_f64(d.to_f64()),
        Some(KpiValue::Category(c)) => s.serialize_str(c),
    }
}

/// Progress of one KPI. `observations` may hold other KPIs' observations too: only those with the KPI's id
/// are used. `ledger_latest_year` is the latest fiscal year the ledger knows (for the stale flag).
pub fn kpi_progress(kpi: &Kpi, observations: &[KpiObservation], ledger_latest_year: Option<FiscalYear>) -> KpiProgress {
    let mut obs: Vec<&KpiObservation> = observations.iter().filter(|o| o.kpi_id == kpi.id).collect();
    obs.sort_by_key(|o| o.fiscal_year);
    let kind = match (&kpi.target_value, &kpi.baseline_value) {
        (Some(KpiValue::Category(_)), _) | (None, Some(KpiValue::Category(_))) => KpiKind::Categorical,
        _ if kpi.cumulative => KpiKind::Cumulative,
        _ => KpiKind::Numeric,
    };
    let mut p = KpiProgress {
        kpi_id: kpi.id.clone(),
        policy_id: kpi.policy_id.clone(),
        indicator: kpi.indicator.clone(),
        unit: kpi.unit.clone(),
        kind,
        direction: None,
        baseline_year: kpi.baseline_year,
        baseline: kpi.baseline_value.clone(),
        target_year: kpi.target_year,
        target: kpi.target_value.clone(),
        latest_year: None,
        latest: None,
        observations_used: 0,
        progress: None,
        expected: None,
        achieved: false,
        status: KpiStatus::NoData,
        stale: false,
        notes: Vec::new(),
    };
    match kind {
        KpiKind::Categorical => categorical(&mut p, &obs),
        KpiKind::Numeric | KpiKind::Cumulative => numeric(&mut p, &obs),
    }
    if let (Some(ledger), Some(latest)) = (ledger_latest_year, p.latest_year) {
        p.stale = ledger.year() - latest.year() > 1;
    }
    p
}

fn categorical(p: &mut KpiProgress, obs: &[&KpiObservation]) {
    let Some(KpiValue::Category(target)) = p.target.clone() else {
        p.notes.push("no target value".into());
        return;
    };
    let Some(last) = obs.last() else {
        p.notes.push("no observations".into());
        return;
    };
    p.latest_year = Some(last.fiscal_year);
    p.latest = Some(last.value.clone());
    p.observations_used = 1;
    let same = |a: &str, b: &str| text::squeeze(&text::fold(a)) == text::squeeze(&text::fold(b));
    p.achieved = matches!(&last.value, KpiValue::Category(c) if same(c, &target));
    p.progress = Some(if p.achieved { 1.0 } else { 0.0 });
    p.expected = expected(p);
    p.status = if p.achieved {
        KpiStatus::Achieved
    } else if p.target_year.is_some_and(|t| last.fiscal_year >= t) {
        KpiStatus::Behind
    } else if p.baseline_year.is_some_and(|b| last.fiscal_year <= b) {
        KpiStatus::OnTrack
    } else {
        KpiStatus::Caution
    };
}

fn numeric(p: &mut KpiProgress, obs: &[&KpiObservation]) {
    let Some(KpiValue::Number(target)) = p.target.clone() else {
        p.notes.push(if p.target.is_none() { "no target value" } else { "target is not a number" }.into());
        return;
    };
    let cumulative = p.kind == KpiKind::Cumulative;
    let baseline = match &p.baseline {
        Some(KpiValue::Number(b)) => *b,
        // A count that adds up from nothing: `—` as baseline is zero so far.
        None if cumulative => Decimal::from_int(0),
        None => {
            p.notes.push("no baseline value: progress cannot be measured".into());
            return;
        }
        Some(KpiValue::Category(_)) => {
            p.notes.push("baseline is not a number".into());
            return;
        }
    };
    let numbers: Vec<(FiscalYear, Decimal)> = obs
        .iter()
        .filter_map(|o| match &o.value {
            KpiValue::Number(d) => Some((o.fiscal_year, *d)),
            KpiValue::Category(_) => None,
        })
        .collect();
    if numbers.len() < obs.len() {
        p.notes.push(format!("{} observation(s) that are not numbers left out", obs.len() - numbers.len()));
    }
    let latest = if cumulative {
        let printed_baseline = p.baseline.is_some();
        let counts = |y: FiscalYear| match p.baseline_year {
            None => true,
            Some(b) if printed_baseline => y > b,
            Some(b) => y >= b,
        };
        let used: Vec<&(FiscalYear, Decimal)> = numbers.iter().filter(|(y, _)| counts(*y)).collect();
        if used.is_empty() {
            None
        } else {
            let sum = used.iter().try_fold(baseline, |acc, (_, d)| add(acc, *d));
            match sum {
                Some(s) => Some((used.iter().map(|(y, _)| *y).max(), s, used.len())),
                None => {
                    p.notes.push("the sum of the observations is too large".into());
                    return;
                }
            }
        }
    } else {
        numbers.last().map(|(y, d)| (Some(*y), *d, 1))
    };
    let Some((latest_year, latest, used)) = latest else {
        p.notes.push("no observations".into());
        return;
    };
    p.latest_year = latest_year;
    p.latest = Some(KpiValue::Number(latest));
    p.observations_used = used;
    let (progress, achieved, direction) = numeric_progress(baseline, target, latest);
    p.direction = Some(direction);
    p.progress = Some(progress);
    p.achieved = achieved;
    p.expected = expected(p);
    p.status = status(p);
}

/// Progress, achievement and direction of a numeric KPI from its baseline, target and latest value.
///
/// Exact on the decimals: `latest == target` gives exactly 1.0.
pub fn numeric_progress(baseline: Decimal, target: Decimal, latest: Decimal) -> (f64, bool, Direction) {
    let direction = match cmp(target, baseline) {
        Ordering::Greater => Direction::Up,
        Ordering::Less => Direction::Down,
        Ordering::Equal => Direction::Keep,
    };
    let achieved = match direction {
        Direction::Up | Direction::Keep => cmp(latest, target) != Ordering::Less,
        Direction::Down => cmp(latest, target) != Ordering::Greater,
    };
    let progress = match direction {
        Direction::Keep => {
            if achieved {
                1.0
            } else {
                0.0
            }
        }
        _ => ratio(baseline, target, latest),
    };
    (progress, achieved, direction)
}

/// The expected share of the way at the latest year, on a straight path from baseline year to target year.
fn expected(p: &KpiProgress) -> Option<f64> {
    let latest = p.latest_year?;
    Some(match (p.baseline_year, p.target_year) {
        (Some(b), Some(t)) if t > b => {
            ((latest.year() - b.year()) as f64 / (t.year() - b.year()) as f64).clamp(0.0, 1.0)
        }
        (_, Some(t)) if latest < t => 0.0,
        // Without years the target is taken as due now.
        _ => 1.0,
    })
}

fn status(p: &mut KpiProgress) -> KpiStatus {
    let (Some(progress), Some(expected)) = (p.progress, p.expected) else {
        return KpiStatus::NoData;
    };
    if p.achieved {
        return KpiStatus::Achieved;
    }
    if p.baseline_year.is_none() || p.target_year.is_none() {
        p.notes.push("no baseline or target year: judged against the full target".into());
    }
    if p.target_year.zip(p.latest_year).is_some_and(|(t, l)| l >= t) {
        return KpiStatus::Behind;
    }
    if progress >= expected {
        KpiStatus::OnTrack
    } else if progress >= CAUTION_SHARE * expected {
        KpiStatus::Caution
    } else {
        KpiStatus::Behind
    }
}

/// The two decimals at a common scale, exactly, if that fits in i128.
fn common(a: Decimal, b: Decimal) -> Option<(i128, i128)> {
    let s = a.scale.max(b.scale);
    let up = |d: Decimal| 10i128.checked_pow(s - d.scale)?.checked_mul(d.mantissa as i128);
    Some((up(a)?, up(b)?))
}

fn cmp(a: Decimal, b: Decimal) -> Ordering {
    match common(a, b) {
        Some((x, y)) => x.cmp(&y),
        None => a.to_f64().partial_cmp(&b.to_f64()).unwrap_or(Ordering::Equal),
    }
}

fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (x, y) = common(a, b)?;
    let m = i64::try_from(x.checked_add(y)?).ok()?;
    Some(Decimal { mantissa: m, scale: a.scale.max(b.scale) }.normalized())
}

/// `(latest − baseline) / (target − baseline)` with exact differences; target ≠ baseline.
fn ratio(baseline: Decimal, target: Decimal, latest: Decimal) -> f64 {
    let exact = (|| {
        let s = baseline.scale.max(target.scale).max(latest.scale);
        let up = |d: Decimal| 10i128.checked_pow(s - d.scale)?.checked_mul(d.mantissa as i128);
        let (b, t, l) = (up(baseline)?, up(target)?, up(latest)?);
        Some((l.checked_sub(b)? as f64) / (t.checked_sub(b)? as f64))
    })();
    exact.unwrap_or_else(|| (latest.to_f64() - baseline.to_f64()) / (target.to_f64() - baseline.to_f64()))
}

/// The latest fiscal year the ledger knows: of its documents and its observations.
pub fn ledger_latest_year(ledger: &Ledger) -> Option<FiscalYear> {
    let docs = ledger.documents.iter().filter_map(|d| d.fiscal_year);
    let obs = ledger.observations.iter().map(|o| o.fiscal_year);
    docs.chain(obs).max()
}

/// Progress of every KPI of the ledger, in ledger order.
pub fn all_kpi_progress(ledger: &Ledger) -> Vec<KpiProgress> {
    let latest = ledger_latest_year(ledger);
    let mut by_kpi: HashMap<&str, Vec<KpiObservation>> = HashMap::new();
    for o in &ledger.observations {
        by_kpi.entry(o.kpi_id.as_str()).or_default().push(o.clone());
    }
    ledger
        .kpis
        .iter()
        .map(|k| kpi_progress(k, by_kpi.get(k.id.as_str()).map(Vec::as_slice).unwrap_or(&[]), latest))
        .collect()
}

/// A measure's progress from its KPIs and actions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    /// Mean of the counted items' progress (each 0..=1); `None` when nothing counted.
    pub progress: Option<f64>,
    /// KPIs with a progress value.
    pub kpis_counted: usize,
    /// Actions done, not started or postponed.
    pub actions_counted: usize,
    /// KPIs left out for want of data.
    pub kpis_without_data: usize,
    /// Actions left out because nothing is recorded yet (planned).
    pub actions_without_record: usize,
    /// Actions left out because they were cancelled.
    pub actions_cancelled: usize,
    /// Everything left out: the three counts above added.
    pub left_out: usize,
}

/// The progress an action contributes to a roll-up; `None` when it is left out (planned or cancelled).
pub fn action_progress(status: Status) -> Option<f64> {
    match status {
        Status::Done => Some(1.0),
        Status::NotStarted | Status::Postponed => Some(0.0),
        Status::Planned | Status::Cancelled => None,
    }
}

/// Roll a measure's KPIs and actions up into one progress figure (see the module docs for the rules).
pub fn measure_rollup(kpis: &[KpiProgress], actions: &[&Action]) -> Rollup {
    let mut sum = 0.0;
    let mut r = Rollup {
        progress: None,
        kpis_counted: 0,
        actions_counted: 0,
        kpis_without_data: 0,
        actions_without_record: 0,
        actions_cancelled: 0,
        left_out: 0,
    };
    for k in kpis {
        match k.progress.filter(|p| p.is_finite()) {
            Some(p) => {
                sum += p.clamp(0.0, 1.0);
                r.kpis_counted += 1;
            }
            None => r.kpis_without_data += 1,
        }
    }
    for a in actions {
        match action_progress(a.status) {
            Some(p) => {
                sum += p;
                r.actions_counted += 1;
            }
            None if a.status == Status::Cancelled => r.actions_cancelled += 1,
            None => r.actions_without_record += 1,
        }
    }
    let n = r.kpis_counted + r.actions_counted;
    r.progress = (n > 0).then(|| sum / n as f64);
    r.left_out = r.kpis_without_data + r.actions_without_record + r.actions_cancelled;
    r
}

/// A measure of the ledger with its roll-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureRollup {
    /// The measure's policy node id.
    pub policy_id: String,
    /// Its code as printed (`①`).
    pub code: String,
    /// Its title.
    pub title: String,
    /// The roll-up of its KPIs and actions.
    pub rollup: Rollup,
}

/// Roll-ups of every measure that has KPIs or actions, in ledger order. `progress` is
/// [`all_kpi_progress`] of the same ledger.
pub fn measure_rollups(ledger: &Ledger, progress: &[KpiProgress]) -> Vec<MeasureRollup> {
    ledger
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Measure)
        .filter_map(|m| {
            let ks: Vec<KpiProgress> =
                progress.iter().filter(|k| k.policy_id.as_deref() == Some(m.id.as_str())).cloned().collect();
            let acts: Vec<&Action> =
                ledger.actions.iter().filter(|a| a.policy_id.as_deref() == Some(m.id.as_str())).collect();
            (!ks.is_empty() || !acts.is_empty()).then(|| MeasureRollup {
                policy_id: m.id.clone(),
                code: m.code.clone(),
                title: m.title.clone(),
                rollup: measure_rollup(&ks, &acts),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::Document;
    use proptest::prelude::*;

    fn fy(y: i32) -> FiscalYear {
        FiscalYear::new(y).expect("year")
    }

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).expect("decimal")
    }

    fn n(s: &str) -> Option<KpiValue> {
        Some(KpiValue::Number(d(s)))
    }

    fn kpi(baseline: Option<KpiValue>, target: Option<KpiValue>, cumulative: bool) -> Kpi {
        Kpi {
            id: "k1".into(),
            document_id: "doc".into(),
            policy_id: Some("m1".into()),
            indicator: "自治会加入率".into(),
            unit: "%".into(),
            cumulative,
            baseline_year: Some(fy(2014)),
            baseline_value: baseline,
            target_year: Some(fy(2022)),
            target_value: target,
            department: "市民協働推進課".into(),
            source_line: Some(62),
        }
    }

    fn obs(year: i32, value: Option<KpiValue>) -> KpiObservation {
        KpiObservation { kpi_id: "k1".into(), fiscal_year: fy(year), value: value.expect("value"), source_line: None }
    }

    #[test]
    fn rising_rate_against_the_straight_path() {
        // 自治会加入率 66.4% (H26) → 70% (R4): in 2018 half the years have passed.
        let k = kpi(n("66.4"), n("70"), false);
        let p = kpi_progress(&k, &[obs(2016, n("67")), obs(2018, n("68.2"))], Some(fy(2018)));
        assert_eq!(p.progress, Some(0.5));
        assert_eq!(p.expected, Some(0.5));
        assert_eq!((p.direction, p.status, p.achieved), (Some(Direction::Up), KpiStatus::OnTrack, false));
        assert_eq!((p.latest_year, p.latest.clone()), (Some(fy(2018)), n("68.2")));
        // 1.5 / 3.6 = 0.4167 ≥ 0.8 × 0.5: caution; 1.2 / 3.6 = 0.333: behind.
        assert_eq!(kpi_progress(&k, &[obs(2018, n("67.9"))], None).status, KpiStatus::Caution);
        assert_eq!(kpi_progress(&k, &[obs(2018, n("67.6"))], None).status, KpiStatus::Behind);
        let done = kpi_progress(&k, &[obs(2020, n("70.0"))], None);
        assert_eq!((done.progress, done.achieved, done.status), (Some(1.0), true, KpiStatus::Achieved));
        // The target year came without the target.
        assert_eq!(kpi_progress(&k, &[obs(2022, n("69.9"))], None).status, KpiStatus::Behind);
    }

    #[test]
    fn falling_rate_moves_down() {
        let k = kpi(n("12.0"), n("8.0"), false);
        let p = kpi_progress(&k, &[obs(2018, n("10"))], None);
        assert_eq!((p.direction, p.progress, p.status), (Some(Direction::Down), Some(0.5), KpiStatus::OnTrack));
        let p = kpi_progress(&k, &[obs(2018, n("7.5"))], None);
        assert_eq!((p.achieved, p.status), (true, KpiStatus::Achieved));
        assert_eq!(p.progress, Some(1.125));
        let p = kpi_progress(&k, &[obs(2018, n("13"))], None);
        assert_eq!((p.progress, p.status), (Some(-0.25), KpiStatus::Behind));
    }

    #[test]
    fn baseline_equal_to_target_means_keep_at_least() {
        let k = kpi(n("95"), n("95"), false);
        let p = kpi_progress(&k, &[obs(2017, n("96"))], None);
        assert_eq!((p.direction, p.progress, p.achieved), (Some(Direction::Keep), Some(1.0), true));
        let p = kpi_progress(&k, &[obs(2017, n("94.9"))], None);
        assert_eq!((p.progress, p.achieved), (Some(0.0), false));
        assert_eq!(p.status, KpiStatus::Behind);
    }

    #[test]
    fn categorical_is_achieved_or_not() {
        let cat = |s: &str| Some(KpiValue::Category(s.into()));
        let k = kpi(cat("未設置"), cat("設置"), false);
        assert_eq!(kpi_progress(&k, &[obs(2014, cat("未設置"))], None).status, KpiStatus::OnTrack);
        let p = kpi_progress(&k, &[obs(2016, cat("未設置"))], None);
        assert_eq!((p.kind, p.progress, p.status), (KpiKind::Categorical, Some(0.0), KpiStatus::Caution));
        let p = kpi_progress(&k, &[obs(2016, cat("未設置")), obs(2019, cat("設置"))], None);
        assert_eq!((p.progress, p.achieved, p.status), (Some(1.0), true, KpiStatus::Achieved));
        assert_eq!(kpi_progress(&k, &[obs(2022, cat("未設置"))], None).status, KpiStatus::Behind);
    }

    #[test]
    fn cumulative_sums_the_years() {
        // マッチング件数（累計）: — (H26) → 300組 (R4).
        let mut k = kpi(None, n("300"), true);
        k.unit = "組".into();
        let o = [obs(2014, n("20")), obs(2015, n("40")), obs(2016, n("45"))];
        let p = kpi_progress(&k, &o, Some(fy(2016)));
        assert_eq!((p.kind, p.latest.clone(), p.observations_used), (KpiKind::Cumulative, n("105"), 3));
        assert_eq!((p.progress, p.expected, p.status), (Some(0.35), Some(0.25), KpiStatus::OnTrack));
        // A printed baseline already counts its own year.
        let k = kpi(n("50"), n("300"), true);
        let p = kpi_progress(&k, &[obs(2014, n("50")), obs(2015, n("30"))], None);
        assert_eq!((p.latest.clone(), p.observations_used), (n("80"), 1));
        assert_eq!(p.progress, Some(0.12));
    }

    #[test]
    fn no_data_and_stale() {
        let k = kpi(n("66.4"), n("70"), false);
        let p = kpi_progress(&k, &[], Some(fy(2020)));
        assert_eq!((p.status, p.progress, p.stale), (KpiStatus::NoData, None, false));
        assert!(kpi_progress(&k, &[obs(2019, n("67"))], Some(fy(2021))).stale);
        assert!(!kpi_progress(&k, &[obs(2019, n("67"))], Some(fy(2020))).stale);
        // Other KPIs' observations are not this one's.
        let mut other = obs(2019, n("70"));
        other.kpi_id = "k2".into();
        assert_eq!(kpi_progress(&k, &[other], None).status, KpiStatus::NoData);
        let no_base = kpi_progress(&kpi(None, n("70"), false), &[obs(2019, n("67"))], None);
        assert_eq!(no_base.status, KpiStatus::NoData);
        assert!(!no_base.notes.is_empty());
    }

    fn action(status: Status) -> Action {
        Action {
            id: format!("a-{status}"),
            document_id: "doc".into(),
            policy_id: Some("m1".into()),
            number: "①".into(),
            description: "x".into(),
            department: String::new(),
            status,
            first_year: None,
            last_year: None,
            record: String::new(),
            source_line: None,
        }
    }

    #[test]
    fn rollup_is_the_mean_of_what_can_be_counted() {
        let k = kpi(n("66.4"), n("70"), false);
        let half = kpi_progress(&k, &[obs(2018, n("68.2"))], None);
        let over = kpi_progress(&k, &[obs(2018, n("73.6"))], None);
        let none = kpi_progress(&k, &[], None);
        assert_eq!(over.progress, Some(2.0));
        let acts: Vec<Action> =
            [Status::Done, Status::NotStarted, Status::Postponed, Status::Cancelled, Status::Planned]
                .into_iter()
                .map(action)
                .collect();
        let refs: Vec<&Action> = acts.iter().collect();
        let r = measure_rollup(&[half, over, none], &refs);
        // (0.5 + 1 (clamped) + 1 + 0 + 0) / 5
        assert_eq!(r.progress, Some(0.5));
        assert_eq!((r.kpis_counted, r.actions_counted), (2, 3));
        assert_eq!((r.kpis_without_data, r.actions_without_record, r.actions_cancelled, r.left_out), (1, 1, 1, 3));
        assert_eq!(measure_rollup(&[], &[]).progress, None);
    }

    #[test]
    fn ledger_wide_progress_finds_the_latest_year() {
        let mut l = Ledger::default();
        l.documents.push(Document {
            id: "doc".into(),
            title: "t".into(),
            municipality_code: None,
            municipality: String::new(),
            fiscal_year: Some(fy(2021)),
            unit: None,
            source_name: "t.txt".into(),
            source_sha256: String::new(),
            imported_at: String::new(),
        });
        l.kpis.push(kpi(n("66.4"), n("70"), false));
        l.observations.push(obs(2019, n("68.2")));
        l.policies.push(machi_domain::PolicyNode {
            id: "m1".into(),
            document_id: "doc".into(),
            parent_id: None,
            kind: PolicyKind::Measure,
            code: "④".into(),
            title: "自治会への加入を促進する".into(),
            stated_amount: None,
            source_line: None,
        });
        l.actions.push(action(Status::Done));
        assert_eq!(ledger_latest_year(&l), Some(fy(2021)));
        let all = all_kpi_progress(&l);
        assert_eq!(all.len(), 1);
        assert!(all[0].stale);
        let m = measure_rollups(&l, &all);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].code.as_str(), m[0].rollup.kpis_counted, m[0].rollup.actions_counted), ("④", 1, 1));
        assert_eq!(m[0].rollup.progress, Some(0.75));
    }

    fn dec() -> impl Strategy<Value = Decimal> {
        (-1_000_000_000i64..1_000_000_000, 0u32..4).prop_map(|(m, s)| Decimal { mantissa: m, scale: s }.normalized())
    }

    proptest! {
        #[test]
        fn latest_at_target_is_exactly_one(b in dec(), t in dec()) {
            let (p, achieved, _) = numeric_progress(b, t, t);
            prop_assert_eq!(p, 1.0);
            prop_assert!(achieved);
        }

        #[test]
        fn progress_is_monotonic_in_latest(b in dec(), t in dec(), l1 in dec(), l2 in dec()) {
            let (lo, hi) = if cmp(l1, l2) == Ordering::Greater { (l2, l1) } else { (l1, l2) };
            let (p_lo, a_lo, dir) = numeric_progress(b, t, lo);
            let (p_hi, a_hi, _) = numeric_progress(b, t, hi);
            match dir {
                Direction::Up | Direction::Keep => {
                    prop_assert!(p_lo <= p_hi, "{} > {}", p_lo, p_hi);
                    prop_assert!(!a_lo || a_hi);
                }
                Direction::Down => {
                    prop_assert!(p_lo >= p_hi, "{} < {}", p_lo, p_hi);
                    prop_assert!(!a_hi || a_lo);
                }
            }
        }

        #[test]
        fn achieved_iff_progress_reaches_one(b in dec(), t in dec(), l in dec()) {
            let (p, achieved, dir) = numeric_progress(b, t, l);
            prop_assert!(p.is_finite());
            prop_assert_eq!(achieved, p >= 1.0);
            if dir == Direction::Keep {
                prop_assert!(p == 0.0 || p == 1.0);
            }
        }

        #[test]
        fn cumulative_is_numeric_progress_of_the_sum(
            target in 1i64..100_000,
            counts in proptest::collection::vec(0i64..1_000, 0..9),
        ) {
            let k = kpi(None, Some(KpiValue::Number(Decimal::from_int(target))), true);
            let o: Vec<KpiObservation> = counts
                .iter()
                .enumerate()
                .map(|(i, c)| obs(2014 + i as i32, Some(KpiValue::Number(Decimal::from_int(*c)))))
                .collect();
            let p = kpi_progress(&k, &o, None);
            let sum: i64 = counts.iter().sum();
            if counts.is_empty() {
                prop_assert_eq!(p.status, KpiStatus::NoData);
            } else {
                prop_assert_eq!(p.latest.clone(), Some(KpiValue::Number(Decimal::from_int(sum))));
                let (expected, achieved, _) =
                    numeric_progress(Decimal::from_int(0), Decimal::from_int(target), Decimal::from_int(sum));
                prop_assert_eq!(p.progress, Some(expected));
                prop_assert_eq!(p.achieved, achieved);
                prop_assert!(p.expected.is_some_and(|e| (0.0..=1.0).contains(&e)));
            }
        }

        #[test]
        fn status_is_always_decided(b in dec(), t in dec(), l in dec(), by in 2000i32..2030, ty in 2000i32..2030, ly in 2000i32..2030) {
            let mut k = kpi(Some(KpiValue::Number(b)), Some(KpiValue::Number(t)), false);
            k.baseline_year = FiscalYear::new(by);
            k.target_year = FiscalYear::new(ty);
            let p = kpi_progress(&k, &[obs(ly, Some(KpiValue::Number(l)))], FiscalYear::new(2030));
            prop_assert!(p.status != KpiStatus::NoData);
            prop_assert_eq!(p.status == KpiStatus::Achieved, p.achieved);
            prop_assert!(p.expected.is_some_and(|e| (0.0..=1.0).contains(&e)));
        }
    }
}
