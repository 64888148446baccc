//! Results notes: `中止`, `延期`, `未実施`, `実施`, `ゼロ予算事業`, and chains such as
//! `R3年3月開催予定➤5月へ延期➤中止`, where the last word decides.

use machi_domain::Status;

/// The status a note states: the keyword that comes last in the text wins (a chain ends in its outcome).
pub(crate) fn parse_status(note: &str) -> Option<Status> {
    let words: [(&str, Status); 4] = [
        ("未実施", Status::NotStarted),
        ("中止", Status::Cancelled),
        ("延期", Status::Postponed),
        ("実施", Status::Done),
    ];
    let mut best: Option<(usize, Status)> = None;
    for (w, s) in words {
        for (pos, _) in note.match_indices(w) {
            // `実施` inside `未実施` is the same word, already counted.
            if w == "実施" && note[..pos].ends_with('未') {
                continue;
            }
            if best.is_none_or(|(b, _)| pos > b) {
                best = Some((pos, s));
            }
        }
    }
    best.map(|(_, s)| s).or_else(|| note.contains("ゼロ予算事業").then_some(Status::Done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_word_decides() {
        assert_eq!(parse_status("中止"), Some(Status::Cancelled));
        assert_eq!(
            parse_status("西区にぎわいづくり実行委員会 負担金 R3年3月開催予定➤5月へ延期➤中止"),
            Some(Status::Cancelled)
        );
        assert_eq!(parse_status("R3年3月開催予定➤延期"), Some(Status::Postponed));
        assert_eq!(parse_status("未実施"), Some(Status::NotStarted));
        assert_eq!(parse_status("ゼロ予算事業として一部実施"), Some(Status::Done));
        assert_eq!(parse_status("身近な課題解決対応 ５事業"), None);
    }
}
