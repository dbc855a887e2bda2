//! Checks of what a reader sees: titles left blank, and ids that look alike but differ.

use foldhash::{HashMap, HashMapExt as _};

use super::Finding;
use crate::diagnostic::FieldPath;
use crate::model::{Id, Incident};
use crate::text::Text;

/// A title left empty (`title: ''`) or only spaces would show as nothing in every view.
pub(super) fn blank_titles(incident: &Incident, out: &mut Vec<Finding>) {
    let root = FieldPath::root;
    let titles = std::iter::once((root(), &incident.title))
        .chain(
            incident
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| (root().key("sources").index(i), &s.title)),
        )
        .chain(
            incident
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| (root().key("events").index(i), &e.title)),
        )
        .chain(
            incident
                .remediation
                .iter()
                .enumerate()
                .map(|(i, r)| (root().key("remediation").index(i), &r.title)),
        )
        .chain(
            incident
                .obligations
                .iter()
                .enumerate()
                .map(|(i, o)| (root().key("obligations").index(i), &o.title)),
        );
    for (path, title) in titles {
        let blank = |s: &str| s.trim().is_empty();
        let found = match title {
            Text::Plain(s) if blank(s) => Some((String::new(), s.as_str())),
            Text::Plain(_) => None,
            Text::Localized(pairs) => pairs.iter().find(|(_, v)| blank(v)).map(|(lang, v)| {
                (
                    format!(" in `{}`", crate::sanitize::for_terminal(lang)),
                    v.as_str(),
                )
            }),
        };
        if let Some((lang, text)) = found {
            let what = if text.is_empty() {
                "empty"
            } else {
                "only spaces"
            };
            out.push(
                Finding::error(path.key("title"), format!("the title{lang} is {what}"))
                    .help("say in a few words what this is; every view shows the title"),
            );
        }
    }
}

/// Ids that look the same but differ (`R1` and full-width `Ｒ1`, Latin `a` and Cyrillic `а`)
/// would be told apart by breachline and not by a reader: a warning names both. Compared by
/// their Unicode TR39 skeletons across every id of the file.
pub(super) fn confusable_ids(incident: &Incident, out: &mut Vec<Finding>) {
    use unicode_security::confusable_detection::skeleton;
    let root = FieldPath::root;
    let ids = || {
        (incident
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| ("sources", i, &s.id)))
        .chain(
            incident
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| ("events", i, &e.id)),
        )
        .chain(
            incident
                .remediation
                .iter()
                .enumerate()
                .map(|(i, r)| ("remediation", i, &r.id)),
        )
        .chain(
            incident
                .obligations
                .iter()
                .enumerate()
                .map(|(i, o)| ("obligations", i, &o.id)),
        )
    };
    // ASCII ids that a skeleton confuses (`l` and `1`, `O` and `0`) are ordinary in plain
    // text, so only ids with something beyond ASCII can draw the warning; most files have none
    // and pay one scan.
    if ids().all(|(_, _, id)| id.as_str().is_ascii()) {
        return;
    }
    let mut seen: HashMap<String, &Id> = HashMap::new();
    for (list, i, id) in ids() {
        let key: String = skeleton(id.as_str()).collect();
        match seen.get(&key) {
            Some(first)
                if first.as_str() != id.as_str()
                    && !(first.as_str().is_ascii() && id.as_str().is_ascii()) =>
            {
                out.push(
                    Finding::warning(
                        root().key(list).index(i).key("id"),
                        format!(
                            "id `{}` looks like id `{}` but is a different id",
                            crate::sanitize::for_terminal(id.as_str()),
                            crate::sanitize::for_terminal(first.as_str())
                        ),
                    )
                    .help("spell both the same way if they are one thing (plain letters and digits are safest), or choose ids that look different"),
                );
            }
            Some(_) => {}
            None => {
                seen.insert(key, id);
            }
        }
    }
}

/// A source URL other than `http`/`https` (`javascript:`, `data:`, a bare name) is never a
/// link: the HTML and Markdown show it as text, STIX and VERIS leave it out.
pub(super) fn source_urls(incident: &Incident, out: &mut Vec<Finding>) {
    for (i, source) in incident.sources.iter().enumerate() {
        let Some(url) = source.url.as_deref() else {
            continue;
        };
        if crate::sanitize::is_web_url(url) {
            continue;
        }
        let shown: String = url.chars().take(40).collect();
        let cut = if shown.len() < url.len() { "…" } else { "" };
        out.push(
            Finding::warning(
                FieldPath::root().key("sources").index(i).key("url"),
                format!(
                    "source `{}` has a URL that is not http or https (`{}{cut}`): no export links it, and STIX and VERIS leave it out",
                    crate::sanitize::for_terminal(source.id.as_str()),
                    crate::sanitize::for_terminal(&shown),
                ),
            )
            .help("give the http(s) address of the source, or remove `url`"),
        );
    }
}
