//! Words of the human-readable views, per language. Identifiers (states, kinds, ids) stay as
//! they are written so that they can be searched for and match the JSON.

use crate::clock::Period;
use crate::text::Lang;

pub struct Labels {
    /// The language these labels are in: texts of the record are shown in it too.
    pub lang: Lang,
    pub id: &'static str,
    pub date: &'static str,
    pub until: &'static str,
    pub day: &'static str,
    pub since_previous: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub item: &'static str,
    pub function: &'static str,
    pub due: &'static str,
    pub status: &'static str,
    pub state: &'static str,
    pub days: &'static str,
    pub note: &'static str,
    pub as_of: &'static str,
    pub ongoing: &'static str,
    pub impact: &'static str,
    pub potential: &'static str,
    pub confirmed: &'static str,
    pub unknown: &'static str,
    pub contracts: &'static str,
    pub accounts: &'static str,
    pub published: &'static str,
    pub dwell: &'static str,
    pub to_notification: &'static str,
    pub to_disclosure: &'static str,
    pub no_detection: &'static str,
    pub no_notification: &'static str,
    pub no_disclosure: &'static str,
    pub no_events: &'static str,
    pub no_items: &'static str,
    pub incident: &'static str,
    pub no_matching_items: &'static str,
    pub never_confirmed: &'static str,
    pub days_count: fn(i64) -> String,
    pub days_left: fn(i64) -> String,
    pub days_overdue: fn(i64) -> String,
    pub days_late: fn(i64) -> String,
    /// Late by hours and minutes.
    pub late_by: fn(i64, i64) -> String,
    pub last_confirmed: fn(&str) -> String,
    pub completed_on: fn(&str) -> String,
    pub completed_by: fn(&str) -> String,
    pub obligations: &'static str,
    pub obligation: &'static str,
    pub rule: &'static str,
    pub clock_starts: &'static str,
    pub no_clock_started: &'static str,
    pub no_record: &'static str,
    pub assumed_start_of_day: &'static str,
    pub policy: &'static str,
    pub late_on_due_day: &'static str,
    pub period: fn(Period) -> String,
    pub within: fn(&str) -> String,
    /// A policy value of a law that sets no period, quoting its words.
    pub policy_words: fn(&str) -> String,
    /// The target beside the legal deadline, where earlier.
    pub target: fn(&str) -> String,
    /// Past the target, not yet the deadline.
    pub past_target: fn(&str) -> String,
    /// Who receives a report.
    pub to: fn(&str) -> String,
    /// A deadline counted past the years a calendar covers.
    pub beyond_calendar: fn(&str, &str) -> String,
    pub days_past_due: fn(i64) -> String,
    pub done_later: fn(&str) -> String,
    pub after_completed: fn(&str, &str) -> String,
    pub after_completed_by: fn(&str, &str) -> String,
    pub after_due: fn(&str, &str) -> String,
    pub view_as_known: &'static str,
    pub view_hindsight: &'static str,
    pub no_compromise: &'static str,
    pub on_time_unknown: &'static str,
    /// The same, short enough to stand beside a state in a table's column: `done (on time?)`.
    pub on_time_asked: &'static str,
    /// Done by a day after the deadline: on time, or at most this many days late.
    pub late_at_most: fn(i64) -> String,
    pub rescheduled: fn(usize, &str) -> String,
    /// A day count through a month-only date: about `n`, between `min` and `max`.
    pub days_range: fn(i64, i64, i64) -> String,
    /// `5 items`, `3 obligations`: the head of a summary line.
    pub n_items: fn(usize) -> String,
    pub n_obligations: fn(usize) -> String,
    pub n_incidents: fn(usize) -> String,
    pub n_reporting_obligations: fn(usize) -> String,
    /// `2 done`: how many are in a state (the state's token stays as written).
    pub n_in_state: fn(usize, &str) -> String,
    /// `1 overdue, 0 due soon` for `check`, items and obligations together.
    pub n_overdue_due_soon: fn(usize, usize) -> String,
    pub n_no_record: fn(usize) -> String,
    /// Between the head of a summary and its counts, and between counts.
    pub summary_colon: &'static str,
    pub summary_comma: &'static str,
    /// `owner: Network team`, in the notes.
    pub owner: fn(&str) -> String,
    /// A count that is a maximum: `up to 6,493`.
    pub up_to: fn(&str) -> String,
    /// The kinds of data an impact figure covers.
    pub categories: &'static str,
    /// The parts of an impact figure.
    pub breakdown: &'static str,
    /// Revisions of an impact figure before the one in force.
    pub earlier_figures: &'static str,
    /// The revision in force.
    pub current: &'static str,
}

fn many(n: usize, one: &'static str, more: &'static str) -> String {
    format!("{n} {}", if n == 1 { one } else { more })
}

fn plural(n: i64) -> &'static str {
    if n == 1 || n == -1 {
        ""
    } else {
        "s"
    }
}

const EN: Labels = Labels {
    lang: Lang::En,
    id: "ID",
    date: "Date",
    until: "Until",
    day: "Day",
    since_previous: "+Days",
    kind: "Kind",
    title: "Title",
    item: "Item",
    function: "Function",
    due: "Due",
    status: "Status",
    state: "State",
    days: "Days",
    note: "Note",
    as_of: "as of",
    ongoing: "ongoing",
    impact: "Impact",
    potential: "potentially affected",
    confirmed: "confirmed",
    unknown: "unknown",
    contracts: "contracts",
    accounts: "accounts",
    published: "published",
    dwell: "Dwell time (first compromise to detection)",
    to_notification: "Detection to first notification",
    to_disclosure: "Detection to first public disclosure",
    no_detection: "no detection event recorded",
    no_notification: "no notification event recorded",
    no_disclosure: "no disclosure event recorded",
    no_events: "no events on or before this date",
    no_items: "no remediation items announced by this date",
    incident: "Incident",
    no_matching_items: "no remediation items in the states asked for",
    never_confirmed: "status never confirmed by a source",
    days_count: |n| format!("{n} day{}", plural(n)),
    days_left: |n| format!("{n} day{} left", plural(n)),
    days_overdue: |n| format!("{n} day{} overdue", plural(n)),
    days_late: |n| format!("{n} day{} late", plural(n)),
    late_by: |h, m| match h {
        0 => format!("{m} min late"),
        _ => format!("{h} h {m} min late"),
    },
    last_confirmed: |d| format!("status last confirmed {d}"),
    completed_on: |d| format!("completed {d}"),
    completed_by: |d| format!("completed on or before {d} (exact day not known)"),
    obligations: "Reporting obligations",
    obligation: "Obligation",
    rule: "Rule",
    clock_starts: "Clock starts",
    no_clock_started: "no reporting clock had started by this date",
    no_record: "no record of whether it was done",
    assumed_start_of_day: "hours counted from the start of the day: no time given",
    policy: "policy value: the law says \"promptly\"",
    late_on_due_day: "late on the due day",
    period: |p| p.to_string(),
    within: |p| format!("within {p}"),
    policy_words: |w| format!("policy value, not a legal deadline: the law says \"{w}\""),
    target: |d| format!("target {d}"),
    to: |r| format!("to {r}"),
    past_target: |d| format!("past its target ({d}); the legal deadline is later"),
    beyond_calendar: |cal, d| {
        format!("calendar {cal} ends before {d}: holidays after it are not known, the day is counted as open")
    },
    days_past_due: |n| format!("due {n} day{} ago", plural(n)),
    done_later: |d| format!("done later, on {d}"),
    after_completed: |id, t| format!("after {id}, done {t}"),
    after_completed_by: |id, t| format!("after {id}, done by {t}"),
    after_due: |id, t| format!("after {id}, due {t}"),
    view_as_known: "as known then",
    view_hindsight: "with hindsight",
    no_compromise: "no compromise event recorded",
    on_time_unknown: "on time not known",
    on_time_asked: "on time?",
    late_at_most: |n| format!("on time, or up to {n} day{} late", plural(n)),
    rescheduled: |n, first| format!("rescheduled {n}× (first due {first})"),
    days_range: |n, min, max| format!("~{n} day{} ({min}–{max})", plural(n)),
    n_items: |n| many(n, "item", "items"),
    n_obligations: |n| many(n, "obligation", "obligations"),
    n_incidents: |n| many(n, "incident", "incidents"),
    n_reporting_obligations: |n| many(n, "reporting obligation", "reporting obligations"),
    n_in_state: |n, state| format!("{n} {state}"),
    n_overdue_due_soon: |o, s| format!("{o} overdue, {s} due soon"),
    n_no_record: |n| format!("{n} no record"),
    summary_colon: ": ",
    summary_comma: ", ",
    owner: |o| format!("owner: {o}"),
    up_to: |n| format!("up to {n}"),
    categories: "data",
    breakdown: "of which",
    earlier_figures: "earlier figures",
    current: "current",
};

const JA: Labels = Labels {
    lang: Lang::Ja,
    id: "ID",
    date: "日付",
    until: "終了",
    day: "経過日",
    since_previous: "前から",
    kind: "種別",
    title: "件名",
    item: "対策",
    function: "機能",
    due: "期限",
    status: "状況",
    state: "状態",
    days: "日数",
    note: "備考",
    as_of: "時点",
    ongoing: "継続中",
    impact: "影響",
    potential: "漏えいの可能性",
    confirmed: "漏えい確認",
    unknown: "不明",
    contracts: "契約",
    accounts: "アカウント",
    published: "公表",
    dwell: "潜伏期間（最初の侵害から検知まで）",
    to_notification: "検知から最初の通知まで",
    to_disclosure: "検知から最初の公表まで",
    no_detection: "検知の記録なし",
    no_notification: "通知の記録なし",
    no_disclosure: "公表の記録なし",
    no_events: "この日付までの事象なし",
    no_items: "この日付までに発表された対策なし",
    incident: "インシデント",
    no_matching_items: "指定した状態の対策なし",
    never_confirmed: "状況を確認した情報源なし",
    days_count: |n| format!("{n}日"),
    days_left: |n| format!("残り{n}日"),
    days_overdue: |n| format!("{n}日超過"),
    days_late: |n| format!("{n}日遅れ"),
    late_by: |h, m| match h {
        0 => format!("{m}分遅れ"),
        _ => format!("{h}時間{m}分遅れ"),
    },
    last_confirmed: |d| format!("状況の最終確認 {d}"),
    completed_on: |d| format!("{d} 完了"),
    completed_by: |d| format!("{d} までに完了（正確な日付は不明）"),
    obligations: "報告義務",
    obligation: "報告",
    rule: "規則",
    clock_starts: "起算",
    no_clock_started: "この日付までに起算された報告期限なし",
    no_record: "実施の記録なし",
    assumed_start_of_day: "時刻の記載がないため、その日の0時から時間を計算",
    policy: "運用上の値（法令上は「速やかに」）",
    late_on_due_day: "期限日に遅延",
    period: |p| match p {
        Period::Hours(n) => format!("{n}時間"),
        Period::Days(n) => format!("{n}日"),
        Period::BusinessDays(n) => format!("{n}営業日"),
        Period::Months(n) => format!("{n}か月"),
    },
    within: |p| format!("{p}以内"),
    policy_words: |w| format!("運用上の値（法定期限ではない。法令上は「{w}」）"),
    target: |d| format!("目標 {d}"),
    to: |r| format!("提出先：{r}"),
    past_target: |d| format!("目標（{d}）を経過、法定期限はこれより後"),
    beyond_calendar: |cal, d| {
        format!("暦 {cal} は{d}より前で終わるため、以降の休日は不明（開庁日として計算）")
    },
    days_past_due: |n| format!("期限から{n}日経過"),
    done_later: |d| format!("{d} に実施（この日より後）"),
    after_completed: |id, t| format!("{id} 実施 {t} から"),
    after_completed_by: |id, t| format!("{id} 実施（{t} まで）から"),
    after_due: |id, t| format!("{id} 期限 {t} から"),
    view_as_known: "当時の記録",
    view_hindsight: "後から判明した事実を含む",
    no_compromise: "侵害の記録なし",
    on_time_unknown: "期限内か不明",
    on_time_asked: "期限内？",
    late_at_most: |n| format!("期限内、または最大{n}日遅れ"),
    rescheduled: |n, first| format!("期限変更{n}回（当初期限 {first}）"),
    days_range: |n, min, max| format!("約{n}日（{min}〜{max}日）"),
    n_items: |n| format!("対策{n}件"),
    n_obligations: |n| format!("報告義務{n}件"),
    n_incidents: |n| format!("インシデント{n}件"),
    n_reporting_obligations: |n| format!("報告義務{n}件"),
    n_in_state: |n, state| format!("{state} {n}件"),
    n_overdue_due_soon: |o, s| format!("期限超過 {o}件、期限間近 {s}件"),
    n_no_record: |n| format!("記録なし {n}件"),
    summary_colon: "：",
    summary_comma: "、",
    owner: |o| format!("担当: {o}"),
    up_to: |n| format!("最大{n}"),
    categories: "データ項目",
    breakdown: "内訳",
    earlier_figures: "過去の数値",
    current: "最新",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Ja => &JA,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English left in a Japanese label: a run of three ASCII letters or more.
    fn english(text: &str) -> bool {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() >= 3)
    }

    // `Labels` holds both languages to the same keys (a struct: a key missing from one is a
    // compile error); this holds the Japanese one to Japanese words.
    #[test]
    fn japanese_labels_hold_no_english() {
        let ja = labels(Lang::Ja);
        let words = [
            ja.date,
            ja.until,
            ja.day,
            ja.kind,
            ja.title,
            ja.item,
            ja.function,
            ja.due,
            ja.status,
            ja.state,
            ja.days,
            ja.note,
            ja.as_of,
            ja.ongoing,
            ja.impact,
            ja.potential,
            ja.confirmed,
            ja.unknown,
            ja.contracts,
            ja.accounts,
            ja.published,
            ja.dwell,
            ja.to_notification,
            ja.to_disclosure,
            ja.no_detection,
            ja.no_notification,
            ja.no_disclosure,
            ja.no_events,
            ja.no_items,
            ja.incident,
            ja.no_matching_items,
            ja.never_confirmed,
            ja.obligations,
            ja.obligation,
            ja.rule,
            ja.clock_starts,
            ja.no_clock_started,
            ja.no_record,
            ja.assumed_start_of_day,
            ja.policy,
            ja.late_on_due_day,
            ja.categories,
            ja.breakdown,
            ja.earlier_figures,
            ja.current,
        ];
        for w in words {
            assert!(!english(w), "{w}");
        }
        let made = [
            (ja.days_count)(2),
            (ja.days_left)(2),
            (ja.days_overdue)(2),
            (ja.days_late)(2),
            (ja.days_past_due)(2),
            (ja.n_items)(5),
            (ja.n_obligations)(3),
            (ja.n_incidents)(1),
            (ja.n_reporting_obligations)(3),
            (ja.n_overdue_due_soon)(1, 0),
            (ja.n_no_record)(3),
            (ja.period)(Period::BusinessDays(4)),
        ];
        for m in made {
            assert!(!english(&m), "{m}");
        }
        // The state's token stays as written, so that it can be searched for.
        assert_eq!((ja.n_in_state)(2, "done"), "done 2件");
        assert!(english(&(labels(Lang::En).n_items)(5)), "the test can fail");
    }
}
