//! "Did you mean": the allowed word nearest to one that was misspelt.

/// The candidate nearest to `word`, if it is near enough to be a likely slip: case, `-` for
/// `_`, and a few letters added, dropped, changed or swapped.
///
/// Bounded whatever the input: a word or candidate longer than `LONGEST` characters is not
/// compared, candidates whose length differs by more than a slip allows are skipped before any
/// edit distance is worked out, and at most `MOST_CANDIDATES` are looked at.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    Nearest::new(candidates).closest(word)
}

/// Candidates made ready once, for [`closest`] asked about many words: a file with thousands
/// of references to undeclared ids asks about the same declared ids each time.
pub struct Nearest<'a> {
    candidates: Vec<Candidate<'a>>,
}

struct Candidate<'a> {
    word: &'a str,
    norm: String,
    chars: usize,
}

fn norm(s: &str) -> String {
    s.to_lowercase().replace(['-', ' '], "_")
}

impl<'a> Nearest<'a> {
    /// The first thousand of `candidates` (`MOST_CANDIDATES`), in their order: of equally
    /// near ones, the first is the answer.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let candidates = candidates
            .into_iter()
            .take(MOST_CANDIDATES)
            .filter(|c| c.len() > 1 && c.chars().count() <= LONGEST)
            .map(|word| {
                let norm = norm(word);
                Candidate {
                    word,
                    chars: norm.chars().count(),
                    norm,
                }
            })
            .collect();
        Nearest { candidates }
    }

    /// See [`closest`].
    pub fn closest(&self, word: &str) -> Option<&'a str> {
        if word.chars().count() > LONGEST {
            return None;
        }
        let word = norm(word);
        let length = word.chars().count();
        // A third of the word, at least one letter: `tittle` finds `title`, `x` finds nothing.
        let allowed = (length / 3).max(1);
        // Or another ending of the same stem: `detected` finds `detection`.
        let same_stem = |c: &Candidate<'_>| {
            let shared = word
                .chars()
                .zip(c.norm.chars())
                .take_while(|(a, b)| a == b)
                .count();
            shared >= 5 && shared * 3 >= length.min(c.chars) * 2
        };
        self.candidates
            .iter()
            .filter_map(|c| {
                if same_stem(c) {
                    return Some((strsim::damerau_levenshtein(&word, &c.norm), c.word));
                }
                // The distance is at least the difference in length: no need to work it out.
                if c.chars.abs_diff(length) > allowed {
                    return None;
                }
                let d = strsim::damerau_levenshtein(&word, &c.norm);
                (d <= allowed).then_some((d, c.word))
            })
            .min_by_key(|&(d, _)| d)
            .map(|(_, c)| c)
    }
}

/// Words longer than this are ids or text, not slips of a known word: no suggestion.
const LONGEST: usize = 64;

/// Candidates looked at, at most: a file may declare any number of ids.
const MOST_CANDIDATES: usize = 1_000;

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

/// Help for a value of the wrong shape where a list belongs.
pub fn help_for_list(message: &str) -> Option<String> {
    if !message.ends_with("expected a sequence") {
        return None;
    }
    Some(if message.contains("invalid type: map") {
        "this is a list: start each entry with `- ` (a dash and a space)".into()
    } else {
        "this is a list: write it in brackets, even with one item (`[s1]`, `[s1, s2]`), or one `- item` per line".into()
    })
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
                && [y, m, d]
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && m.len() <= 2
                && d.len() <= 2 =>
        {
            Some(format!("did you mean `{y}-{m:0>2}-{d:0>2}`?"))
        }
        // The message says the forms allowed already.
        _ => None,
    }
}

/// A YAML syntax error in plain words, with its likely cause and fix: `(message, help)`.
/// `line` is the line the parser points at, `column` where on it (from 1), `before` the line
/// above it.
pub fn syntax_in_plain_words(
    message: &str,
    line: Option<&str>,
    column: usize,
    before: Option<&str>,
) -> Option<(String, String)> {
    let line = line.unwrap_or("");
    let here: String = line.chars().skip(column.saturating_sub(1)).collect();
    let before = before.unwrap_or("");
    // A `#` after a space or a bracket starts a comment, which hides the rest of the line.
    let comment = |l: &str| l.contains(" #") || l.contains("[#") || l.contains(",#");
    let (message, help) = if message.contains("tab character")
        || (message.contains("cannot start any token") && line.starts_with('\t'))
        || line.trim_end().starts_with('\t')
    {
        (
            "this line is indented with a tab, which YAML does not allow",
            "indent with spaces only (most editors can turn tabs into spaces)",
        )
    } else if message.starts_with("did not find expected '-' indicator") {
        (
            "this line is at the indentation of a list's items, but does not start with `-`",
            "start each item of a list with `- ` (a dash and a space), or indent this line under the item above it",
        )
    } else if message.starts_with("did not find expected ',' or ']'")
        || message.starts_with("did not find expected ',' or '}'")
        || message.starts_with("did not find expected node content")
    {
        if comment(before) || comment(line) {
            (
                "a list or mapping in brackets is not closed: a `#` in it started a comment, which hid the rest of the line",
                "put values that start with # in quotes, e.g. [\"#1\", \"#2\"]",
            )
        } else {
            (
                "a list or mapping in brackets is not closed",
                "close `[` with `]` (or `{` with `}`) on the same entry, and separate the items with commas",
            )
        }
    } else if message.starts_with("did not find expected key") {
        let list = here.trim_start().starts_with(',')
            || [before, line]
                .iter()
                .any(|l| l.contains("\", \"") || l.contains("', '"));
        if list {
            (
                "a list is not written in one pair of brackets: YAML read the first item and did not expect what follows it",
                "write a list in brackets, e.g. `sources: [s1, s2]`, or one `- item` per line",
            )
        } else {
            (
                "this line does not fit the mapping it is in: it is indented differently from the keys around it, or something is left over after a value on the line above",
                "line this key up with the keys of its entry; write lists in brackets (`sources: [s1, s2]`) and quote values that contain `: ` or start with `#`",
            )
        }
    } else if message.starts_with("block sequence entries are not allowed in this context") {
        (
            "a list written with `- ` starts on the line of its key",
            "put each `- item` on a line of its own below the key, indented under it, or write the list in brackets: `sources: [s1, s2]`",
        )
    } else if message.starts_with("mapping values are not allowed in this context") {
        (
            "a value holds `: ` (a colon and a space), which YAML reads as the start of another key",
            "put the value in quotes, e.g. `detail: \"Cause: a leaked password\"`",
        )
    } else if message.starts_with("found unexpected end of stream")
        || message.starts_with("found unknown escape character")
        || message.contains("while scanning a quoted scalar")
    {
        (
            "a quoted value is not closed, or holds a `\\` that YAML does not know",
            "close the quotes on the same value; inside double quotes write `\\\\` for a backslash, or use single quotes",
        )
    } else {
        return None;
    };
    Some((message.to_owned(), help.to_owned()))
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
        assert_eq!(
            closest("organisation", ["organization"]),
            Some("organization")
        );
        assert_eq!(
            closest("detected", ["detection", "disclosure"]),
            Some("detection")
        );
        assert_eq!(closest("x", keys), None);
        assert_eq!(closest("publisher", keys), None);
    }

    #[test]
    fn yaml_syntax_is_put_in_plain_words() {
        let m = "did not find expected key at line 3 column 3, while parsing a block mapping";
        let (msg, help) =
            syntax_in_plain_words(m, Some("  kind: x"), 3, Some("  sources: \"s1\", \"s2\""))
                .unwrap();
        assert!(msg.contains("one pair of brackets"), "{msg}");
        assert!(help.contains("[s1, s2]"));
        let m = "did not find expected ',' or ']' at line 14 column 1";
        let (msg, _) = syntax_in_plain_words(m, Some(""), 1, Some("  sources: [#1]")).unwrap();
        assert!(msg.contains("`#`"), "{msg}");
        let m = "did not find expected node content at line 15 column 1, while parsing a flow node";
        let (msg, _) = syntax_in_plain_words(m, None, 1, Some("    sources: [#s1]")).unwrap();
        assert!(msg.contains("`#`"), "{msg}");
        let m = "mapping values are not allowed in this context";
        assert!(syntax_in_plain_words(m, None, 1, None)
            .unwrap()
            .1
            .contains("quotes"));
        let m = "did not find expected key at line 12 column 18, while parsing a block mapping";
        let line = "    sources: [s1], [s2]";
        let (msg, _) = syntax_in_plain_words(m, Some(line), 18, Some("")).unwrap();
        assert!(msg.contains("one pair of brackets"), "{msg}");
        assert!(syntax_in_plain_words("unknown anchor", None, 1, None).is_none());
    }

    #[test]
    fn a_date_with_slashes_is_rewritten() {
        let m =
            "events[0].date: `2025/4/03` is not a date: write dates as YYYY-MM-DD, e.g. 2025-04-10";
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
        assert!(
            help.contains("`planned`, `in_progress`, `done`, `cancelled`"),
            "{help}"
        );
        let m = "x: unknown variant `in-progress`, expected one of `planned`, `in_progress`, `done`, `cancelled`";
        assert!(help_for_unknown(m)
            .unwrap()
            .starts_with("did you mean `in_progress`? `status` is"));
    }

    #[test]
    fn unknown_keys_and_values_get_the_nearest() {
        let m = "unknown field `tittle`, expected one of `format`, `id`, `title`";
        assert_eq!(help_for_unknown(m).unwrap(), "did you mean `title`?");
        let m =
            "events[0].kind: unknown variant `detected`, expected one of `compromise`, `detection`";
        assert_eq!(help_for_unknown(m).unwrap(), "did you mean `detection`?");
        let m = "unknown field `zzz`, expected one of `format`, `id`, `title`";
        assert!(help_for_unknown(m)
            .unwrap()
            .starts_with("check the spelling"));
    }
}
