//! Lineage: the same project in other fiscal years, found by name similarity, since documents give no
//! stable project code and names drift (`北区笑顔交流事業` → `北区笑顔交流プロジェクト`).
//!
//! The score, from 0 to 1, is documented here because pages show it as a confidence:
//! `0.7 × J + 0.15 × [same fund] + 0.15 × [same number]`, where `J` is the Jaccard index of the
//! character bigrams of the two names after NFKC and removing whitespace (a one-character name counts as
//! its own bigram). Candidates come from the same municipality and area, other fiscal years; the best one
//! per year is kept if it scores at least [`THRESHOLD`]. Confidence is `high` from 0.85, `medium` from
//! 0.65, else `low`.

use std::collections::HashSet;

use machi_domain::text::nfkc;
use machi_domain::Project;
use serde::Serialize;

/// Lowest score shown.
pub(crate) const THRESHOLD: f64 = 0.5;

fn bigrams(s: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = nfkc(s).chars().filter(|c| !c.is_whitespace()).collect();
    match chars.len() {
        0 => HashSet::new(),
        1 => HashSet::from([(chars[0], chars[0])]),
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    }
}

/// Jaccard index of the character bigrams of `a` and `b`.
pub(crate) fn name_similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// The score of `b` as the same project as `a`, and the reasons that contributed.
pub(crate) fn score(a: &Project, b: &Project) -> (f64, Vec<&'static str>) {
    let j = name_similarity(&a.name, &b.name);
    let mut s = 0.7 * j;
    let mut why = Vec::new();
    if j >= 0.999 {
        why.push("same_name");
    } else if j > 0.0 {
        why.push("similar_name");
    }
    if !a.fund.is_empty() && a.fund == b.fund {
        s += 0.15;
        why.push("same_fund");
    }
    if !a.number.is_empty() && a.number == b.number {
        s += 0.15;
        why.push("same_number");
    }
    ((s * 1000.0).round() / 1000.0, why)
}

/// One match.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineageMatch {
    pub project_id: String,
    pub url: String,
    pub fiscal_year: Option<i32>,
    pub number: String,
    pub name: String,
    pub fund: String,
    pub score: f64,
    pub confidence: &'static str,
    pub reasons: Vec<&'static str>,
}

/// The best match for `p` in each other fiscal year, oldest first.
pub(crate) fn lineage(all: &[Project], p: &Project) -> Vec<LineageMatch> {
    let mut best: Vec<(Option<i32>, f64, &Project, Vec<&'static str>)> = Vec::new();
    for c in all {
        if c.id == p.id || c.area != p.area || c.municipality != p.municipality || c.fiscal_year == p.fiscal_year {
            continue;
        }
        let (s, why) = score(p, c);
        if s < THRESHOLD {
            continue;
        }
        let y = c.fiscal_year.map(|y| y.year());
        match best.iter_mut().find(|b| b.0 == y) {
            Some(b) if b.1 >= s => {}
            Some(b) => *b = (y, s, c, why),
            None => best.push((y, s, c, why)),
        }
    }
    best.sort_by_key(|b| b.0);
    best.into_iter()
        .map(|(y, s, c, why)| LineageMatch {
            project_id: c.id.clone(),
            url: format!("/projects/{}", crate::figures::enc(&c.id)),
            fiscal_year: y,
            number: c.number.clone(),
            name: c.name.clone(),
            fund: c.fund.clone(),
            score: s,
            confidence: if s >= 0.85 {
                "high"
            } else if s >= 0.65 {
                "medium"
            } else {
                "low"
            },
            reasons: why,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_projects_are_similar_and_unrelated_ones_are_not() {
        assert!((name_similarity("北区笑顔交流プロジェクト", "北区笑顔交流プロジェクト") - 1.0).abs() < 1e-9);
        let renamed = name_similarity("北区笑顔交流事業", "北区笑顔交流プロジェクト");
        assert!(renamed > 0.3 && renamed < 1.0, "{renamed}");
        assert!(name_similarity("緊急課題対応費", "北区まちづくり懇話会") < 0.1);
        // Half-width katakana reads like full-width.
        assert!((name_similarity("ﾜｰｸｼｮｯﾌﾟ", "ワークショップ") - 1.0).abs() < 1e-9);
    }
}
