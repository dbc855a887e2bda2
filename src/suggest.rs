//! "Did you mean": the allowed word nearest to one that was misspelt.

/// The candidate nearest to `word`, if it is near enough to be a likely slip: case, `-` for
/// `_`, and a few letters added, dropped, changed or swapped.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    let word = norm(word);
    // A third of the word, at least one letter: `tittle` finds `title`, `x` finds nothing.
    let allowed = (word.chars().count() / 3).max(1);
    // Or another ending of the same stem: `detected` finds `detection`.
    let same_stem = |c: &str| {
        let shared = word.chars().zip(c.chars()).take_while(|(a, b)| a == b).count();
        shared >= 5 && shared * 3 >= word.chars().count().min(c.chars().count()) * 2
    };
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &norm(c)), c))
        .filter(|&(d, c)| (d <= allowed || same_stem(&norm(c))) && c.len() > 1)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The states breachline works out (as the tables and JSON name them), which people write
/// under `status:` having seen them in the output.
const STATES: [&str; 8] = [
    "open",
    "overdue",
    "done_late",
    "due_soon",
    "no_deadline",
    "no_record",
    "late",
    "missed",
];

/// Help for serde's "unknown field/variant `x`, expected one of `a`, `b`" messages: the
/// nearest allowed word, and for a status written as a state, the difference between the two.
pub fn help_for_unknown(message: &str) -> Option<String> {
    let (what, rest) = if let Some(at) = message.find("unknown field `") {
        ("key", &message[at + "unknown field `".len()..])
    } else if let Some(at) = message.find("unknown variant `") {
        ("value", &message[at + "unknown variant `".len()..])
    } else {
        return None;
    };
    let (word, rest) = rest.split_once('`')?;
    let allowed: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let is_status = allowed.contains(&"planned") && allowed.contains(&"in_progress");
    let norm = word.to_lowercase().replace('-', "_");
    if is_status && (STATES.contains(&norm.as_str()) || norm == "in_progress") {
        let words = allowed
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let nearest = match closest(word, allowed.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? "),
            None => String::new(),
        };
        return Some(format!(
            "{nearest}`status` is what the sources say of the work, one of {words}; states such as `open`, `overdue` or `done_late` are what breachline works out from the dates as of a day, and are never written"
        ));
    }
    match closest(word, allowed.iter().copied()) {
        Some(c) => Some(format!("did you mean `{c}`?")),
        None if what == "key" => Some(
            "check the spelling of the key; the keys allowed here are listed above (see docs/format.md)"
                .into(),
        ),
        None => Some("use one of the values listed above".into()),
    }
}

/// Help for a date written with other separators or in another order: the same day as
/// breachline reads it, when that is unambiguous (the year first).
pub fn help_for_date(message: &str) -> Option<String> {
    let rest = &message[message.find('`')? + 1..];
    let (written, after) = rest.split_once('`')?;
    if !after.starts_with(" is not a date:") {
        return None;
    }
    let parts: Vec<&str> = written
        .split(['/', '.', ' ', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && m.len() <= 2
                && d.len() <= 2 =>
        {
            Some(format!("did you mean `{y}-{m:0>2}-{d:0>2}`?"))
        }
        // The message says the forms allowed already.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_words_are_suggested_and_far_ones_are_not() {
        let keys = ["id", "title", "kind", "date"];
        assert_eq!(closest("tittle", keys), Some("title"));
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("Kind", keys), Some("kind"));
        assert_eq!(closest("organisation", ["organization"]), Some("organization"));
        assert_eq!(closest("detected", ["detection", "disclosure"]), Some("detection"));
        assert_eq!(closest("x", keys), None);
        assert_eq!(closest("publisher", keys), None);
    }

    #[test]
    fn a_date_with_slashes_is_rewritten() {
        let m = "events[0].date: `2025/4/03` is not a date: write dates as YYYY-MM-DD, e.g. 2025-04-10";
        assert_eq!(help_for_date(m).unwrap(), "did you mean `2025-04-03`?");
        assert!(help_for_unknown("`03/04/2025` is not a date").is_none());
        assert!(help_for_date("`03/04/2025` is not a date: write").is_none());
        assert!(help_for_date("`2025/04/10T09:30` is not a date-time with an offset").is_none());
    }

    #[test]
    fn a_state_under_status_is_explained() {
        let m = "remediation[0].status: unknown variant `open`, expected one of `planned`, `in_progress`, `done`, `cancelled`";
        let help = help_for_unknown(m).unwrap();
        assert!(help.contains("`status` is what the sources say"), "{help}");
        assert!(help.contains("`planned`, `in_progress`, `done`, `cancelled`"), "{help}");
        let m = "x: unknown variant `in-progress`, expected one of `planned`, `in_progress`, `done`, `cancelled`";
        assert!(help_for_unknown(m)
            .unwrap()
            .starts_with("did you mean `in_progress`? `status` is"));
    }

    #[test]
    fn unknown_keys_and_values_get_the_nearest() {
        let m = "unknown field `tittle`, expected one of `format`, `id`, `title`";
        assert_eq!(help_for_unknown(m).unwrap(), "did you mean `title`?");
        let m = "events[0].kind: unknown variant `detected`, expected one of `compromise`, `detection`";
        assert_eq!(help_for_unknown(m).unwrap(), "did you mean `detection`?");
        let m = "unknown field `zzz`, expected one of `format`, `id`, `title`";
        assert!(help_for_unknown(m).unwrap().starts_with("check the spelling"));
    }
}
